"""Whom a record is about: a person's identity document or a company's registration number.

A ``Subject`` holds the normalised number in memory only (a remote department system needs
it); local tables and logs only ever see ``lookup_hash`` (the same keyed hash accounts keeps
beside the encrypted number) and ``masked``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tongban.accounts import services as accounts
from tongban.accounts.constants import PERSON_DOCUMENT_KINDS, CompanyIdentifierKind

PERSON_KINDS = frozenset(kind.value for kind in PERSON_DOCUMENT_KINDS)
COMPANY_KINDS = frozenset(CompanyIdentifierKind.values)


class InvalidSubject(ValueError):
    """An identifier that cannot name anyone; ``message`` is translated and safe to show."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class Subject:
    kind: str
    number: str  # normalised; never stored or logged

    def __repr__(self) -> str:  # keeps the number out of tracebacks and logs
        return f"Subject({self.kind!r}, {self.masked!r})"

    __str__ = __repr__

    @property
    def is_company(self) -> bool:
        return self.kind in COMPANY_KINDS

    @property
    def lookup_hash(self) -> str:
        if self.is_company:
            return accounts.company_lookup_hash(self.kind, self.number)
        return accounts.document_lookup_hash(self.kind, self.number)

    @property
    def kind_label(self) -> str:
        from tongban.accounts.identifiers import IdentifierKind

        if self.kind in IdentifierKind.values:
            return str(IdentifierKind(self.kind).label)
        return str(CompanyIdentifierKind(self.kind).label)

    @property
    def masked(self) -> str:
        if self.is_company:
            from tongban.accounts.companies import mask_company_identifier

            return mask_company_identifier(self.kind, self.number)
        from tongban.accounts.identifiers import mask

        return mask(self.kind, self.number)


def _first_message(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        for errors in error.error_dict.values():
            return str(errors[0].message % (errors[0].params or {}))
    return str(error.messages[0])


def make_subject(kind: str, number: str) -> Subject:
    """A subject from a typed kind and number, normalised; ``InvalidSubject`` if impossible."""
    kind = (kind or "").strip()
    try:
        if kind in COMPANY_KINDS:
            return Subject(kind, accounts.normalise_company_identifier(kind, number))
        if kind in PERSON_KINDS:
            return Subject(kind, accounts.normalise_document(kind, number))
    except ValidationError as error:
        raise InvalidSubject(_first_message(error)) from error
    known = ", ".join(sorted(PERSON_KINDS | COMPANY_KINDS))
    raise InvalidSubject(
        _("Unknown kind of identifier “%(kind)s”; use one of: %(known)s.")
        % {"kind": kind[:40], "known": known}
    )


def parse_subject(text: str) -> Subject:
    """``KIND:NUMBER`` (as the command line takes it) → a subject."""
    kind, separator, number = (text or "").partition(":")
    if not separator:
        raise InvalidSubject(_("Write the identifier as KIND:NUMBER, e.g. mo-bir:1234567(8)."))
    return make_subject(kind, number)
