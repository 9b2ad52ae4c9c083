"""The accounts app's public face: every other app, page, API route and command calls these.

Identity numbers go in normalised, are stored encrypted with a keyed hash beside them, and
come out masked unless the viewer holds them (see ``permissions``). They are never logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import phonenumbers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts import identifiers, trail
from tongban.accounts.constants import (
    PERSON_DOCUMENT_KINDS,
    REGION_CALLING_CODE,
    Region,
)
from tongban.accounts.errors import DuplicateDocument, invalid
from tongban.accounts.identifiers import IdentifierKind, InvalidIdentifier
from tongban.accounts.lookup_limits import (  # noqa: F401  (re-exported for other apps)
    LookupLimitReached,
    VolumeAlert,
    spend_lookup,
    volume_alerts,
)
from tongban.accounts.models import (
    Authorisation,
    Company,
    IdentityDocument,
    Person,
    StaffAssignment,
)
from tongban.accounts.permissions import (  # noqa: F401  (re-exported for other apps)
    Action,
    can,
    forget_cached_roles,
    is_staff_member,
    require,
    sees_full_identifiers,
)
from tongban.accounts.role_permissions import works_in_admin  # noqa: F401  (re-exported)
from tongban.core import crypto

PERSON_FIELDS = (
    "name_zh",
    "name_en",
    "phone",
    "email",
    "preferred_language",
    "address_region",
    "address_lines",
)


_invalid = invalid


# --- Phone numbers ------------------------------------------------------------------------


def normalise_phone(raw: str, region: str) -> str:
    """``raw`` as E.164, checked to be a valid number of ``region`` (HK, MO or CN)."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    region = Region(region)
    try:
        number = phonenumbers.parse(raw, region.value)
    except phonenumbers.NumberParseException as error:
        raise _invalid("phone", _("This is not a phone number."), "phone_invalid") from error
    if number.country_code != REGION_CALLING_CODE[region]:
        raise _invalid(
            "phone",
            _("A phone number in %(region)s starts with +%(code)s.")
            % {"region": region.label, "code": REGION_CALLING_CODE[region]},
            "phone_wrong_region",
        )
    if not phonenumbers.is_valid_number_for_region(number, region.value):
        raise _invalid(
            "phone",
            _("This is not a valid phone number in %(region)s (+%(code)s).")
            % {"region": region.label, "code": REGION_CALLING_CODE[region]},
            "phone_invalid",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


# --- Identity documents -------------------------------------------------------------------


def normalise_document(kind: str, number: str) -> str:
    """The normalised number, or a ValidationError on ``number`` saying what is wrong."""
    if kind not in {k.value for k in PERSON_DOCUMENT_KINDS}:
        raise _invalid("kind", _("Choose a kind of document."), "document_kind")
    try:
        return identifiers.validate(kind, number)
    except InvalidIdentifier as error:
        raise _invalid("number", str(error), f"document_{error.problem}") from error


def document_lookup_hash(kind: str, normalised: str) -> str:
    # A renewed 回乡证 keeps its first 9 characters: the same person, the same hash.
    if kind == IdentifierKind.MAINLAND_TRAVEL_PERMIT:
        normalised = normalised[:9]
    return crypto.lookup_hash(normalised, purpose=f"document:{kind}")


def _duplicate_message(existing: IdentityDocument, person: Person) -> DuplicateDocument:
    if existing.person_id == person.pk:
        return DuplicateDocument(
            {"number": ValidationError(_("You have already added this document."), "duplicate")}
        )
    return DuplicateDocument(
        {
            "number": ValidationError(
                _(
                    "This document is already registered to another account. If it is yours, "
                    "recover that account with “Forgot your password?” on the sign-in page, "
                    "or bring the document to a service zone counter."
                ),
                code="duplicate_document",
            )
        }
    )


def _add_document(
    person: Person, kind: str, number: str, expires_on=None, *, actor=None
) -> IdentityDocument:
    normalised = normalise_document(kind, number)
    lookup = document_lookup_hash(kind, normalised)
    existing = IdentityDocument.objects.filter(kind=kind, number_hash=lookup).first()
    if existing:
        raise _duplicate_message(existing, person)
    document = IdentityDocument(
        person=person,
        kind=kind,
        number=normalised,
        number_hash=lookup,
        number_masked=identifiers.mask(kind, normalised),
        expires_on=expires_on,
    )
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:  # registered at the same moment by someone else
        existing = IdentityDocument.objects.get(kind=kind, number_hash=lookup)
        raise _duplicate_message(existing, person) from error
    trail.record(
        "identity_document_added",
        actor,
        "accounts.person",
        person.pk,
        kind=kind,
        document=document.pk,
        number_masked=document.number_masked,
    )
    return document


def add_document(actor, person: Person, kind: str, number: str, expires_on=None):
    require(actor, Action.DOCUMENT_ADD, person)
    with transaction.atomic():
        return _add_document(person, kind, number, expires_on, actor=actor)


def remove_document(actor, document: IdentityDocument) -> None:
    require(actor, Action.DOCUMENT_REMOVE, document)
    with transaction.atomic():
        trail.record(
            "identity_document_removed",
            actor,
            "accounts.person",
            document.person_id,
            kind=document.kind,
            number_masked=document.number_masked,
        )
        document.delete()


@dataclass(frozen=True)
class DocumentView:
    """A document as one viewer may see it."""

    pk: int
    kind: str
    kind_label: str
    number: str
    masked: bool
    expires_on: dt.date | None


def documents_for(viewer, person: Person) -> list[DocumentView]:
    require(viewer, Action.PERSON_VIEW, person)
    return _document_views(person, full=sees_full_identifiers(viewer, person))


def _document_views(person: Person, *, full: bool) -> list[DocumentView]:
    return [
        DocumentView(
            pk=document.pk,
            kind=document.kind,
            kind_label=str(document.get_kind_display()),
            number=document.number if full else document.number_masked,
            masked=not full,
            expires_on=document.expires_on,
        )
        for document in person.documents.all()
    ]


def get_document(actor, document_id: int) -> IdentityDocument:
    """The document if ``actor`` may remove it; ``DoesNotExist`` otherwise (no leak)."""
    document = IdentityDocument.objects.filter(pk=document_id).first()
    if document is None or not can(actor, Action.DOCUMENT_REMOVE, document):
        raise IdentityDocument.DoesNotExist
    return document


def find_person_by_document(
    actor, kind: str, number: str, *, counted: bool = True
) -> Person | None:
    """For clerks at the counter: the person holding this document, or None.

    Each look-up spends one of the staff member's hourly budget (``LookupLimitReached`` past
    it); ``counted=False`` only for repeating a look-up already made, with the number the
    server kept (the counter page re-reading its person)."""
    require(actor, Action.PERSON_LOOKUP)
    normalised = normalise_document(kind, number)
    if counted:
        spend_lookup(actor)
    with transaction.atomic():
        document = (
            IdentityDocument.objects.select_related("person")
            .filter(kind=kind, number_hash=document_lookup_hash(kind, normalised))
            .first()
        )
        trail.record(
            "person_looked_up",
            actor,
            "accounts.person",
            document.person_id if document else "-",
            kind=kind,
            found=document is not None,
        )
    return document.person if document else None


@dataclass(frozen=True)
class CounterMatch:
    """What a clerk sees of the person whose document they hold: names, masked documents."""

    person: Person
    documents: list[DocumentView]
    has_consent: bool


def counter_lookup(
    actor, kind: str, number: str, *, counted: bool = True
) -> CounterMatch | None:
    """The lookup at the counter: holding the document is what lets the clerk see the person,
    who may have registered anywhere (clerks cannot open persons of other zones by id)."""
    person = find_person_by_document(actor, kind, number, counted=counted)
    if person is None:
        return None
    from tongban.accounts.constants import ConsentPurpose

    return CounterMatch(
        person=person,
        documents=_document_views(person, full=False),
        has_consent=has_consent(person, ConsentPurpose.CASE_PROCESSING),
    )


# --- Persons ------------------------------------------------------------------------------


def person_for(user) -> Person | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Person.objects.filter(user=user).first()


def get_person(actor, person_id: int) -> Person:
    """The person if ``actor`` may see them; ``Person.DoesNotExist`` otherwise (no leak)."""
    person = Person.objects.filter(pk=person_id).first()
    if person is None or not can(actor, Action.PERSON_VIEW, person):
        raise Person.DoesNotExist
    return person


def _clean_person_fields(values: dict, phone_region: str) -> dict:
    cleaned = {key: values[key] for key in PERSON_FIELDS if key in values}
    for key in ("name_zh", "name_en", "address_lines", "email"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    if "phone" in cleaned:
        cleaned["phone"] = (
            normalise_phone(cleaned["phone"], phone_region) if cleaned["phone"] else ""
        )
    return cleaned


@transaction.atomic
def register_person(
    *,
    user=None,
    actor=None,
    phone_region: str = Region.HONG_KONG,
    documents: list[tuple[str, str]] = (),
    registered_at_zone=None,
    **fields,
) -> Person:
    """A new person, with their documents. ``user`` links it to an account (online sign-up);
    ``actor`` is the clerk creating it at ``registered_at_zone`` for someone without one."""
    if user is None:
        require(actor, Action.PERSON_CREATE)
        if registered_at_zone is None:
            raise _invalid("registered_at_zone", _("Choose the zone."), "zone_required")
        # A clerk registers people at their own zone only (an administrator at any).
        require(actor, Action.PERSON_EDIT, Person(registered_at_zone=registered_at_zone))
    elif Person.objects.filter(user=user).exists():
        raise ValidationError(_("This account already has a profile."), code="person_exists")
    person = Person(user=user, registered_at_zone=registered_at_zone)
    for key, value in _clean_person_fields(fields, phone_region).items():
        setattr(person, key, value)
    if not person.email and user is not None:
        person.email = user.email
    if not person.name_zh and not person.name_en:
        raise _invalid("name_zh", _("Enter a name in Chinese or in English."), "name_required")
    person.full_clean(exclude=["user", "registered_at_zone"])
    person.save()
    for kind, number in documents:
        _add_document(person, kind, number, actor=actor or user)
    if user is not None:
        forget_cached_roles(user)
    trail.record(
        "person_registered",
        actor or user,
        "accounts.person",
        person.pk,
        at_counter=user is None,
    )
    return person


@transaction.atomic
def claim_person(user, person: Person, *, evidence: str) -> Person:
    """Attaches a profile a clerk registered at a counter to the account of its owner, who
    proved it with ``evidence`` (checked by the caller, e.g. a case's status code)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id == getattr(user, "pk", None):
        return person
    if person.user_id is not None:
        raise ValidationError(
            _("This profile already belongs to an account. Sign in with that account."),
            code="person_claimed",
        )
    if Person.objects.filter(user=user).exists():
        raise ValidationError(
            _(
                "Your account already has a profile. Ask at a zone counter to join the two "
                "profiles; bring your identity document."
            ),
            code="person_exists",
        )
    person.user = user
    if not person.email:
        person.email = user.email
    person.save(update_fields=["user", "email", "updated_at"])
    forget_cached_roles(user)
    trail.record("person_claimed", user, "accounts.person", person.pk, evidence=evidence)
    return person


@transaction.atomic
def update_person(actor, person: Person, *, phone_region: str = Region.HONG_KONG, **fields):
    require(actor, Action.PERSON_EDIT, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    for key, value in _clean_person_fields(fields, phone_region).items():
        setattr(person, key, value)
    if not person.name_zh and not person.name_en:
        raise _invalid("name_zh", _("Enter a name in Chinese or in English."), "name_required")
    person.full_clean(exclude=["user", "registered_at_zone"])
    person.save()
    trail.record("person_updated", actor, "accounts.person", person.pk)
    return person


# --- Staff --------------------------------------------------------------------------------


def staff_label(user) -> str:
    """How staff appear to colleagues: their name and what they do (何詠詩 · Zone clerk,
    Macau zone), never their e-mail address."""
    if user is None:
        return ""
    first, last = user.first_name.strip(), user.last_name.strip()
    # Chinese names put the family name first, with no space (何詠詩); Latin ones after.
    name = f"{last}{first}" if not f"{first}{last}".isascii() else f"{first} {last}".strip()
    name = name or user.email.split("@")[0]
    assignments = StaffAssignment.objects.filter(user=user).select_related("zone", "department")
    assignment = assignments.order_by("pk").first()
    if assignment is None:
        return name
    place = assignment.zone or assignment.department
    role = assignment.get_role_display()
    return f"{name} · {role}, {place.name}" if place else f"{name} · {role}"


@transaction.atomic
def assign_role(user, role: str, *, zone=None, department=None) -> StaffAssignment:
    assignment = StaffAssignment(user=user, role=role, zone=zone, department=department)
    assignment.full_clean()
    assignment.save()
    forget_cached_roles(user)
    trail.record(
        "staff_role_assigned",
        None,
        "accounts.user",
        user.pk,
        role=role,
        zone=assignment.zone_id,
        department=assignment.department_id,
    )
    return assignment


def counter_zones(user):
    """The zones where ``user`` may register people at the counter."""
    from tongban.accounts.permissions import zones_of
    from tongban.catalog.models import Zone

    if not can(user, Action.PERSON_CREATE):
        return Zone.objects.none()
    if can(user, Action.PERSON_EDIT, Person()):  # edits anyone: an administrator
        return Zone.objects.all()
    return Zone.objects.filter(pk__in=zones_of(user))


def staff_assignments(user) -> list[StaffAssignment]:
    return list(StaffAssignment.objects.filter(user=user).select_related("zone", "department"))


def active_authorisations(person: Person):
    from tongban.accounts.applicants import valid_authorisations

    return Authorisation.objects.filter(valid_authorisations(timezone.now()), person=person)


def company_for(actor, company_id: int) -> Company:
    company = Company.objects.filter(pk=company_id).first()
    if company is None or not can(actor, Action.COMPANY_VIEW, company):
        raise Company.DoesNotExist
    return company


def create_demo_people(password: str) -> dict:
    from tongban.accounts.demo import create_demo_people as create

    return create(password)


def demo_people_exist() -> bool:
    from tongban.accounts.demo import demo_people_exist as exist

    return exist()


# Re-exported: the rest of the accounts face lives in modules split by concept.
from tongban.accounts.companies import (  # noqa: E402, F401
    authorisations_of,
    authorise,
    authorise_by_document,
    companies_of,
    company_lookup_hash,
    create_company,
    normalise_company_identifier,
    revoke_authorisation,
)
from tongban.accounts.consent import (  # noqa: E402, F401
    CONSENT_TEXT_VERSION,
    ConsentMissing,
    consent_history,
    consent_text,
    current_consent,
    give_consent,
    has_consent,
    require_consent,
    withdraw_consent,
)
from tongban.accounts.data import (  # noqa: E402, F401
    carry_out_deletion,
    open_deletion_request,
    request_deletion,
)
from tongban.accounts.personal_data import export_personal_data  # noqa: E402, F401
from tongban.accounts.tokens import (  # noqa: E402, F401
    TokenScopeRefused,
    api_tokens_of,
    authenticate_api_token,
    create_api_token,
    may_hold_tokens,
    revoke_api_token,
    revoke_own_api_token,
)
