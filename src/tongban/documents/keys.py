"""The platform's Ed25519 document-signing keys: which key signs, which keys verify.

``TONGBAN_SIGNING_KEYS`` lists private keys, comma-separated, each a path to a PEM file, an
inline PEM, or the base64 of the 32-byte seed: the first signs, every one verifies.
``TONGBAN_SIGNING_RETIRED_PUBLIC_KEYS`` lists the public keys of keys no longer held (the
base64 of the 32 raw bytes, a PEM file path or inline PEM), so documents they signed keep
verifying after rotation. In the embedded default, with no keys configured, a key is generated
into ``VAR_DIR/signing/current.pem`` on first use and every other ``*.pem`` in that folder still
verifies (``tongban signing_keys generate --rotate`` moves the current one aside). Production
refuses to sign without configured keys.

A key id is the first 16 hex digits of the SHA-256 of the raw public key, so anyone holding
the public key can recompute it. The verifying keys are published as a JWK Set at
``/.well-known/tongban-keys.json``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.translation import gettext as _

EMBEDDED_DIR = "signing"
EMBEDDED_CURRENT = "current.pem"


class KeyRole:
    SIGNING = "signing"  # signs new documents
    VERIFYING = "verifying"  # a held private key that only verifies
    RETIRED = "retired"  # only the public key is held


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    public_key: Ed25519PublicKey
    role: str
    source: str  # where it came from, for `tongban signing_keys list` (never the key itself)
    private_key: Ed25519PrivateKey | None = None

    @property
    def public_bytes(self) -> bytes:
        return raw_public_bytes(self.public_key)

    def jwk(self) -> dict[str, str]:
        return public_jwk(self.public_key, self.key_id)


@dataclass(frozen=True)
class KeyRing:
    """The signing key (or None where nothing may sign) and every key that verifies."""

    signer: SigningKey | None
    keys: tuple[SigningKey, ...]

    def public_key(self, key_id: str) -> Ed25519PublicKey | None:
        for key in self.keys:
            if key.key_id == key_id:
                return key.public_key
        return None

    def verification_keys(self) -> dict[str, Ed25519PublicKey]:
        return {key.key_id: key.public_key for key in self.keys}

    def jwks(self) -> dict[str, Any]:
        return {"keys": [key.jwk() for key in self.keys]}


class SigningUnavailable(ImproperlyConfigured):
    """No key may sign here (production without ``TONGBAN_SIGNING_KEYS``)."""


# --- Encodings -------------------------------------------------------------------------------


def raw_public_bytes(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_for(public_key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public_bytes(public_key)).hexdigest()[:16]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64decode_any(text: str) -> bytes:
    """Standard or URL-safe base64, padded or not."""
    cleaned = "".join(text.split()).replace("+", "-").replace("/", "_").rstrip("=")
    return base64.urlsafe_b64decode(cleaned + "=" * (-len(cleaned) % 4))


def public_jwk(public_key: Ed25519PublicKey, key_id: str) -> dict[str, str]:
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url(raw_public_bytes(public_key)),
        "kid": key_id,
        "alg": "Ed25519",
        "use": "sig",
    }


def private_pem(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


# --- Parsing configured keys -----------------------------------------------------------------


def _read_entry(entry: str) -> tuple[str, str]:
    """(text, source) of one configured entry: inline PEM, a file path, or base64."""
    entry = entry.strip()
    if entry.startswith("-----BEGIN"):
        return entry, "inline PEM"
    if entry.endswith((".pem", ".pub")) or Path(entry).is_file():
        path = Path(entry)
        try:
            return path.read_text(), str(path)
        except OSError as error:
            raise ImproperlyConfigured(f"Cannot read signing key file {path}: {error}") from error
    return entry, "base64"


def parse_private_key(entry: str) -> tuple[Ed25519PrivateKey, str]:
    text, source = _read_entry(entry)
    if text.lstrip().startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        except (ValueError, TypeError) as error:
            raise ImproperlyConfigured(
                f"Signing key ({source}) is not a readable PEM key."
            ) from error
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured(f"Signing key ({source}) is not an Ed25519 key.")
        return key, source
    try:
        seed = b64decode_any(text)
    except ValueError:
        seed = b""
    if len(seed) != 32:
        raise ImproperlyConfigured(
            "Each TONGBAN_SIGNING_KEYS entry must be a PEM file path, an inline PEM Ed25519 "
            "private key, or the base64 of its 32-byte seed."
        )
    return Ed25519PrivateKey.from_private_bytes(seed), source


def parse_public_key(entry: str) -> tuple[Ed25519PublicKey, str]:
    text, source = _read_entry(entry)
    if text.lstrip().startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(text.encode())
        except ValueError as error:
            raise ImproperlyConfigured(
                f"Public key ({source}) is not a readable PEM key."
            ) from error
        if not isinstance(key, Ed25519PublicKey):
            raise ImproperlyConfigured(f"Public key ({source}) is not an Ed25519 key.")
        return key, source
    try:
        raw = b64decode_any(text)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ImproperlyConfigured(
            "Each TONGBAN_SIGNING_RETIRED_PUBLIC_KEYS entry must be the base64 of a 32-byte "
            "Ed25519 public key, a PEM file path or an inline PEM public key."
        )
    return Ed25519PublicKey.from_public_bytes(raw), source


def keys_from_jwks(document: Any) -> dict[str, Ed25519PublicKey]:
    """The Ed25519 keys of a published JWK Set (``/.well-known/tongban-keys.json``) by key id.

    The key id is recomputed from the key, so a set cannot file a key under another's id.
    """
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError(_("The key file is not a JWK Set (an object with a “keys” list)."))
    found: dict[str, Ed25519PublicKey] = {}
    for entry in document["keys"]:
        if not isinstance(entry, dict):
            continue
        if entry.get("kty") != "OKP" or entry.get("crv") != "Ed25519":
            continue
        try:
            raw = b64decode_any(str(entry.get("x", "")))
            public_key = Ed25519PublicKey.from_public_bytes(raw)
        except ValueError:
            continue
        found[key_id_for(public_key)] = public_key
    if not found:
        raise ValueError(_("The key file holds no Ed25519 public key."))
    return found


def load_jwks_file(path: str | os.PathLike) -> dict[str, Ed25519PublicKey]:
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(
            _("Cannot read the key file %(path)s: %(error)s") % {"path": path, "error": error}
        ) from error
    return keys_from_jwks(document)


# --- The embedded default --------------------------------------------------------------------


def embedded_dir() -> Path:
    return Path(settings.VAR_DIR) / EMBEDDED_DIR


def write_new_key(path: Path) -> Ed25519PrivateKey:
    """Write a fresh key to ``path`` (mode 0600); if another process won the race, keep theirs."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # the key folder is private too
    key = Ed25519PrivateKey.generate()
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return parse_private_key(str(path))[0]
    with os.fdopen(descriptor, "wb") as key_file:
        key_file.write(private_pem(key))
    return key


