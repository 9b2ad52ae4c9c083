"""A person's own data: "download my data" and the account-deletion request."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts import trail
from tongban.accounts.applicants import Authorisation, Person
from tongban.accounts.constants import DataRequestKind, DataRequestStatus
from tongban.accounts.permissions import Action, require
from tongban.accounts.privacy import DataRequest

EXPORT_FORMAT = "tongban.my-data/1"
REASON_MAX = 2000


def _when(value) -> str | None:
    return value.isoformat() if value else None


def export_my_data(actor, person: Person) -> dict:
    """Everything we hold about ``person``, as a JSON-ready dict (full numbers: it is theirs)."""
    require(actor, Action.PERSON_EXPORT, person)
    user = person.user
    data = {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "account": (
            {
                "email": user.email,
                "phone": user.phone,
                "preferred_language": user.preferred_language,
                "date_joined": _when(user.date_joined),
                "last_login": _when(user.last_login),
            }
            if user
            else None
        ),
        "person": {
            "name_zh": person.name_zh,
            "name_en": person.name_en,
            "phone": person.phone,
            "email": person.email,
            "preferred_language": person.preferred_language,
            "address_region": person.address_region,
            "address_lines": person.address_lines,
            "created_at": _when(person.created_at),
        },
        "identity_documents": [
            {
                "kind": document.kind,
                "number": document.number,
                "expires_on": _when(document.expires_on),
                "added_at": _when(document.added_at),
            }
            for document in person.documents.all()
        ],
        "company_authorisations": [
            {
                "company": authorisation.company.name_zh or authorisation.company.name_en,
                "company_identifier_kind": authorisation.company.identifier_kind,
                "company_identifier": authorisation.company.identifier,
                "scope": authorisation.scope,
                "valid_from": _when(authorisation.valid_from),
                "valid_until": _when(authorisation.valid_until),
                "revoked_at": _when(authorisation.revoked_at),
            }
            for authorisation in Authorisation.objects.filter(person=person).select_related(
                "company"
            )
        ],
        "cross_border_consents": [
            {
                "purpose": consent.purpose,
                "recipient": consent.recipient,
                "text_shown": consent.text_shown,
                "text_version": consent.text_version,
                "text_language": consent.text_language,
                "channel": consent.channel,
                "given_at": _when(consent.given_at),
                "withdrawn_at": _when(consent.withdrawn_at),
            }
            for consent in person.cross_border_consents.all()
        ],
        "data_requests": [
            {
                "kind": request.kind,
                "status": request.status,
                "requested_at": _when(request.requested_at),
                "completed_at": _when(request.completed_at),
            }
            for request in person.data_requests.all()
        ],
    }
    with transaction.atomic():
        DataRequest.objects.create(
            person=person,
            kind=DataRequestKind.EXPORT,
            status=DataRequestStatus.COMPLETED,
            completed_at=timezone.now(),
        )
        trail.record("personal_data_exported", actor, "accounts.person", person.pk)
    return data


@transaction.atomic
def request_deletion(actor, person: Person, reason: str = "") -> DataRequest:
    """Records the request; an administrator carries it out (records the law keeps stay)."""
    require(actor, Action.PERSON_REQUEST_DELETION, person)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(max)s characters.") % {"max": REASON_MAX}}
        )
    open_request = DataRequest.objects.filter(
        person=person, kind=DataRequestKind.DELETION, status=DataRequestStatus.REQUESTED
    ).first()
    if open_request:
        return open_request
    request = DataRequest.objects.create(
        person=person, kind=DataRequestKind.DELETION, reason=reason
    )
    trail.record("deletion_requested", actor, "accounts.person", person.pk, request=request.pk)
    return request


def open_deletion_request(person: Person) -> DataRequest | None:
    return DataRequest.objects.filter(
        person=person, kind=DataRequestKind.DELETION, status=DataRequestStatus.REQUESTED
    ).first()


@transaction.atomic
def carry_out_deletion(actor, data_request: DataRequest) -> DataRequest:
    """Deletes what a deletion request covers: documents, contact details, names, the sign-in
    account and its second factors and linked identity providers. Kept: the person row (cases
    the law keeps point at it), consent records (proof of what was agreed), the audit trail."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    require(actor, Action.DATA_REQUEST_PROCESS)
    data_request = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    if (
        data_request.kind != DataRequestKind.DELETION
        or data_request.status != DataRequestStatus.REQUESTED
    ):
        raise ValidationError(_("This request is not an open deletion request."), code="not_open")
    person = Person.objects.select_for_update().get(pk=data_request.person_id)
    now = timezone.now()
    person.documents.all().delete()
    Authorisation.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
    person.cross_border_consents.filter(withdrawn_at__isnull=True).update(withdrawn_at=now)
    user = person.user
    person.name_zh = ""
    person.name_en = f"deleted-{person.pk}"
    person.phone = person.email = person.address_lines = person.address_region = ""
    person.user = None
    person.save()
    if user is not None:
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        user.email = f"deleted-{user.pk}@deleted.invalid"
        user.phone = user.first_name = user.last_name = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
    data_request.status = DataRequestStatus.COMPLETED
    data_request.completed_at = now
    data_request.save(update_fields=["status", "completed_at"])
    trail.record(
        "deletion_carried_out", actor, "accounts.person", person.pk, request=data_request.pk
    )
    return data_request
