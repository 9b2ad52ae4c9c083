"""送达 (§6): choosing how the result reaches the applicant, and recording that it did.

- ``set_delivery_preference(actor, number, method=…, zone=…, address=…)``: the applicant (or
  a clerk of the zone that received the case) chooses counter pickup at a zone, EMS post to a
  Hong Kong or Macau address, or download of the electronic result. Changeable until delivery.
- ``record_delivery(actor, number, …)``: staff record what was done — by whom and when, the
  EMS tracking number, the electronic result document — and the case takes the ``deliver``
  transition through the core's ``lifecycle.deliver`` (same lock, same transaction).
- The law gives 10 working days from the decision (Art. 44): ``delivery_due`` computes it;
  a delivery after it is stored as ``delivered_late``; ``late_deliveries`` lists decided cases
  still undelivered past it, for supervisors.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts import services as accounts
from tongban.accounts.constants import Region
from tongban.accounts.permissions import Action, can, require
from tongban.catalog import services as catalog
from tongban.core import audit, workdays

from .constants import DECIDED, CaseAction, CaseStatus, DeliveryMethod
from .delivery_models import ADDRESS_MAX, POST_REGIONS, RECIPIENT_MAX, ResultDelivery
from .lifecycle import deliver, invalid, locked_case
from .models import Case
from .transitions import transition_for

DELIVERY_DAYS = 10  # Administrative Licensing Law Art. 44
CALENDAR = "CN"
NOTE_MAX = 2000
MAX_PAGE = 100
DECISION_LETTER_KINDS = ("case_approval_decision", "case_denial_decision")
# Too late to choose: the result is out, or there is none to deliver.
NO_MORE_CHOICE = frozenset(
    {CaseStatus.DELIVERED, CaseStatus.CLOSED, CaseStatus.WITHDRAWN, CaseStatus.REFUSED}
)
# UPU S10: two letters, eight digits, a check digit, the two-letter origin (EMS: EA123456785CN).
S10 = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")
S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


@dataclass(frozen=True)
class PostalAddress:
    """An EMS destination in Hong Kong or Macau."""

    region: str
    recipient: str
    phone: str
    address: str


def delivery_due(case: Case) -> dt.date | None:
    """The 10th mainland working day after the decision (the decision day does not count)."""
    if case.decided_at is None:
        return None
    decided_on = timezone.localdate(case.decided_at)
    return workdays.add_working_days(decided_on, DELIVERY_DAYS, CALENDAR)


def _zone(zone):
    """A zone object, or its code, checked against the catalog's zones."""
    if zone is None or zone == "":
        raise invalid("zone", _("Choose the zone where the result is collected."), "zone_required")
    code = getattr(zone, "code", zone)
    for known in catalog.list_zones():
        if known.code == code:
            return known
    raise invalid("zone", _("Choose one of the service zones."), "unknown_zone")


def clean_address(address: PostalAddress | None) -> PostalAddress:
    """Region HK or MO, a recipient, a local phone number of that region, address lines."""
    if address is None:
        raise invalid("address", _("Give the postal address."), "address_required")
    if address.region not in {region.value for region in POST_REGIONS}:
        raise invalid(
            "region", _("EMS delivery goes to Hong Kong or Macao only."), "region_not_served"
        )
    recipient = " ".join((address.recipient or "").split())
    lines = "\n".join(
        " ".join(line.split()) for line in (address.address or "").splitlines() if line.strip()
    )
    if not recipient:
        raise invalid("recipient", _("Give the recipient's name."), "required")
    if len(recipient) > RECIPIENT_MAX:
        raise invalid(
            "recipient",
            _("Keep this under %(limit)d characters.") % {"limit": RECIPIENT_MAX},
            "too_long",
        )
    if not lines:
        raise invalid("address", _("Give the postal address."), "required")
    if len(lines) > ADDRESS_MAX:
        raise invalid(
            "address",
            _("Keep this under %(limit)d characters.") % {"limit": ADDRESS_MAX},
            "too_long",
        )
    if not (address.phone or "").strip():
        raise invalid("phone", _("Give a phone number for the courier."), "required")
    # Raises a translated ValidationError on "phone" for a number of another region.
    phone = accounts.normalise_phone(address.phone, Region(address.region))
    return PostalAddress(address.region, recipient, phone, lines)


def clean_tracking_number(value: str) -> str:
    """An EMS (UPU S10) number with a correct check digit, upper-case, without spaces."""
    text = re.sub(r"\s+", "", value or "").upper()
    match = S10.match(text)
    if not match:
        raise invalid(
            "tracking_number",
            _("An EMS tracking number looks like EA123456785CN."),
            "tracking_number_format",
        )
    digits = match.group(2)
    check = 11 - sum(int(d) * w for d, w in zip(digits, S10_WEIGHTS, strict=True)) % 11
    check = {10: 0, 11: 5}.get(check, check)
    if check != int(match.group(3)):
        raise invalid(
            "tracking_number",
            _("This EMS tracking number has a typing error (its check digit does not match)."),
            "tracking_number_check",
        )
    return text


def _text(value: str, field_name: str) -> str:
    text = (value or "").strip()
    if len(text) > NOTE_MAX:
        raise invalid(
            field_name, _("Keep this under %(limit)d characters.") % {"limit": NOTE_MAX}, "too_long"
        )
    return text


def _method(method: str | None) -> str:
    if method not in DeliveryMethod.values:
        raise invalid("method", _("Choose how the result is delivered."), "invalid_choice")
    return method


