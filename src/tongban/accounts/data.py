"""A person's own data: the account-deletion request ("download my data" is in personal_data)."""

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

REASON_MAX = 2000


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
