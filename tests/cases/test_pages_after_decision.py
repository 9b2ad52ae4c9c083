"""Delivery choice, rating (好差评), the bad rating's follow-up on the staff page, and the
supervisor's lists of bad ratings and failed notifications."""

import pytest
from django.urls import reverse

from tests.accounts.conftest import PASSWORD
from tests.accounts.signin_helpers import reauthenticate, sign_in_staff
from tongban.cases import services
from tongban.cases.constants import CaseAction, CaseStatus
from tongban.cases.rating_constants import FollowUpStatus
from tongban.notifications.constants import DeliveryStatus, Event
from tongban.notifications.models import Delivery

from .conftest import case_in, submitted_case


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def as_user(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the assertions read English

    def sign_in(user):
        # As a person: signed in with the second factor, and recently re-authenticated, as the
        # reviewer's decisions ask (tests of the re-authentication itself sign in without it).
        sign_in_staff(client, user)
        reauthenticate(client, PASSWORD)
        return client

    return sign_in


def test_applicant_chooses_pickup_at_a_zone_then_post(as_user, world):
    w = world
    case = submitted_case(w)
    client = as_user(w.applicant)
    url = reverse("cases:delivery", args=[case.number])
    response = client.post(url, {"delivery-method": "counter"})
    assert response.status_code == 400  # no zone chosen
    assert services.delivery_of(w.applicant, case.number) is None
    response = client.post(url, {"delivery-method": "counter", "delivery-zone": w.zones["mo"].pk})
    assert response.status_code == 302
    assert services.delivery_of(w.applicant, case.number).pickup_zone == w.zones["mo"]
    response = client.post(
        url,
        {
            "delivery-method": "post",
            "delivery-region": "HK",
            "delivery-recipient": "陳大文",
            "delivery-phone": "9123 4567",
            "delivery-address": "香港九龍彌敦道 123 號",
        },
    )
    assert response.status_code == 302
    page = text(client.get(reverse("cases:case", args=[case.number])))
    assert "EMS post" in page


def test_another_applicant_cannot_choose_or_rate(as_user, world):
    w = world
    case = case_in(w, CaseStatus.APPROVED)
    client = as_user(w.other_applicant)
    response = client.post(
        reverse("cases:delivery", args=[case.number]), {"delivery-method": "download"}
    )
    assert response.status_code == 404
    response = client.post(reverse("cases:rate", args=[case.number]), {"rating-level": "1"})
    assert response.status_code == 404
    assert services.rating_of_case(w.applicant, case.number) is None


def test_rating_after_the_decision_only_once(as_user, world):
    w = world
    pending = submitted_case(w)
    client = as_user(w.applicant)
    assert "rating-level" not in text(client.get(reverse("cases:case", args=[pending.number])))
    case = case_in(w, CaseStatus.APPROVED)
    page = text(client.get(reverse("cases:case", args=[case.number])))
    assert 'name="rating-level"' in page and 'name="rating-score_speed"' in page
    assert client.post(reverse("cases:rate", args=[case.number]), {}).status_code == 400
    response = client.post(
        reverse("cases:rate", args=[case.number]),
        {"rating-level": "5", "rating-score_speed": "4", "rating-comment": "很快"},
    )
    assert response.status_code == 302
    rating = services.rating_of_case(w.applicant, case.number)
    assert rating.level == 5 and {s.dimension: s.score for s in rating.scores.all()} == {"speed": 4}
    page = text(client.get(reverse("cases:case", args=[case.number])))
    assert 'name="rating-level"' not in page and "很快" in page
    response = client.post(reverse("cases:rate", args=[case.number]), {"rating-level": "1"})
    assert response.status_code == 400
    assert services.rating_of_case(w.applicant, case.number).level == 5


def test_bad_rating_followed_up_by_the_reviewer_then_answered(as_user, client, world):
    w = world
    case = case_in(w, CaseStatus.DELIVERED)
    as_user(w.applicant).post(
        reverse("cases:rate", args=[case.number]),
        {"rating-level": "1", "rating-comment": "没有人告诉我进度"},
    )
    follow_up = services.rating_of_case(w.applicant, case.number).follow_up
    assert follow_up.status == FollowUpStatus.OPEN

    staff = as_user(w.reviewer)
    page = text(staff.get(reverse("cases:staff_case", args=[case.number])))
    assert "没有人告诉我进度" in page and reverse("cases:call_back", args=[case.number]) in page
    url = reverse("cases:outcome", args=[case.number])
    response = staff.post(url, {"outcome-outcome": "fixed", "outcome-note": "x"})
    assert response.status_code == 400 and "Call the applicant back" in text(response)
    staff.post(
        reverse("cases:call_back", args=[case.number]),
        {"call-reached": "on", "call-note": "已致电说明"},
    )
    response = staff.post(url, {"outcome-outcome": "fixed", "outcome-note": "已开通短信提醒"})
    assert response.status_code == 302
    assert (
        as_user(w.reviewer_tax).get(reverse("cases:staff_case", args=[case.number])).status_code
        == 404
    )

    client = as_user(w.applicant)
    page = text(client.get(reverse("cases:case", args=[case.number])))
    assert "已开通短信提醒" in page and 'name="feedback-feedback"' in page
    response = client.post(
        reverse("cases:feedback", args=[case.number]), {"feedback-feedback": "satisfied"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.CLOSED


def test_staff_delivery_follows_the_applicants_choice(as_user, world):
    w = world
    case = case_in(w, CaseStatus.APPROVED, received_at_zone=w.zones["mo"])
    services.set_delivery_preference(w.applicant, case.number, method="counter", zone=w.zones["mo"])
    response = as_user(w.reviewer).post(
        reverse("cases:act", args=[case.number, CaseAction.DELIVER]), {}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED and case.delivery_zone == w.zones["mo"]


def test_supervision_lists_bad_ratings_and_failed_notifications(as_user, world):
    w = world
    case = case_in(w, CaseStatus.DENIED)
    services.submit_rating(w.applicant, case_number=case.number, level=2, comment="态度差")
    failed = Delivery.objects.create(
        user=w.applicant,
        person=w.person,
        channel="sms",
        event=Event.CASE_SUBMITTED,
        language="zh-hant",
        subject="subject",
        body="body",
        recipient_key="person:1",
        status=DeliveryStatus.FAILED,
        attempts=5,
        last_error="gateway timeout",
    )
    client = as_user(w.supervisor)
    page = text(client.get(reverse("cases:supervision")))
    assert case.number in page and "态度差" in page and "Waiting for a call-back" in page
    assert "gateway timeout" in page
    response = client.post(reverse("cases:resend", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.status == DeliveryStatus.QUEUED
    assert as_user(w.reviewer).post(reverse("cases:resend", args=[failed.pk])).status_code == 404


def test_counter_visit_recorded_by_the_clerk_and_rated_once(as_user, world):
    w = world
    case = case_in(w, CaseStatus.SUBMITTED, received_at_zone=w.zones["mo"], channel="counter")
    clerk = as_user(w.clerk_mo)
    page = clerk.get(reverse("cases:staff_case", args=[case.number])).content.decode()
    assert reverse("cases:record_visit", args=[case.number]) in page
    response = clerk.post(reverse("cases:record_visit", args=[case.number]), {"note": "收件"})
    assert response.status_code == 302
    visit = services.rateable_visits(w.applicant)[0]
    assert (
        as_user(w.clerk_hk).post(reverse("cases:record_visit", args=[case.number])).status_code
        == 404
    )

    other = as_user(w.other_applicant)
    url = reverse("cases:rate_visit", args=[visit.pk])
    assert other.post(url, {f"visit{visit.pk}-level": "5"}).status_code == 404
    client = as_user(w.applicant)
    page = client.get(reverse("cases:mine")).content.decode()
    assert url in page
    response = client.post(url, {f"visit{visit.pk}-level": "4"})
    assert response.status_code == 302
    assert not services.rateable_visits(w.applicant)
    assert url not in client.get(reverse("cases:mine")).content.decode()
