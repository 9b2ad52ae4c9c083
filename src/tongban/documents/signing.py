"""Canonical payloads and compact JWS tokens signed with the platform's Ed25519 key.

A token is a standard compact JWS (RFC 7515) with header ``{"alg": "Ed25519", "kid": ...}``
and, as payload, the canonical JSON of a dict (sorted keys, no whitespace, UTF-8). Any JOSE
library holding the public key from ``/.well-known/tongban-keys.json`` can check it.
``verify_token`` says precisely why a token fails, as a ``TokenError`` with a ``reason`` code
and a translated message.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.utils.translation import gettext_lazy as _
from joserfc import jws
from joserfc.errors import BadSignatureError, JoseError
from joserfc.jwk import OKPKey

from . import keys as signing_keys
from .constants import Problem

ALGORITHM = "Ed25519"
MAX_TOKEN_LENGTH = 8192  # far above any document's token; refuses junk before decoding it

PROBLEM_MESSAGES = {
    Problem.MALFORMED: _("The token is damaged or is not a Tongban document token."),
    Problem.UNKNOWN_KEY: _(
        "The token was signed with a key this platform does not know or no longer publishes."
    ),
    Problem.BAD_SIGNATURE: _(
        "The token's signature does not match its contents: it was altered or forged."
    ),
    Problem.EXPIRED: _("The document's validity period has ended."),
    Problem.NOT_PDF: _("The file is not a PDF document."),
    Problem.NO_TOKEN: _(
        "The PDF carries no Tongban signature: it was not issued by Tongban, or it is "
        "incomplete (truncated)."
    ),
    Problem.PDF_MODIFIED: _(
        "The PDF was changed after it was signed: its contents no longer match the signature."
    ),
}


class TokenError(Exception):
    """Why a token (or a signed PDF) does not verify.

    ``reason`` is a ``Problem`` code for programs; ``message`` says it in the active language.
    ``payload`` is set when the signature held but the document is expired.
    """

    def __init__(self, reason: Problem, payload: dict[str, Any] | None = None):
        self.reason = Problem(reason)
        self.payload = payload
        super().__init__(str(self.message))

    @property
    def message(self) -> str:
        return str(PROBLEM_MESSAGES[self.reason])


def canonical_json(value: Any) -> bytes:
    """The one byte form of a JSON value that is signed and hashed."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


# joserfc key objects are rebuilt from the same bytes on every call otherwise.
_signing_jwk: dict[str, OKPKey] = {}
_verifying_jwk: dict[bytes, OKPKey] = {}


def forget_verifiers() -> None:
    _signing_jwk.clear()
    _verifying_jwk.clear()


def _private_jwk(key: signing_keys.SigningKey) -> OKPKey:
    jwk = _signing_jwk.get(key.key_id)
    if jwk is None:
        assert key.private_key is not None
        jwk = OKPKey.import_key(signing_keys.private_pem(key.private_key))
        _signing_jwk[key.key_id] = jwk
    return jwk


def _public_jwk(public_key: Ed25519PublicKey) -> OKPKey:
    raw = signing_keys.raw_public_bytes(public_key)
    jwk = _verifying_jwk.get(raw)
    if jwk is None:
        jwk = OKPKey.import_key({"kty": "OKP", "crv": "Ed25519", "x": signing_keys.b64url(raw)})
        _verifying_jwk[raw] = jwk
    return jwk


def sign_payload(payload: Mapping[str, Any], *, key: signing_keys.SigningKey | None = None) -> str:
    """A compact JWS over ``canonical_json(payload)``, signed by ``key`` or the platform's key."""
    key = key or signing_keys.signing_key()
    header = {"alg": ALGORITHM, "kid": key.key_id}
    return jws.serialize_compact(
        header, canonical_json(dict(payload)), _private_jwk(key), algorithms=[ALGORITHM]
    )


def token_key_id(token: str) -> str:
    """The ``kid`` of a well-formed token's header; ``TokenError(MALFORMED)`` otherwise."""
    if not isinstance(token, str) or not token or len(token) > MAX_TOKEN_LENGTH:
        raise TokenError(Problem.MALFORMED)
    parts = token.split(".")
    if len(parts) != 3 or not all(parts):
        raise TokenError(Problem.MALFORMED)
    try:
        header = json.loads(signing_keys.b64decode_any(parts[0]))
    except (ValueError, UnicodeDecodeError):
        raise TokenError(Problem.MALFORMED) from None
    if not isinstance(header, dict) or header.get("alg") != ALGORITHM:
        raise TokenError(Problem.MALFORMED)
    key_id = header.get("kid")
    if not isinstance(key_id, str) or not key_id:
        raise TokenError(Problem.MALFORMED)
    if set(header) - {"alg", "kid", "typ"}:
        # "crit", "b64" and friends change what is signed; a document token never has them.
        raise TokenError(Problem.MALFORMED)
    return key_id


def verify_token(
    token: str,
    keys: Mapping[str, Ed25519PublicKey] | None = None,
    *,
    now: float | None = None,
) -> dict[str, Any]:
    """The payload of a token signed by one of ``keys`` (default: the platform's key ring).

    Raises ``TokenError`` with reason ``malformed``, ``unknown_key``, ``bad_signature`` or
    ``expired`` (payload field ``exp``, seconds since 1970, compared with ``now``).
    """
    key_id = token_key_id(token)
    trusted = signing_keys.key_ring().verification_keys() if keys is None else keys
    public_key = trusted.get(key_id)
    if public_key is None:
        raise TokenError(Problem.UNKNOWN_KEY)
    try:
        signed = jws.deserialize_compact(token, _public_jwk(public_key), algorithms=[ALGORITHM])
    except BadSignatureError:
        raise TokenError(Problem.BAD_SIGNATURE) from None
    except (JoseError, ValueError, UnicodeDecodeError):
        raise TokenError(Problem.MALFORMED) from None
    try:
        payload = json.loads(signed.payload)
    except (ValueError, UnicodeDecodeError):
        raise TokenError(Problem.MALFORMED) from None
    if not isinstance(payload, dict):
        raise TokenError(Problem.MALFORMED)
    expires = payload.get("exp")
    if expires is not None:
        if not isinstance(expires, int) or isinstance(expires, bool):
            raise TokenError(Problem.MALFORMED)
        if (time.time() if now is None else now) >= expires:
            raise TokenError(Problem.EXPIRED, payload)
    return payload
