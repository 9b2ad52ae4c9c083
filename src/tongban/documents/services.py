"""The documents app's public face: issue, verify and revoke signed PDFs.

Other apps (cases, certificates) register their kinds (``codes.register_kind``) and call
``issue_document`` with a ``render`` callback that lays the PDF out with ``documents.pdf``.
Pages, the API and the commands verify through ``verify_by_code``, ``verify_token`` and
``verify_pdf``; the answer is a ``VerificationResult`` holding the status, the kind, the masked
holder, the dates and the facts the document states (signed), never more.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core import counters, ratelimit

from . import keys as signing_keys
from . import signing
from .codes import (
    DocumentKind,
    InvalidCode,
    format_code,
    get_kind,
    new_code,
    normalise_code,
    register_kind,
    verification_url,
)
from .constants import DocumentStatus, Problem, VerificationStatus
from .models import IssuedDocument
from .pdf_seal import PDF_CLAIM, body_digest, check_sealed_pdf, seal
from .results import VerificationResult, result_from_claims, result_from_record
from .signing import TokenError

__all__ = [
    "documents_for_holders",
    "DocumentError",
    "DocumentKind",
    "InvalidCode",
    "TokenError",
    "VerificationResult",
    "format_code",
    "issue_document",
    "normalise_code",
    "published_keys",
    "register_kind",
    "revoke",
    "verification_url",
    "verification_wait",
    "verify_by_code",
    "verify_pdf",
    "verify_token",
]

PAYLOAD_VERSION = 1
MAX_REVOCATION_REASON = 1000
ACTOR = re.compile(r"^(?:system|(?:user|staff|command|task|service):[A-Za-z0-9_.-]{1,100})$")
RATE_WINDOW_SECONDS = 60
Renderer = Callable[[str, str, str], bytes]


class DocumentError(ValueError):
    """A request the documents app refuses; ``message`` is translated and safe to show."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


# --- Issuing ------------------------------------------------------------------------------------


def actor_name(actor: Any) -> str:
    """``actor`` in the audit trail's form: ``system``, ``user:<id>``, ``command:<name>``…"""
    if isinstance(actor, str):
        if not ACTOR.match(actor):
            raise ValueError(
                f"actor {actor!r} is not system, user:<id>, staff:<id>, command:<name>…"
            )
        return actor
    if getattr(actor, "pk", None) is not None:
        return f"user:{actor.pk}"
    raise ValueError(f"cannot name actor {actor!r}")


def record_digest(record_data: Mapping[str, Any]) -> str:
    return hashlib.sha256(signing.canonical_json(dict(record_data))).hexdigest()


def _unused_code() -> str:
    # 60 random bits: a clash is rare enough that a few draws always suffice; the unique
    # index stops the impossible one.
    for _attempt in range(8):
        code = new_code()
        if not IssuedDocument.objects.filter(verification_code=code).exists():
            return code
    raise RuntimeError("no unused verification code after 8 draws; is the RNG broken?")


def _check_issue_arguments(payload, holder_hash, holder_masked, valid_until, issued_at) -> None:
    try:
        signing.canonical_json(dict(payload))
    except (TypeError, ValueError) as error:
        raise DocumentError(
            _("The document's data cannot be signed: %(error)s") % {"error": error}
        ) from error
    if not isinstance(holder_hash, str) or not 16 <= len(holder_hash) <= 128:
        raise DocumentError(_("The holder hash must be a keyed hash of 16 to 128 characters."))
    if not isinstance(holder_masked, str) or not 0 < len(holder_masked) <= 128:
        raise DocumentError(_("The masked holder identifier must be 1 to 128 characters."))
    if valid_until is not None:
        if timezone.is_naive(valid_until):
            raise DocumentError(_("The end of validity must carry a time zone."))
        if valid_until <= issued_at:
            raise DocumentError(_("The end of validity must be after the time of issue."))


MAX_FACTS_BYTES = 400  # they ride in the QR code, which must stay scannable


def _check_facts(facts) -> None:
    if facts is None:
        return
    try:
        size = len(signing.canonical_json(dict(facts)))
    except (TypeError, ValueError) as error:
        raise DocumentError(
            _("The document's data cannot be signed: %(error)s") % {"error": error}
        ) from error
    if size > MAX_FACTS_BYTES:
        raise ValueError(
            f"facts of {size} bytes do not fit the QR code (at most {MAX_FACTS_BYTES})"
        )


