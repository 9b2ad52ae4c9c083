"""送达: the applicant's choice, staff recording the delivery, and the 10-working-day rule."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from tests.cases.conftest import case_in
from tongban.cases import services
from tongban.cases.constants import CaseAction, CaseStatus, DeliveryMethod, LetterKind
from tongban.cases.delivery_models import ResultDelivery
from tongban.core.models import AuditEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")
HK_ADDRESS = services.PostalAddress("HK", "陳大文", "9123 4567", "香港中環皇后大道中 1 號\n12 樓")
TRACKING = "EA123456785CN"


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (their msgids); the default language is 简体."""
    with translation.override("en"):
        yield


def approved(w, **fields):
    fields.setdefault("decided_at", timezone.now())
    return case_in(w, CaseStatus.APPROVED, **fields)


def test_the_applicant_chooses_post_to_hong_kong(world):
    case = case_in(world, CaseStatus.IN_REVIEW)
    row = services.set_delivery_preference(
        world.applicant, case.number, method=DeliveryMethod.POST, address=HK_ADDRESS
    )
    row.refresh_from_db()
    assert (row.method, row.post_region, row.post_phone) == ("post", "HK", "+85291234567")
    assert row.post_address == "香港中環皇后大道中 1 號\n12 樓"
    assert (row.chosen_by, row.pickup_zone) == (world.applicant, None)
    assert AuditEvent.objects.filter(
        event="delivery_preference_set", object_id=case.number
    ).exists()


@pytest.mark.parametrize(
    ("address", "field"),
    [
        (services.PostalAddress("MO", "陳大文", "+852 9123 4567", "澳門"), "phone"),
        (services.PostalAddress("CN", "陳大文", "13800138000", "江门"), "region"),
        (services.PostalAddress("HK", "", "9123 4567", "香港"), "recipient"),
        (services.PostalAddress("HK", "陳大文", "", "香港"), "phone"),
        (services.PostalAddress("HK", "陳大文", "9123 4567", " \n "), "address"),
        (None, "address"),
    ],
)
def test_a_bad_postal_address_is_refused_and_nothing_is_stored(world, address, field):
    case = case_in(world, CaseStatus.IN_REVIEW)
    with pytest.raises(ValidationError) as error:
        services.set_delivery_preference(
            world.applicant, case.number, method=DeliveryMethod.POST, address=address
        )
    assert field in error.value.message_dict
    assert not ResultDelivery.objects.exists()


def test_a_macau_address_takes_a_macau_number(world):
    case = case_in(world, CaseStatus.IN_REVIEW)
    row = services.set_delivery_preference(
        world.applicant,
        case.number,
        method=DeliveryMethod.POST,
        address=services.PostalAddress("MO", "李小明", "6612 3456", "澳門新馬路 1 號"),
    )
    assert row.post_phone == "+85366123456"


def test_counter_pickup_needs_a_zone_and_the_choice_can_change(world):
    case = case_in(world, CaseStatus.ACCEPTED)
    with pytest.raises(ValidationError):
        services.set_delivery_preference(world.applicant, case.number, method="counter")
    with pytest.raises(ValidationError):
        services.set_delivery_preference(world.applicant, case.number, method="pigeon")
    services.set_delivery_preference(world.applicant, case.number, method="counter", zone="MO-1")
    row = services.set_delivery_preference(world.applicant, case.number, method="download")
    assert (row.method, row.pickup_zone) == ("download", None)
    assert ResultDelivery.objects.count() == 1


def test_who_may_choose(world):
    case = case_in(world, CaseStatus.ACCEPTED)
    with pytest.raises(services.CaseNotFound):
        services.set_delivery_preference(world.other_applicant, case.number, method="download")
    with pytest.raises(PermissionDenied):
        services.set_delivery_preference(world.reviewer, case.number, method="download")
    delivered = case_in(world, CaseStatus.DELIVERED)
    with pytest.raises(ValidationError, match="no longer"):
        services.set_delivery_preference(world.applicant, delivered.number, method="download")


