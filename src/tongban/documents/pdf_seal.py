"""The signature that makes a whole PDF checkable offline (docs/document-signing.md).

A digest cannot sit inside the bytes it digests, so the seal goes after them: the finished PDF
(``body``, ending in ``%%EOF``) is hashed, a token signing the document's claims plus
``"pdf": sha256(body)`` is made, and one PDF comment line is appended::

    <body>%TONGBAN-SIG <compact JWS>\\n

PDF readers ignore a comment after ``%%EOF``. ``check_sealed_pdf`` splits the last such line
off, checks the token's signature, then recomputes the digest of everything before the line:
one byte changed, added or removed anywhere makes it fail with a precise reason.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .constants import Problem
from .signing import TokenError, verify_token

MARKER = b"%TONGBAN-SIG "
PDF_CLAIM = "pdf"
PDF_HEADER = b"%PDF-"
EOF_MARKER = b"%%EOF"
_COMPACT_JWS = re.compile(rb"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


def body_digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def seal(body: bytes, token: str) -> bytes:
    """``body`` (a complete PDF) followed by the seal line carrying ``token``."""
    if not body.startswith(PDF_HEADER) or not body.rstrip().endswith(EOF_MARKER):
        raise ValueError("only a complete PDF (from %PDF- to %%EOF) can be sealed")
    if not _COMPACT_JWS.fullmatch(token.encode("ascii")):
        raise ValueError("the seal must be a compact JWS")
    if not body.endswith(b"\n"):
        body += b"\n"
    return body + MARKER + token.encode("ascii") + b"\n"


def unseal(data: bytes) -> tuple[bytes, str]:
    """(body, token) of a sealed PDF; ``TokenError`` when there is no complete seal."""
    if not data.startswith(PDF_HEADER):
        raise TokenError(Problem.NOT_PDF)
    position = data.rfind(MARKER)
    if position < 0 or not data.endswith(b"\n"):
        # No seal, or the file stops before the seal's end: a truncated file lands here.
        raise TokenError(Problem.NO_TOKEN)
    line = data[position + len(MARKER) : -1]
    if b"\n" in line or b"\r" in line:
        # Bytes were appended after the seal line.
        raise TokenError(Problem.PDF_MODIFIED)
    if not _COMPACT_JWS.fullmatch(line):
        raise TokenError(Problem.MALFORMED)
    return data[:position], line.decode("ascii")


def check_sealed_pdf(
    data: bytes,
    keys: Mapping[str, Ed25519PublicKey] | None = None,
    *,
    now: float | None = None,
) -> dict[str, Any]:
    """The signed claims of a sealed PDF whose every byte is as signed.

    Raises ``TokenError``: ``not_pdf``, ``no_token``, ``malformed``, ``unknown_key``,
    ``bad_signature``, ``pdf_modified``, or ``expired`` (with the claims, once everything else
    holds: an altered expired PDF is reported as altered).
    """
    body, token = unseal(data)
    expired: TokenError | None = None
    try:
        claims = verify_token(token, keys, now=now)
    except TokenError as error:
        if error.reason != Problem.EXPIRED:
            raise
        expired, claims = error, error.payload or {}
    signed_digest = claims.get(PDF_CLAIM)
    if not isinstance(signed_digest, str):
        raise TokenError(Problem.MALFORMED)
    if signed_digest != body_digest(body):
        raise TokenError(Problem.PDF_MODIFIED)
    if expired is not None:
        raise expired
    return claims