def issue_document(
    kind: str,
    *,
    payload: Mapping[str, Any],
    render: Renderer,
    holder_hash: str,
    holder_masked: str,
    valid_until: dt.datetime | None,
    actor: Any,
    facts: Mapping[str, Any] | None = None,
) -> IssuedDocument:
    """Number, sign, render, seal and store a document, all in one transaction.

    ``payload`` is the record data the document shows, as plain JSON (str, int, float, bool,
    None, lists, dicts with str keys): it is kept with the document and its SHA-256 is signed,
    so put in it what the PDF shows and nothing more (masked identifiers, not clear ones).
    The counter's lock is held until commit, so numbers never skip: documents of one kind
    are rendered one at a time.

    ``render`` is called as ``render(number, verification_code, token_for_qr)`` and returns
    the PDF's bytes, best made with ``documents.pdf.build_pdf``. ``holder_hash`` is the
    caller's keyed hash of the holder's identifier (``core.crypto.lookup_hash``), never the
    identifier itself.

    ``facts`` is what the document states in a few figures (its period, totals, a digest of
    its table), as a small JSON object: it is signed into the token the QR code carries and
    shown by /verify, so a copy with changed figures does not match what the check says.
    """
    document_kind = get_kind(kind)
    actor = actor_name(actor)
    issued_at = timezone.now().replace(microsecond=0)
    _check_issue_arguments(payload, holder_hash, holder_masked, valid_until, issued_at)
    _check_facts(facts)
    if valid_until is not None:
        valid_until = valid_until.replace(microsecond=0)
    key = signing_keys.signing_key()
    stored_name = None
    try:
        with transaction.atomic():
            year = timezone.localtime(issued_at).year
            sequence = counters.next_value(document_kind.counter_name(year))
            number = document_kind.format_number(year, sequence)
            code = _unused_code()
            claims = {
                "v": PAYLOAD_VERSION,
                "kind": kind,
                "no": number,
                "hh": holder_hash,
                "hm": holder_masked,
                "iat": int(issued_at.timestamp()),
                "data": record_digest(payload),
            }
            if valid_until is not None:
                claims["exp"] = int(valid_until.timestamp())
            if facts:
                claims["facts"] = dict(facts)
            token = signing.sign_payload(claims, key=key)
            body = render(number, code, token)
            if not isinstance(body, bytes | bytearray):
                raise TypeError("render must return the PDF's bytes")
            digest = body_digest(bytes(body))
            sealed = seal(bytes(body), signing.sign_payload({**claims, PDF_CLAIM: digest}, key=key))
            document = IssuedDocument(
                kind=kind,
                number=number,
                verification_code=code,
                payload=claims,
                record_data=dict(payload),
                token=token,
                key_id=key.key_id,
                pdf_sha256=digest,
                holder_hash=holder_hash,
                holder_masked=holder_masked,
                issued_at=issued_at,
                valid_until=valid_until,
                issued_by=actor,
            )
            document.pdf.save(f"{number}.pdf", ContentFile(sealed), save=False)
            stored_name = document.pdf.name
            document.save()
            record_audit_event("document_issued", document, actor, {"key_id": key.key_id})
    except BaseException:
        if stored_name:
            IssuedDocument._meta.get_field("pdf").storage.delete(stored_name)
        raise
    return document


# --- Verifying ---------------------------------------------------------------------------------


# The public, rate-limited answer to a typed code reads only what it shows. A raw query
# skips the ORM's SQL compilation: 4x faster per check, measured by bench/certificate_verify.py.
# The table name is ours; the code is a query parameter.
_BY_CODE_COLUMNS = (
    "id, kind, number, holder_masked, issued_at, valid_until, revoked_at, status, payload"
)
_BY_CODE_SQL = (
    f"SELECT {_BY_CODE_COLUMNS} FROM {IssuedDocument._meta.db_table} WHERE verification_code = %s"  # noqa: S608
)


def verify_by_code(code: str) -> VerificationResult:
    """The registry's answer for a typed code (``InvalidCode`` if it cannot be a code)."""
    normalised = normalise_code(code)
    document = next(iter(IssuedDocument.objects.raw(_BY_CODE_SQL, [normalised])), None)
    if document is None:
        return VerificationResult(status=VerificationStatus.UNKNOWN, registry_checked=True)
    return result_from_record(document)


def _with_registry(claims: Mapping[str, Any], offline: VerificationResult) -> VerificationResult:
    """The registry's word on a document whose signature held: revoked wins, unknown if absent."""
    document = IssuedDocument.objects.filter(number=str(claims.get("no", ""))).first()
    if document is None or document.payload.get("hh") != claims.get("hh"):
        return VerificationResult(status=VerificationStatus.UNKNOWN, registry_checked=True)
    if document.status == DocumentStatus.REVOKED:
        return result_from_record(document)
    return VerificationResult(**{**asdict(offline), "revoked_at": None, "registry_checked": True})


