"""Companies and the persons authorised to act for them (part of the accounts services)."""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts import identifiers, trail
from tongban.accounts.applicants import Authorisation, Company, Person, valid_authorisations
from tongban.accounts.constants import AuthorisationScope, CompanyIdentifierKind
from tongban.accounts.errors import DuplicateDocument, invalid
from tongban.accounts.permissions import Action, require
from tongban.core import crypto

MACAU_REGISTRATION = re.compile(r"^(\d{1,8})([A-Z]{1,3})?$")


def _normalise_macau_registration(value: str) -> str:
    # Format only: the Macao commercial registry numbers entities with digits and a suffix
    # for the kind of entity (e.g. SO for companies); no check digit is published.
    folded = unicodedata.normalize("NFKC", value or "").upper()
    compact = re.sub(r"[\s\-()]", "", folded)
    match = MACAU_REGISTRATION.match(compact)
    if not match:
        raise identifiers.InvalidIdentifier(
            identifiers.Problem.CHARACTER,
            _(
                "A Macao commercial registration number has up to 8 digits, optionally "
                "followed by letters such as SO, for example 12345(SO)."
            ),
        )
    digits, suffix = match.groups()
    return f"{digits}({suffix})" if suffix else digits


def normalise_company_identifier(kind: str, value: str) -> str:
    if kind not in CompanyIdentifierKind.values:
        raise invalid("identifier_kind", _("Choose a kind of company number."), "company_kind")
    try:
        if kind == CompanyIdentifierKind.MACAU_REGISTRATION:
            return _normalise_macau_registration(value)
        return identifiers.validate(kind, value)
    except identifiers.InvalidIdentifier as error:
        raise invalid("identifier", str(error), f"identifier_{error.problem}") from error


def mask_company_identifier(kind: str, normalised: str) -> str:
    if kind == CompanyIdentifierKind.MACAU_REGISTRATION:
        digits = normalised.split("(")[0]
        shown = digits[:1] + "*" * (len(digits) - 1)
        return shown + normalised[len(digits) :]
    return identifiers.mask(kind, normalised)


def company_lookup_hash(kind: str, normalised: str) -> str:
    return crypto.lookup_hash(normalised, purpose=f"company:{kind}")


def _duplicate_company() -> DuplicateDocument:
    message = _(
        "This company is already registered. Ask a person who manages it in Tongban "
        "to authorise you, or bring its papers to a service zone counter."
    )
    return DuplicateDocument({"identifier": ValidationError(message, code="duplicate_company")})


@transaction.atomic
def create_company(
    actor,
    *,
    identifier_kind: str,
    identifier: str,
    name_zh: str = "",
    name_en: str = "",
    legal_representative: str = "",
    authorise_person: Person | None = None,
) -> Company:
    """A new company. ``authorise_person`` (usually the creator) may act for it in every scope."""
    require(actor, Action.COMPANY_CREATE)
    normalised = normalise_company_identifier(identifier_kind, identifier)
    lookup = company_lookup_hash(identifier_kind, normalised)
    if Company.objects.filter(identifier_kind=identifier_kind, identifier_hash=lookup).exists():
        raise _duplicate_company()
    company = Company(
        name_zh=(name_zh or "").strip(),
        name_en=(name_en or "").strip(),
        identifier_kind=identifier_kind,
        identifier=normalised,
        identifier_hash=lookup,
        identifier_masked=mask_company_identifier(identifier_kind, normalised),
        legal_representative=(legal_representative or "").strip(),
        created_by=actor,
    )
    if not company.name_zh and not company.name_en:
        raise invalid("name_zh", _("Enter the company's name."), "name_required")
    company.full_clean(exclude=["created_by"])
    try:
        with transaction.atomic():
            company.save()
    except IntegrityError as error:
        raise _duplicate_company() from error
    if authorise_person is not None:
        now = timezone.now()
        Authorisation.objects.bulk_create(
            Authorisation(
                person=authorise_person,
                company=company,
                scope=scope,
                valid_from=now,
                granted_by=actor,
            )
            for scope in AuthorisationScope.values
        )
    trail.record("company_created", actor, "accounts.company", company.pk)
    return company