def rotate_embedded_key() -> tuple[SigningKey, SigningKey | None]:
    """Move ``current.pem`` aside (it keeps verifying) and generate a new current key."""
    folder = embedded_dir()
    current = folder / EMBEDDED_CURRENT
    previous = None
    if current.exists():
        old_key, _source = parse_private_key(str(current))
        old_id = key_id_for(old_key.public_key())
        current.rename(folder / f"retired-{old_id}.pem")
        previous = SigningKey(old_id, old_key.public_key(), KeyRole.VERIFYING, "", old_key)
    new_key = write_new_key(current)
    forget_keys()
    new = SigningKey(
        key_id_for(new_key.public_key()), new_key.public_key(), KeyRole.SIGNING, "", new_key
    )
    return new, previous


def _embedded_keys() -> list[SigningKey]:
    folder = embedded_dir()
    current_path = folder / EMBEDDED_CURRENT
    if not current_path.exists():
        write_new_key(current_path)
    keys = []
    for path in [current_path, *sorted(p for p in folder.glob("*.pem") if p != current_path)]:
        private_key, source = parse_private_key(str(path))
        keys.append(
            SigningKey(
                key_id_for(private_key.public_key()),
                private_key.public_key(),
                KeyRole.SIGNING if path == current_path else KeyRole.VERIFYING,
                source,
                private_key,
            )
        )
    return keys


# --- The key ring ------------------------------------------------------------------------------


def configured_entries() -> tuple[list[str], list[str]]:
    private = [e for e in getattr(settings, "TONGBAN_SIGNING_KEYS", []) if e.strip()]
    public = [e for e in getattr(settings, "TONGBAN_SIGNING_RETIRED_PUBLIC_KEYS", []) if e.strip()]
    return private, public


@cache
def key_ring() -> KeyRing:
    private_entries, public_entries = configured_entries()
    keys: list[SigningKey] = []
    if private_entries:
        for index, entry in enumerate(private_entries):
            private_key, source = parse_private_key(entry)
            role = KeyRole.SIGNING if index == 0 else KeyRole.VERIFYING
            public_key = private_key.public_key()
            keys.append(SigningKey(key_id_for(public_key), public_key, role, source, private_key))
    elif not getattr(settings, "PRODUCTION", False):
        keys.extend(_embedded_keys())
    for entry in public_entries:
        public_key, source = parse_public_key(entry)
        keys.append(SigningKey(key_id_for(public_key), public_key, KeyRole.RETIRED, source))
    unique: dict[str, SigningKey] = {}
    for key in keys:
        unique.setdefault(key.key_id, key)  # a key listed twice keeps its strongest role
    signer = next((key for key in unique.values() if key.role == KeyRole.SIGNING), None)
    return KeyRing(signer=signer, keys=tuple(unique.values()))


def signing_key() -> SigningKey:
    signer = key_ring().signer
    if signer is None:
        raise SigningUnavailable(
            "TONGBAN_SIGNING_KEYS must be set when TONGBAN_ENV=production: documents cannot "
            "be signed without a configured key."
        )
    return signer


def check() -> list[str]:
    """Problems for a health page; empty when documents can be signed."""
    try:
        signing_key()
    except ImproperlyConfigured as problem:
        return [str(problem)]
    return []


def forget_keys() -> None:
    key_ring.cache_clear()
    from . import signing

    signing.forget_verifiers()


@receiver(setting_changed)
def _forget_on_change(*, setting: str, **kwargs) -> None:
    if setting in {
        "TONGBAN_SIGNING_KEYS",
        "TONGBAN_SIGNING_RETIRED_PUBLIC_KEYS",
        "VAR_DIR",
        "PRODUCTION",
    }:
        forget_keys()
