"""The certificates app's public face: issue, read, verify and revoke self-service certificates.

``issue_certificate`` checks who asks, fetches the record through the records provider, lays
it out and hands it to ``documents.issue_document``, which numbers, signs, seals, stores and
audits it. The rule: a certificate is only ever about the asker's own identity documents, or
about a company they hold a valid *certificates* authorisation for; an operator at the
command line is the one exception, and is audited like everyone else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import structlog
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.catalog import services as catalog
from tongban.core import audit, crypto
from tongban.documents import services as documents
from tongban.records import services as records

from .facts import facts_of
from .kinds import BY_DOCUMENT_KIND, CertificateKind, Channel, KindSpec, Language2, spec_for
from .narrowing import PeriodError, check_scope, narrow
from .rendering import render_pdf

log = structlog.get_logger("tongban.certificates")

__all__ = [
    "issued_to",
    "CertificateRefused",
    "KioskHolder",
    "Operator",
    "issue_certificate",
    "preview",
    "revoke_certificate",
]


class CertificateRefused(Exception):
    """Refused, with nothing issued; ``message`` is translated and safe to show."""

    def __init__(self, message: str, *, permission: bool = False):
        self.message = message
        self.permission = permission
        super().__init__(message)


@dataclass(frozen=True)
class KioskHolder:
    """A person who proved, at a kiosk, that they hold an identity document (one-time code)."""

    person: Any
    kiosk_session: str

    @property
    def actor(self) -> str:
        return f"service:kiosk.person-{self.person.pk}"


@dataclass(frozen=True)
class Operator:
    """Someone at the command line of a server (``tongban certificate issue``)."""

    name: str = "certificate"

    @property
    def actor(self) -> str:
        return f"command:{self.name}"


# --- Who asks, about whom ----------------------------------------------------------------------


def _person_of(requester) -> Any:
    if isinstance(requester, KioskHolder):
        return requester.person
    if getattr(requester, "is_authenticated", False):
        return records.person_of_user(requester)
    return None


def _actor_name(requester) -> str:
    if isinstance(requester, KioskHolder | Operator):
        return requester.actor
    return f"user:{requester.pk}"


def allowed_subjects(requester, kind: str) -> list[records.Subject]:
    """The subjects ``requester`` may obtain a certificate of ``kind`` about, best first."""
    spec = spec_for(kind)
    subjects = records.subjects_of(_person_of(requester))
    return [subject for subject in subjects if subject.is_company == spec.company]


def _refuse_someone_else(requester, kind: str, channel: str) -> CertificateRefused:
    with transaction.atomic():
        audit.record(
            "certificate_refused",
            actor=_actor_name(requester) if requester is not None else "system",
            obj_type="certificate",
            obj_id=kind,
            payload={"kind": kind, "channel": channel, "reason": "not_own_records"},
        )
    return CertificateRefused(
        _(
            "A certificate can only be about your own records, or about a company you are "
            "authorised to obtain certificates for."
        ),
        permission=True,
    )


def _resolve_subject(requester, spec: KindSpec, subject, channel: str, fetch) -> records.Subject:
    if isinstance(requester, Operator):
        if channel != Channel.COMMAND or subject is None:
            raise CertificateRefused(_("An operator names the holder (KIND:NUMBER)."))
        return subject
    if requester is None or (
        not isinstance(requester, KioskHolder) and not getattr(requester, "is_authenticated", False)
    ):
        raise CertificateRefused(_("Sign in first."), permission=True)
    allowed = allowed_subjects(requester, spec.kind)
    if subject is None:
        if not allowed:
            raise _refuse_someone_else(requester, spec.kind, channel)
        return _first_with_record(spec, allowed, fetch)
    if subject.lookup_hash not in {s.lookup_hash for s in allowed}:
        raise _refuse_someone_else(requester, spec.kind, channel)
    return subject


def _first_with_record(spec: KindSpec, subjects: list[records.Subject], fetch) -> records.Subject:
    """Of a person's documents, the first the department has a record under."""
    for subject in subjects:
        if fetch(spec, subject) is not None:
            return subject
    return subjects[0]


