"""Verification codes people type, and the kinds of document with their numbers.

A verification code is 12 symbols of Crockford's base32 alphabet (no I, L, O or U, so nothing
reads two ways), drawn with ``secrets``: 60 random bits, shown grouped ``ABCD-EFGH-JKMN``.
Typing is forgiving as Crockford intends: case, spaces and hyphens do not matter, and O, I and
L are read as 0, 1 and 1.

Apps register the kinds they issue (``register_kind`` in their ``AppConfig.ready``); each kind
has a label and a number prefix, and its numbers run per year: ``JMV-2026-000123``.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12
GROUP = 4
_TYPING_MISTAKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.·・]+")
KIND_NAME = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
NUMBER_PREFIX = re.compile(r"^[A-Z]{2,6}$")


class InvalidCode(ValueError):
    """A typed verification code that cannot be one; ``message`` is translated."""

    def __init__(self, message):
        self.message = message
        super().__init__(str(message))


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """The 12-symbol code in ``typed``, or ``InvalidCode`` saying what is wrong with it."""
    compact = _SEPARATORS.sub("", (typed or "").strip()).upper().translate(_TYPING_MISTAKES)
    if not compact:
        raise InvalidCode(_("Enter the verification code printed on the document."))
    strange = sorted({char for char in compact if char not in ALPHABET})
    if strange:
        raise InvalidCode(
            _(
                "“%(characters)s” cannot appear in a verification code, which is made of the "
                "digits 0–9 and the letters A–Z (never U)."
            )
            % {"characters": "".join(strange)[:10]}
        )
    if len(compact) != CODE_LENGTH:
        raise InvalidCode(
            _("A verification code has %(expected)d characters; you typed %(typed)d.")
            % {"expected": CODE_LENGTH, "typed": len(compact)}
        )
    return compact


def format_code(code: str) -> str:
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def verification_url(*, token: str | None = None, code: str | None = None) -> str:
    """The public verification page's absolute address, optionally with a token or code."""
    base = getattr(settings, "TONGBAN_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    query = {key: value for key, value in (("t", token), ("code", code)) if value}
    return f"{base}/verify" + (f"?{urlencode(query)}" if query else "")


# --- Kinds ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentKind:
    """A kind of document an app issues, e.g. ``acceptance_voucher`` numbered ``JMV-…``."""

    name: str
    label: str | Promise
    number_prefix: str
    # What the document states, for /verify: ``describe(facts)`` turns the signed ``facts``
    # claim into (translated label, value) lines; the issuing app knows what they mean.
    describe: Callable[[Mapping[str, Any]], list[tuple[str, str]]] | None = field(
        default=None, compare=False
    )

    def __post_init__(self):
        if not KIND_NAME.match(self.name):
            raise ValueError(f"Document kind {self.name!r} must be a lower-case name")
        if not NUMBER_PREFIX.match(self.number_prefix):
            raise ValueError(f"Number prefix {self.number_prefix!r} must be 2 to 6 capitals")

    def counter_name(self, year: int) -> str:
        return f"document:{self.number_prefix}:{year}"

    def format_number(self, year: int, sequence: int) -> str:
        return f"{self.number_prefix}-{year}-{sequence:06d}"


_kinds: dict[str, DocumentKind] = {}


def register_kind(kind: DocumentKind) -> DocumentKind:
    """Register (idempotently) a kind; two kinds may not share a name or a number prefix."""
    existing = _kinds.get(kind.name)
    if existing is not None:
        if existing != kind:
            raise ValueError(f"Document kind {kind.name!r} is already registered differently")
        return existing
    for other in _kinds.values():
        if other.number_prefix == kind.number_prefix:
            raise ValueError(
                f"Number prefix {kind.number_prefix} is already used by kind {other.name!r}"
            )
    _kinds[kind.name] = kind
    return kind


def unregister_kind(name: str) -> None:
    _kinds.pop(name, None)


def get_kind(name: str) -> DocumentKind:
    try:
        return _kinds[name]
    except KeyError:
        known = ", ".join(sorted(_kinds)) or "none"
        raise LookupError(f"No document kind {name!r} (registered: {known})") from None


def kind_label(name: str) -> str:
    """The kind's translated label; the bare name for a kind no longer registered."""
    kind = _kinds.get(name)
    return str(kind.label) if kind else name


def describe_facts(name: str, facts: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """The signed facts of a document of kind ``name`` as (label, value) lines to show."""
    kind = _kinds.get(name)
    if not facts or kind is None or kind.describe is None:
        return []
    return kind.describe(facts)


def registered_kinds() -> list[DocumentKind]:
    return sorted(_kinds.values(), key=lambda kind: kind.name)
