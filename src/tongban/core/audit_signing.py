"""Signed checkpoints of the audit chain's head, through a pluggable signer.

Core cannot import the apps that manage keys (``documents``), so signers plug into the
``checkpoint_signers`` registry and ``TONGBAN_AUDIT_SIGNER`` picks one. The built-in signer
uses an Ed25519 key from ``TONGBAN_AUDIT_SIGNING_KEY`` (PEM, or the base64 of the 32-byte
seed) or, in the embedded default, a key generated once into ``VAR_DIR/audit_signing_key.pem``.

A signer registered elsewhere::

    from tongban.core.audit_signing import CheckpointSigner, Signature, checkpoint_signers

    @checkpoint_signers.register("documents")
    class DocumentKeySigner(CheckpointSigner):
        def sign(self, message: bytes) -> Signature: ...
        def public_key_for(self, key_id: str) -> bytes | None: ...
"""

from __future__ import annotations

import base64
import hashlib
import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import structlog
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from .audit import canonical_json, format_time
from .models import AuditCheckpoint, AuditEvent
from .registries import Registry

log = structlog.get_logger("tongban.audit")
EMBEDDED_KEY_FILE = "audit_signing_key.pem"


@dataclass(frozen=True)
class Signature:
    key_id: str
    public_key: bytes  # raw 32-byte Ed25519 public key
    signature: bytes


class CheckpointSigner(ABC):
    algorithm = "Ed25519"

    @abstractmethod
    def sign(self, message: bytes) -> Signature: ...

    @abstractmethod
    def public_key_for(self, key_id: str) -> bytes | None:
        """The raw public key this signer trusts under ``key_id``, or None if unknown."""

    def check(self) -> list[str]:
        """Problems for a health page; empty when the signer can sign."""
        return []


checkpoint_signers: Registry[Callable[[], CheckpointSigner]] = Registry("audit checkpoint signer")


class CheckpointProblem(Exception):
    def __init__(self, message: str, *, only_a_note: bool = False):
        super().__init__(message)
        self.only_a_note = only_a_note


# --- Keys ----------------------------------------------------------------------------------


def key_id_for(public_key: bytes) -> str:
    return "audit-" + hashlib.sha256(public_key).hexdigest()[:16]


def raw_public_key(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )


def _b64decode(text: str) -> bytes:
    cleaned = text.strip().replace("+", "-").replace("/", "_")
    return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))


def parse_private_key(text: str) -> Ed25519PrivateKey:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured("TONGBAN_AUDIT_SIGNING_KEY must be an Ed25519 key.")
        return key
    try:
        seed = _b64decode(text)
    except ValueError:
        seed = b""
    if len(seed) != 32:
        raise ImproperlyConfigured(
            "TONGBAN_AUDIT_SIGNING_KEY must be a PEM Ed25519 private key or the base64 of "
            "its 32-byte seed."
        )
    return Ed25519PrivateKey.from_private_bytes(seed)


def _embedded_key(var_dir: Path) -> Ed25519PrivateKey:
    path = var_dir / EMBEDDED_KEY_FILE
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        pem = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            # O_EXCL: two processes starting together keep one key, the first one written.
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(descriptor, "wb") as key_file:
                key_file.write(pem)
    return parse_private_key(path.read_text())


class BuiltinEd25519Signer(CheckpointSigner):
    """An Ed25519 key from settings, or generated into VAR_DIR in the embedded default."""

    def __init__(self):
        configured = getattr(settings, "TONGBAN_AUDIT_SIGNING_KEY", "")
        if configured:
            self.private_key = parse_private_key(configured)
        elif getattr(settings, "PRODUCTION", False):
            raise ImproperlyConfigured(
                "TONGBAN_AUDIT_SIGNING_KEY must be set when TONGBAN_ENV=production."
            )
        else:
            self.private_key = _embedded_key(Path(settings.VAR_DIR))
        self.public_key = raw_public_key(self.private_key)
        self.key_id = key_id_for(self.public_key)
        retired = getattr(settings, "TONGBAN_AUDIT_RETIRED_PUBLIC_KEYS", [])
        self.trusted = {self.key_id: self.public_key}
        for encoded in retired:
            public = _b64decode(encoded)
            self.trusted[key_id_for(public)] = public

    def sign(self, message: bytes) -> Signature:
        return Signature(self.key_id, self.public_key, self.private_key.sign(message))

    def public_key_for(self, key_id: str) -> bytes | None:
        return self.trusted.get(key_id)