class _FetchOnce:
    """Each (kind, subject) asked of the provider once per request: a remote call is slow."""

    def __init__(self):
        self.answers: dict[tuple[str, str], object] = {}

    def __call__(self, spec: KindSpec, subject: records.Subject):
        key = (spec.record_kind, subject.lookup_hash)
        if key not in self.answers:
            self.answers[key] = _fetch_from_provider(spec, subject)
        return self.answers[key]


def _fetch_from_provider(spec: KindSpec, subject: records.Subject):
    try:
        return records.fetch_record(spec.record_kind, subject)
    except records.RecordUnavailable as error:
        raise CertificateRefused(error.message) from error


def _check_language(language2: str | None) -> str | None:
    if not language2:
        return None
    if language2 not in Language2.values:
        raise CertificateRefused(
            _("The second language must be one of: %(known)s.")
            % {"known": ", ".join(Language2.values)}
        )
    return language2


def _check_kind(kind: str) -> KindSpec:
    try:
        return spec_for(kind)
    except ValueError:
        raise CertificateRefused(
            _("Unknown certificate type “%(kind)s”; choose one of: %(known)s.")
            % {"kind": str(kind)[:40], "known": ", ".join(CertificateKind.values)}
        ) from None


# --- Preview and issue ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Prepared:
    spec: KindSpec
    subject: records.Subject
    record: Any  # narrowed to the period and insurance type asked for
    language2: str | None
    period: tuple[str, str] | None = None
    insurance_type: str | None = None


def prepare(
    requester,
    kind: str,
    subject=None,
    *,
    language2=None,
    channel=Channel.ONLINE,
    period: tuple[str | None, str | None] | None = None,
    insurance_type: str | None = None,
):
    """Permission, subject and record: everything but signing (the preview shows this).

    ``period`` is (first, last) month as YYYY-MM, or None for everything on record;
    ``insurance_type`` narrows a social insurance certificate to one type.
    """
    spec = _check_kind(kind)
    language2 = _check_language(language2)
    try:
        period, insurance_type = check_scope(spec, period, insurance_type)
    except PeriodError as error:
        raise CertificateRefused(error.message) from None
    fetch = _FetchOnce()
    subject = _resolve_subject(requester, spec, subject, channel, fetch)
    record = fetch(spec, subject)
    if record is None and spec.kind != CertificateKind.REAL_ESTATE:
        # A register extract saying "nothing registered" is an answer; an empty
        # social-insurance or tax certificate or credit report is not.
        raise CertificateRefused(
            _("%(department)s has no records for %(holder)s, so there is no %(kind)s to issue.")
            % {"department": spec.issuer_zh, "holder": subject.masked, "kind": spec.label}
        )
    record = narrow(spec, record, period, insurance_type)
    return Prepared(spec, subject, record, language2, period, insurance_type)


def preview(requester, kind: str, subject=None, *, language2=None, channel=Channel.ONLINE, **scope):
    """What the certificate would show (``scope``: ``period``, ``insurance_type``)."""
    return prepare(requester, kind, subject, language2=language2, channel=channel, **scope)


def issued_to(user, *, limit: int = 5) -> list:
    """The newest certificates issued about the signed-in person or their companies."""
    subjects = records.subjects_of(_person_of(user))
    hashes = [holder_hash(subject) for subject in subjects]
    return documents.documents_for_holders(hashes, list(BY_DOCUMENT_KIND), limit=limit)


def holder_hash(subject: records.Subject) -> str:
    return crypto.lookup_hash(subject.number, purpose=f"certificate-holder:{subject.kind}")


def issue_certificate(
    requester,
    kind: str,
    subject: records.Subject | None = None,
    language2: str | None = None,
    channel: str = Channel.ONLINE,
    *,
    period: tuple[str | None, str | None] | None = None,
    insurance_type: str | None = None,
):
    """Issue a certificate of ``kind`` about ``subject`` (None: the asker's own, best match),
    for ``period`` (first and last month, YYYY-MM; None: all on record) and, for social
    insurance, one ``insurance_type`` (None: all).

    Returns the ``documents`` IssuedDocument (number, verification code, stored PDF).
    Raises ``CertificateRefused`` with nothing issued.
    """
    channel = Channel(channel)
    scope = {"period": period, "insurance_type": insurance_type}
    prepared = prepare(requester, kind, subject, language2=language2, channel=channel, **scope)
    return issue_prepared(requester, prepared, channel)