def test_staff_record_an_ems_delivery_and_the_case_is_delivered(world):
    case = approved(world)
    services.set_delivery_preference(
        world.applicant, case.number, method="post", address=HK_ADDRESS
    )
    with pytest.raises(ValidationError) as error:
        services.record_delivery(world.reviewer, case.number, tracking_number="EA123456784CN")
    assert "tracking_number" in error.value.message_dict
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED

    row = services.record_delivery(world.reviewer, case.number, tracking_number=" ea 123456785 cn ")
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED
    assert (case.delivery_method, case.delivered_at is not None) == ("post", True)
    assert (row.tracking_number, row.delivered_by, row.delivered_late) == (
        TRACKING,
        world.reviewer,
        False,
    )
    assert case.events.filter(action=CaseAction.DELIVER, actor=world.reviewer).exists()
    events = AuditEvent.objects.filter(object_id=case.number).values_list("event", flat=True)
    assert {"case_delivered", "delivery_recorded"} <= set(events)


def test_counter_pickup_recorded_by_a_clerk_of_the_zone(world):
    case = approved(world, received_at_zone=world.zones["mo"], channel="counter")
    services.set_delivery_preference(world.applicant, case.number, method="counter", zone="MO-1")
    with pytest.raises(services.CaseNotFound):
        services.record_delivery(world.clerk_hk, case.number)
    row = services.record_delivery(world.clerk_mo, case.number, note="Collected in person")
    case.refresh_from_db()
    assert (case.status, case.delivery_zone, row.pickup_zone) == (
        CaseStatus.DELIVERED,
        world.zones["mo"],
        world.zones["mo"],
    )


def test_delivery_needs_a_decided_case_and_delivery_staff(world):
    in_review = case_in(world, CaseStatus.IN_REVIEW)
    with pytest.raises(services.IllegalTransition):
        services.record_delivery(world.reviewer, in_review.number, method="counter", zone="MO-1")
    case = approved(world)
    with pytest.raises(PermissionDenied):
        services.record_delivery(world.applicant, case.number, method="counter", zone="MO-1")
    with pytest.raises(ValidationError):  # nobody chose a way yet and staff did not say
        services.record_delivery(world.reviewer, case.number)
    assert not ResultDelivery.objects.exists()


def test_download_delivers_the_issued_decision(world):
    case = approved(world)
    with pytest.raises(ValidationError) as error:
        services.record_delivery(world.reviewer, case.number, method="download")
    assert "document" in error.value.message_dict
    letter = services.issue_letter_now(case, LetterKind.APPROVAL)
    row = services.record_delivery(world.reviewer, case.number, method="download")
    assert row.document == letter


def test_ten_working_days_from_the_decision(world):
    # Decided 30 September 2025: National Day 1–8 October, make-up working Saturday 11 October.
    case = approved(world, decided_at=dt.datetime(2025, 9, 30, 15, 0, tzinfo=SHANGHAI))
    assert services.delivery_due(case) == dt.date(2025, 10, 21)
    row = services.record_delivery(world.reviewer, case.number, method="counter", zone="JM")
    assert (row.due, row.delivered_late) == (dt.date(2025, 10, 21), True)


def test_supervisors_see_decided_cases_not_delivered_in_time(world):
    late = approved(world, decided_at=timezone.now() - dt.timedelta(days=30))
    approved(world)  # decided today: not late
    delivered_late = approved(world, decided_at=timezone.now() - dt.timedelta(days=30))
    services.record_delivery(world.reviewer, delivered_late.number, method="counter", zone="HK")
    page, more = services.late_deliveries(world.supervisor)
    assert ([c.number for c in page], more) == ([late.number], None)
    with pytest.raises(PermissionDenied):
        services.late_deliveries(world.reviewer)
