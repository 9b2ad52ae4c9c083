"""/api/v1/me and the staff-integration routes: the same services and permission checks as
the pages. Identifiers are always masked here; the holder downloads full numbers from
"download my data". Sign in with the session (browser) or ``Authorization: Bearer <token>``
(made on the security page, or ``tongban create_api_token``)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import django_auth

from tongban.accounts import services
from tongban.accounts.api_auth import StaffTokenAuth
from tongban.accounts.constants import ConsentPurpose
from tongban.accounts.forms import NUMBER_MAX
from tongban.accounts.identifiers import IdentifierKind
from tongban.accounts.models import Person
from tongban.core import errors
from tongban.core.errors import ApiError
from tongban.core.ids import DatabaseId

# A staff integration's API token: any valid one reads; looking a person up (a POST, to keep
# the number out of addresses and logs) needs the "counter" scope.
router = Router(tags=["accounts"], auth=[StaffTokenAuth("counter"), django_auth])


def _actor(request: HttpRequest):
    return request.auth if isinstance(request.auth, get_user_model()) else request.user


class DocumentOut(Schema):
    kind: str
    number_masked: str = Field(description="Masked, e.g. A12****(3)")
    expires_on: dt.date | None


class AuthorisationOut(Schema):
    scope: str
    valid_from: dt.datetime
    valid_until: dt.datetime | None


class CompanyOut(Schema):
    id: int
    name_zh: str
    name_en: str
    identifier_kind: str
    identifier_masked: str
    authorisations: list[AuthorisationOut]


class PersonOut(Schema):
    id: int
    name_zh: str
    name_en: str
    phone: str
    email: str
    preferred_language: str
    address_region: str
    address_lines: str
    documents: list[DocumentOut]
    cross_border_consent: dict[str, bool] = Field(
        description="Current separate consent per purpose"
    )

    @staticmethod
    def of(person: Person) -> PersonOut:
        return PersonOut(
            id=person.pk,
            name_zh=person.name_zh,
            name_en=person.name_en,
            phone=person.phone,
            email=person.email,
            preferred_language=person.preferred_language,
            address_region=person.address_region,
            address_lines=person.address_lines,
            documents=[
                DocumentOut(kind=d.kind, number_masked=d.number_masked, expires_on=d.expires_on)
                for d in person.documents.all()
            ],
            cross_border_consent={
                purpose.value: services.has_consent(person, purpose) for purpose in ConsentPurpose
            },
        )


class StaffRoleOut(Schema):
    role: str
    zone: str | None = Field(description="Zone code, for zone clerks")
    department: str | None = Field(description="Credit code, for department reviewers")


class MeOut(Schema):
    email: str
    person: PersonOut | None = Field(description="Null until the profile is created")
    companies: list[CompanyOut]
    staff_roles: list[StaffRoleOut]


@router.get("/me", response=MeOut, summary="The signed-in account, its profile and companies")
def me(request: HttpRequest):
    user = _actor(request)
    person = services.person_for(user)
    companies = [
        CompanyOut(
            id=company.pk,
            name_zh=company.name_zh,
            name_en=company.name_en,
            identifier_kind=company.identifier_kind,
            identifier_masked=company.identifier_masked,
            authorisations=[
                AuthorisationOut(scope=a.scope, valid_from=a.valid_from, valid_until=a.valid_until)
                for a in authorisations
            ],
        )
        for company, authorisations in (services.companies_of(person) if person else [])
    ]
    roles = [
        StaffRoleOut(
            role=a.role,
            zone=a.zone.code if a.zone else None,
            department=a.department.credit_code if a.department else None,
        )
        for a in services.staff_assignments(user)
    ]
    return MeOut(
        email=user.email,
        person=PersonOut.of(person) if person else None,
        companies=companies,
        staff_roles=roles,
    )


@router.get(
    "/persons/{int:person_id}",
    response=PersonOut,
    summary="A person, as the caller's role may see them (404 when not allowed)",
)
def person(request: HttpRequest, person_id: DatabaseId):
    try:
        found = services.get_person(_actor(request), person_id)
    except Person.DoesNotExist as error:
        raise errors.NotFound(_("Not found.")) from error
    return PersonOut.of(found)


class LookupIn(Schema):
    kind: IdentifierKind
    number: str = Field(..., max_length=NUMBER_MAX, description="As written on the document")


class LookupOut(Schema):
    found: bool
    person: PersonOut | None


@router.post(
    "/persons/lookup",
    response={200: LookupOut, 400: ApiError, 429: ApiError},
    summary="Find the person holding a document (clerks; the number goes in the body)",
)
def lookup(request: HttpRequest, payload: LookupIn):
    actor = _actor(request)
    if not services.can(actor, services.Action.PERSON_LOOKUP):
        raise errors.Forbidden(_("You are not allowed to do this."))
    try:
        found = services.find_person_by_document(actor, payload.kind, payload.number)
    except services.LookupLimitReached as error:
        raise errors.TooManyRequests(error.wait, " ".join(error.messages)) from None
    except ValidationError as error:
        raise errors.BadRequest(" ".join(error.messages), code="invalid_number") from None
    return LookupOut(found=found is not None, person=PersonOut.of(found) if found else None)