def _locked_row(case: Case) -> ResultDelivery:
    row = ResultDelivery.objects.select_for_update().filter(case=case).first()
    return row or ResultDelivery(case=case)


def _apply_method(row: ResultDelivery, method: str, zone, address: PostalAddress | None) -> None:
    row.method = method
    row.pickup_zone = _zone(zone) if method == DeliveryMethod.COUNTER else None
    if method == DeliveryMethod.POST:
        cleaned = clean_address(address)
        row.post_region, row.post_recipient = cleaned.region, cleaned.recipient
        row.post_phone, row.post_address = cleaned.phone, cleaned.address
    else:
        row.post_region = row.post_recipient = row.post_phone = row.post_address = ""


def _stored_address(row: ResultDelivery) -> PostalAddress | None:
    if not row.post_region:
        return None
    return PostalAddress(row.post_region, row.post_recipient, row.post_phone, row.post_address)


def set_delivery_preference(
    actor, number: str, *, method: str, zone=None, address: PostalAddress | None = None
) -> ResultDelivery:
    """The applicant's choice (or a clerk's for them at the counter) of how to get the result."""
    with transaction.atomic():
        case = locked_case(actor, number)
        require(actor, Action.CASE_CHOOSE_DELIVERY, case)
        if case.status in NO_MORE_CHOICE:
            raise invalid(
                "method",
                _("The way of delivery can no longer be chosen for this case."),
                "too_late",
            )
        row = _locked_row(case)
        _apply_method(row, _method(method), zone, address)
        row.chosen_by, row.chosen_at = actor, timezone.now()
        row.save()
        audit.record(
            "delivery_preference_set",
            actor=audit.user_actor(actor),
            obj_type="case",
            obj_id=case.number,
            payload={
                "method": row.method,
                "zone": row.pickup_zone.code if row.pickup_zone else None,
                "region": row.post_region or None,
            },
        )
    return row


def _result_document(case: Case, document_number: str):
    from tongban.documents.constants import DocumentStatus

    from .letters import letters_of

    letters = [d for d in letters_of(case) if d.kind in DECISION_LETTER_KINDS]
    if document_number:
        letters = [d for d in letters if d.number == document_number.strip()]
    valid = [d for d in letters if d.status == DocumentStatus.VALID]
    if not valid:
        raise invalid(
            "document",
            _("There is no issued electronic result for this case to download."),
            "no_result_document",
        )
    return valid[-1]


def record_delivery(
    actor,
    number: str,
    *,
    method: str | None = None,
    zone=None,
    address: PostalAddress | None = None,
    tracking_number: str = "",
    document_number: str = "",
    note: str = "",
) -> ResultDelivery:
    """Staff record the delivery (the applicant's choice unless ``method`` says otherwise) and
    the case is delivered. EMS needs the tracking number; download needs the issued decision."""
    with transaction.atomic():
        case = locked_case(actor, number)
        require(actor, Action.CASE_DELIVER, case)
        transition_for(CaseAction.DELIVER, case.status)  # IllegalTransition before anything else
        row = _locked_row(case)
        chosen = _method(method or row.method or None)
        _apply_method(
            row,
            chosen,
            zone if zone is not None else row.pickup_zone,
            address if address is not None else _stored_address(row),
        )
        row.tracking_number = (
            clean_tracking_number(tracking_number) if chosen == DeliveryMethod.POST else ""
        )
        row.document = (
            _result_document(case, document_number) if chosen == DeliveryMethod.DOWNLOAD else None
        )
        row.note = _text(note, "note")
        row.due = delivery_due(case)
        row.delivered_by, row.delivered_at = actor, timezone.now()
        row.delivered_late = row.due is not None and timezone.localdate() > row.due
        row.save()
        deliver(actor, number, method=chosen, zone=row.pickup_zone, note=row.note)
        audit.record(
            "delivery_recorded",
            actor=audit.user_actor(actor),
            obj_type="case",
            obj_id=case.number,
            payload={
                "method": chosen,
                "zone": row.pickup_zone.code if row.pickup_zone else None,
                "tracking_number": row.tracking_number or None,
                "document": row.document.number if row.document else None,
                "due": row.due,
                "late": row.delivered_late,
            },
        )
    return row


def delivery_of(user, number: str) -> ResultDelivery | None:
    """The delivery choice and record of a case ``user`` may see (None before any choice)."""
    from .lifecycle import CaseNotFound

    case = Case.objects.filter(number=number).first()
    if case is None or not can(user, Action.CASE_VIEW, case):
        raise CaseNotFound(number)
    return (
        ResultDelivery.objects.select_related("pickup_zone", "document").filter(case=case).first()
    )


def late_deliveries(
    user, *, after: int | None = None, limit: int = 50
) -> tuple[list[Case], int | None]:
    """For supervisors: decided cases not delivered within 10 working days, oldest decision
    first; ``after`` is the last id seen (ids grow with time, close enough to decision order)."""
    require(user, Action.CASE_SUPERVISE)
    today = timezone.localdate()
    # Late iff decided before the 10th working day before today (same convention as the due).
    cutoff = workdays.add_working_days(today, -DELIVERY_DAYS, CALENDAR)
    start_of_cutoff = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    cases = Case.objects.select_related("item", "department").filter(
        status__in=DECIDED, decided_at__lt=start_of_cutoff
    )
    if after:
        cases = cases.filter(pk__gt=int(after))
    size = max(1, min(int(limit or 50), MAX_PAGE))
    page = list(cases.order_by("pk")[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].pk if more else None)
