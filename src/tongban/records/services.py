"""The records app's public face: department records about a subject, and whose they are.

``fetch_record(kind, subject)`` asks the provider configured for ``kind``. ``subjects_of``
names the subjects a person may obtain records about: their own identity documents, and the
companies they hold a valid *certificates* authorisation for — nobody else's.
"""

from __future__ import annotations

import structlog
from django.utils.translation import gettext as _

from tongban.accounts import services as accounts
from tongban.accounts.constants import AuthorisationScope

from . import providers
from .constants import RecordKind
from .errors import RecordError, RecordUnavailable
from .importing import ImportRefused, ImportReport, import_file, import_records
from .providers import ProviderHealth, RecordProvider
from .subjects import InvalidSubject, Subject, make_subject, parse_subject
from .types import Record, from_data, to_data

__all__ = [
    "ImportRefused",
    "ImportReport",
    "InvalidSubject",
    "ProviderHealth",
    "Record",
    "RecordError",
    "RecordKind",
    "RecordProvider",
    "RecordUnavailable",
    "Subject",
    "check_providers",
    "create_demo_records",
    "demo_subject",
    "fetch_record",
    "from_data",
    "import_file",
    "import_records",
    "make_subject",
    "parse_subject",
    "is_department_staff",
    "person_by_document",
    "person_by_pk",
    "person_of_user",
    "subjects_of",
    "to_data",
]

log = structlog.get_logger("tongban.records")

# Mainland departments know Hong Kong and Macau residents by these first.
DOCUMENT_PREFERENCE = ["hmt-permit", "hkmo-residence-permit", "cn-id", "mo-bir", "hkid", "passport"]


def fetch_record(kind: str, subject: Subject) -> Record | None:
    """The department's record of ``kind`` about ``subject`` (None: it has none)."""
    provider = providers.provider_for(kind)
    record = provider.fetch(kind, subject)
    log.info("record_fetched", kind=kind, provider=provider.name, found=record is not None)
    return record


def check_providers() -> dict[str, ProviderHealth]:
    """Each kind's provider health, for the health page."""
    return {kind: providers.provider_for(kind).check() for kind in RecordKind.values}


def person_subjects(person) -> list[Subject]:
    documents = sorted(
        person.documents.all(),
        key=lambda d: (
            DOCUMENT_PREFERENCE.index(d.kind) if d.kind in DOCUMENT_PREFERENCE else 99,
            d.pk,
        ),
    )
    return [Subject(document.kind, document.number) for document in documents]


def company_subjects(person) -> list[tuple[Subject, str]]:
    """(subject, name) of each company ``person`` may obtain certificates for now."""
    result = []
    for company, authorisations in accounts.companies_of(person):
        if any(a.scope == AuthorisationScope.CERTIFICATES for a in authorisations):
            result.append((Subject(company.identifier_kind, company.identifier), str(company)))
    return result


def subjects_of(person) -> list[Subject]:
    """Every subject ``person`` may obtain records about (own documents, then companies)."""
    if person is None:
        return []
    return person_subjects(person) + [subject for subject, _name in company_subjects(person)]


def person_by_document(kind: str, number: str):
    """The person holding this identity document, or None (for the kiosk's identification).

    Matched by the keyed hash alone; ``InvalidSubject`` when the number cannot be one.
    """
    from tongban.accounts.models import IdentityDocument

    subject = make_subject(kind, number)
    if subject.is_company:
        raise InvalidSubject(_("Choose a kind of identity document."))
    document = (
        IdentityDocument.objects.select_related("person")
        .filter(kind=subject.kind, number_hash=subject.lookup_hash)
        .first()
    )
    return document.person if document else None


def person_by_pk(pk):
    """The person with this id, or None (a kiosk session keeps only the id)."""
    from tongban.accounts.models import Person

    return Person.objects.filter(pk=pk).first() if pk else None


def person_of_user(user):
    """The person profile of a signed-in account (None for an account without one)."""
    return accounts.person_for(user)


def is_department_staff(user, department) -> bool:
    """Whether ``user`` acts for ``department`` (a catalog Department, or None): one of its
    reviewers, or a supervisor. Departments revoke what was made from their records."""
    from types import SimpleNamespace

    target = SimpleNamespace(department_id=getattr(department, "pk", None))
    return accounts.can(user, accounts.Action.CASE_REVIEW, target)


def create_demo_records(today=None) -> dict:
    from .demo import create_demo_records as create

    return create(today)


def demo_subject() -> Subject:
    from .demo import demo_subject as subject

    return subject()