def _offline_result(check: Callable[[], dict[str, Any]]) -> tuple[dict | None, VerificationResult]:
    try:
        claims = check()
    except TokenError as error:
        if error.reason == Problem.EXPIRED and error.payload is not None:
            result = result_from_claims(error.payload, VerificationStatus.EXPIRED)
            return error.payload, result
        return None, VerificationResult(status=VerificationStatus.INVALID, problem=error.reason)
    return claims, result_from_claims(claims, VerificationStatus.VALID)


def verify_token(
    token: str,
    keys: Mapping[str, Ed25519PublicKey] | None = None,
    *,
    registry: bool = True,
) -> VerificationResult:
    """Check a token (from a QR code): its signature and expiry, then the registry's status."""
    claims, result = _offline_result(lambda: signing.verify_token(token, keys))
    if claims is None or not registry:
        return result
    return _with_registry(claims, result)


def verify_pdf(
    data: bytes,
    keys: Mapping[str, Ed25519PublicKey] | None = None,
    *,
    registry: bool = False,
) -> VerificationResult:
    """Check a PDF offline: its seal's signature and that every byte is as signed.

    ``keys`` are the trusted public keys by key id (e.g. ``keys.load_jwks_file``); the
    platform's own by default. With ``registry=True`` the registry's revocation status counts.
    """
    claims, result = _offline_result(lambda: check_sealed_pdf(data, keys))
    if claims is None or not registry:
        return result
    return _with_registry(claims, result)


def verification_wait(client_address: str) -> int:
    """0 while this address may verify again this minute; else the seconds until it may.

    Pages and the API share one budget, so neither is a way around the other's limit.
    """
    limit = getattr(settings, "TONGBAN_VERIFICATIONS_PER_MINUTE", 30)
    return ratelimit.wait_seconds(
        "document-verify", client_address, limit=limit, window_seconds=RATE_WINDOW_SECONDS
    )


def published_keys() -> dict[str, Any]:
    """The JWK Set of every key that verifies documents (``/.well-known/tongban-keys.json``)."""
    return signing_keys.key_ring().jwks()


# --- Reading and revoking ----------------------------------------------------------------------


def documents_for_holders(
    holder_hashes: list[str], kinds: list[str], *, limit: int = 10
) -> list[IssuedDocument]:
    """The newest documents of ``kinds`` issued to any of ``holder_hashes`` (bounded)."""
    if not holder_hashes or not kinds:
        return []
    found = IssuedDocument.objects.filter(holder_hash__in=holder_hashes, kind__in=kinds)
    return list(found.defer("payload", "record_data", "token").order_by("-issued_at")[:limit])


def get_document(number: str) -> IssuedDocument:
    try:
        return IssuedDocument.objects.get(number=number)
    except IssuedDocument.DoesNotExist:
        raise DocumentError(_("No document is numbered %(number)s.") % {"number": number}) from None


def read_pdf(document: IssuedDocument) -> bytes:
    with document.pdf.open("rb") as stored:
        return stored.read()


def revoke(document: IssuedDocument, reason: str, actor: Any) -> IssuedDocument:
    """Revoke a valid document; verification says "revoked" from then on. Audited."""
    actor = actor_name(actor)
    reason = (reason or "").strip()
    if not reason:
        raise DocumentError(_("Give the reason for revoking the document."))
    if len(reason) > MAX_REVOCATION_REASON:
        raise DocumentError(
            _("The reason may be at most %(limit)d characters.") % {"limit": MAX_REVOCATION_REASON}
        )
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.status != DocumentStatus.VALID:
            raise DocumentError(
                _("Document %(number)s is already revoked.") % {"number": locked.number}
            )
        locked.status = DocumentStatus.REVOKED
        locked.revoked_at = timezone.now()
        locked.revoked_reason = reason
        locked.revoked_by = actor
        locked.save(update_fields=["status", "revoked_at", "revoked_reason", "revoked_by"])
        record_audit_event("document_revoked", locked, actor, {"reason": reason})
    return locked


def record_audit_event(event: str, document: IssuedDocument, actor: str, extra: dict) -> None:
    """The one place documents writes the audit trail (inside the caller's transaction)."""
    from tongban.core import audit

    audit.record(
        event,
        actor=actor,
        obj_type="document",
        obj_id=document.number,
        payload={"kind": document.kind, "number": document.number, **extra},
    )