checkpoint_signers.register("builtin", BuiltinEd25519Signer)


def active_signer_name() -> str:
    return getattr(settings, "TONGBAN_AUDIT_SIGNER", "builtin")


def active_signer() -> CheckpointSigner:
    return checkpoint_signers.get(active_signer_name())()


# --- Checkpoints ---------------------------------------------------------------------------


def checkpoint_message(sequence: int, head_hash: str, signed_at) -> bytes:
    return canonical_json(
        {
            "purpose": "tongban-audit-checkpoint",
            "version": 1,
            "sequence": sequence,
            "head_hash": head_hash,
            "signed_at": format_time(signed_at),
        }
    )


def sign_head(*, force: bool = False) -> AuditCheckpoint | None:
    """Sign the newest committed event; no new checkpoint when the head has not moved."""
    head = AuditEvent.objects.order_by("-sequence").values_list("sequence", "hash").first()
    if head is None:
        return None
    sequence, head_hash = head
    latest = AuditCheckpoint.objects.order_by("-sequence", "-id").first()
    if latest is not None and latest.sequence == sequence and not force:
        return latest
    signer_name = active_signer_name()
    signer = active_signer()
    signed_at = timezone.now()
    signed = signer.sign(checkpoint_message(sequence, head_hash, signed_at))
    with transaction.atomic():
        checkpoint = AuditCheckpoint.objects.create(
            sequence=sequence,
            head_hash=head_hash,
            signed_at=signed_at,
            signer=signer_name,
            algorithm=signer.algorithm,
            key_id=signed.key_id,
            public_key=base64.b64encode(signed.public_key).decode(),
            signature=base64.b64encode(signed.signature).decode(),
        )
    log.info(
        "audit_head_signed", audit_sequence=sequence, head_hash=head_hash, key_id=signed.key_id
    )
    return checkpoint


def signature_is_valid(checkpoint: AuditCheckpoint, public_key: bytes) -> bool:
    """Whether ``checkpoint`` was signed by the holder of ``public_key`` (raw 32 bytes)."""
    message = checkpoint_message(checkpoint.sequence, checkpoint.head_hash, checkpoint.signed_at)
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(
            base64.b64decode(checkpoint.signature), message
        )
    except (InvalidSignature, ValueError):
        return False
    return True


def check_checkpoint(checkpoint: AuditCheckpoint, chain_hash: str) -> None:
    """Raise ``CheckpointProblem`` unless the checkpoint matches the chain and its signature holds."""
    if checkpoint.head_hash != chain_hash:
        raise CheckpointProblem(
            gettext(
                "the checkpoint signed at %(signed_at)s vouches for hash %(signed)s, but the "
                "event now hashes to %(actual)s"
            )
            % {
                "signed_at": format_time(checkpoint.signed_at),
                "signed": checkpoint.head_hash[:16],
                "actual": chain_hash[:16],
            }
        )
    try:
        public_key = checkpoint_signers.get(checkpoint.signer)().public_key_for(checkpoint.key_id)
    except (LookupError, ImproperlyConfigured) as reason:
        public_key, unavailable = None, str(reason)
    else:
        unavailable = gettext("key %(key_id)s is not known here") % {"key_id": checkpoint.key_id}
    if public_key is None:
        raise CheckpointProblem(
            gettext("signature of checkpoint #%(sequence)d not checked: %(reason)s")
            % {"sequence": checkpoint.sequence, "reason": unavailable},
            only_a_note=True,
        )
    if not signature_is_valid(checkpoint, public_key):
        raise CheckpointProblem(
            gettext("the signature of checkpoint #%(sequence)d (key %(key_id)s) is not valid")
            % {"sequence": checkpoint.sequence, "key_id": checkpoint.key_id}
        )