def issue_prepared(requester, prepared: Prepared, channel: str):
    spec, subject = prepared.spec, prepared.subject
    issued_at = timezone.now().replace(microsecond=0)
    valid_until = issued_at + dt.timedelta(days=spec.valid_days)
    masked = subject.masked
    record_data = records.to_data(prepared.record) if prepared.record is not None else None
    facts = facts_of(spec.kind, prepared.record, prepared.period, record_data)
    if prepared.insurance_type:
        facts.claim["it"] = prepared.insurance_type
    payload = {
        "certificate": spec.kind,
        "language2": prepared.language2 or "",
        "holder_masked": masked,
        "record": record_data,
    }

    def render(number: str, code: str, token: str) -> bytes:
        return render_pdf(
            spec,
            prepared.record,
            holder_masked=masked,
            language2=prepared.language2,
            number=number,
            code=code,
            token=token,
            issued_at=issued_at,
            valid_until=valid_until,
            facts=facts,
        )

    actor = _actor_name(requester)
    with transaction.atomic():
        document = documents.issue_document(
            spec.document_kind,
            payload=payload,
            render=render,
            holder_hash=holder_hash(subject),
            holder_masked=masked,
            valid_until=valid_until,
            actor=actor,
            facts=facts.claim,
        )
        audit.record(
            "certificate_issued",
            actor=actor,
            obj_type="document",
            obj_id=document.number,
            payload={"kind": spec.kind, "channel": str(channel), "number": document.number},
        )
    log.info("certificate_issued", kind=spec.kind, channel=str(channel), number=document.number)
    return document


# --- Reading, verifying, revoking ------------------------------------------------------------------


def certificate_spec(document) -> KindSpec | None:
    return BY_DOCUMENT_KIND.get(document.kind)


def get_certificate(number: str):
    """The issued certificate with this number, or ``LookupError``."""
    try:
        document = documents.get_document((number or "").strip().upper())
    except Exception as error:  # DoesNotExist of another app's model
        raise LookupError(number) from error
    if certificate_spec(document) is None:
        raise LookupError(number)
    return document


def certificate_for_holder(requester, number: str):
    """The certificate if it is about ``requester``'s own records (else ``LookupError``)."""
    document = get_certificate(number)
    hashes = {holder_hash(s) for s in records.subjects_of(_person_of(requester))}
    if document.holder_hash not in hashes:
        raise LookupError(number)
    return document


def read_pdf(document) -> bytes:
    return documents.read_pdf(document)


InvalidCode = documents.InvalidCode


def verification_wait(client_address: str) -> int:
    """The documents' shared rate limit: the API and /verify spend one budget."""
    return documents.verification_wait(client_address)


def verify_code(code: str):
    """Same answer as ``/verify``: ``documents.verify_by_code`` (``InvalidCode`` if malformed)."""
    return documents.verify_by_code(code)


def verify_pdf(data: bytes, keys=None, *, registry: bool = False):
    return documents.verify_pdf(data, keys, registry=registry)


def issuing_department(spec: KindSpec):
    """The catalog's department whose records ``spec`` certifies (None if not in the catalog)."""
    try:
        return catalog.get_department(spec.issuer_credit_code)
    except LookupError:
        return None


def may_revoke(user, document) -> bool:
    spec = certificate_spec(document)
    return spec is not None and records.is_department_staff(user, issuing_department(spec))


def revoke_certificate(user, number: str, reason: str):
    """A department revokes a certificate made from its records, with a reason. Audited."""
    try:
        document = get_certificate(number)
    except LookupError:
        raise CertificateRefused(_("No certificate has this number.")) from None
    if not may_revoke(user, document):
        raise CertificateRefused(
            _("Only staff of the department whose records it certifies may revoke it."),
            permission=True,
        )
    try:
        return documents.revoke(document, reason, user)
    except documents.DocumentError as error:
        raise CertificateRefused(error.message) from error