@transaction.atomic
def authorise(
    actor,
    person: Person,
    company: Company,
    scopes: list[str],
    *,
    valid_from=None,
    valid_until=None,
) -> list[Authorisation]:
    """Lets ``person`` act for ``company`` in each scope; a scope already held is kept as is."""
    require(actor, Action.COMPANY_AUTHORISE, company)
    if not scopes:
        raise invalid("scopes", _("Choose at least one thing the person may do."), "scope")
    unknown = set(scopes) - set(AuthorisationScope.values)
    if unknown:
        raise invalid("scopes", _("Choose from the listed scopes."), "scope")
    valid_from = valid_from or timezone.now()
    if valid_until is not None and valid_until <= valid_from:
        raise invalid("valid_until", _("The end must come after the start."), "period")
    held = set(
        Authorisation.objects.filter(
            valid_authorisations(timezone.now()), person=person, company=company
        ).values_list("scope", flat=True)
    )
    created = [
        Authorisation.objects.create(
            person=person,
            company=company,
            scope=scope,
            valid_from=valid_from,
            valid_until=valid_until,
            granted_by=actor,
        )
        for scope in scopes
        if scope not in held
    ]
    trail.record(
        "company_authorised",
        actor,
        "accounts.company",
        company.pk,
        person=person.pk,
        scopes=[a.scope for a in created],
    )
    return created


@transaction.atomic
def revoke_authorisation(actor, authorisation: Authorisation) -> Authorisation:
    require(actor, Action.COMPANY_AUTHORISE, authorisation.company)
    authorisation = Authorisation.objects.select_for_update().get(pk=authorisation.pk)
    if authorisation.scope == AuthorisationScope.MANAGE and authorisation.revoked_at is None:
        managers = Authorisation.objects.select_for_update().filter(
            valid_authorisations(timezone.now()),
            company_id=authorisation.company_id,
            scope=AuthorisationScope.MANAGE,
        )
        if managers.count() <= 1:
            raise invalid(
                "scope",
                _("Someone must still manage the company: authorise another manager first."),
                "last_manager",
            )
    if authorisation.revoked_at is None:
        authorisation.revoked_at = timezone.now()
        authorisation.save(update_fields=["revoked_at"])
        trail.record(
            "authorisation_revoked",
            actor,
            "accounts.company",
            authorisation.company_id,
            authorisation=authorisation.pk,
            person=authorisation.person_id,
        )
    return authorisation


def authorise_by_document(
    actor, company: Company, kind: str, number: str, scopes: list[str], *, valid_until=None
) -> list[Authorisation]:
    """Authorises the person holding this document. Only a company's managers may ask, so
    the answer "nobody holds it" is not an open lookup of who has an account."""
    from tongban.accounts.services import document_lookup_hash, normalise_document

    require(actor, Action.COMPANY_AUTHORISE, company)
    normalised = normalise_document(kind, number)
    person = Person.objects.filter(
        documents__kind=kind, documents__number_hash=document_lookup_hash(kind, normalised)
    ).first()
    if person is None:
        raise invalid(
            "number",
            _(
                "Nobody has registered with this document yet. Ask them to create their "
                "Tongban profile first."
            ),
            "person_not_found",
        )
    return authorise(actor, person, company, scopes, valid_until=valid_until)


def companies_of(person: Person) -> list[tuple[Company, list[Authorisation]]]:
    """Companies ``person`` may act for now, each with the authorisations in force."""
    authorisations = (
        Authorisation.objects.filter(valid_authorisations(timezone.now()), person=person)
        .select_related("company")
        .order_by("company_id", "scope")
    )
    grouped: dict[int, tuple[Company, list[Authorisation]]] = {}
    for authorisation in authorisations:
        grouped.setdefault(authorisation.company_id, (authorisation.company, []))[1].append(
            authorisation
        )
    return list(grouped.values())


def authorisations_of(actor, company: Company) -> list[Authorisation]:
    """Every authorisation of ``company`` (also past ones), for those who manage it."""
    require(actor, Action.COMPANY_AUTHORISE, company)
    return list(
        Authorisation.objects.filter(company=company)
        .select_related("person")
        .order_by("-valid_from")
    )
