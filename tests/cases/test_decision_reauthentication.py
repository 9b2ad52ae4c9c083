"""A reviewer's decision on the staff case page asks for the password again unless the
reviewer re-authenticated a few minutes ago; other actions do not."""

import pytest
from django.urls import reverse
from freezegun import freeze_time

from tests.accounts.conftest import PASSWORD
from tests.accounts.signin_helpers import reauthenticate, sign_in_staff
from tongban.cases.constants import CaseAction, CaseStatus

from .conftest import case_in

pytestmark = pytest.mark.django_db


def test_a_decision_without_recent_re_authentication_is_sent_to_re_authenticate(client, world):
    case = case_in(world, CaseStatus.IN_REVIEW)
    sign_in_staff(client, world.reviewer)
    url = reverse("cases:act", args=[case.number, CaseAction.DENY])

    response = client.post(url, {"deny-reasons": "不符合法定条件"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW  # nothing decided yet

    # The password again: allauth carries out the suspended decision.
    client.post(response["Location"], {"password": PASSWORD})
    case.refresh_from_db()
    assert case.status == CaseStatus.DENIED


def test_a_re_authentication_counts_for_five_minutes(client, world):
    first, second = case_in(world, CaseStatus.IN_REVIEW), case_in(world, CaseStatus.IN_REVIEW)
    with freeze_time() as clock:
        sign_in_staff(client, world.reviewer)
        reauthenticate(client, PASSWORD)
        approved = client.post(reverse("cases:act", args=[first.number, CaseAction.APPROVE]))
        assert approved["Location"] == reverse("cases:staff_case", args=[first.number])

        clock.tick(6 * 60)
        later = client.post(reverse("cases:act", args=[second.number, CaseAction.APPROVE]))
        assert later["Location"].startswith(reverse("account_reauthenticate"))
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (CaseStatus.APPROVED, CaseStatus.IN_REVIEW)


def test_actions_that_decide_nothing_need_no_re_authentication(client, world):
    case = case_in(world, CaseStatus.ACCEPTED)
    sign_in_staff(client, world.reviewer)
    response = client.post(reverse("cases:act", args=[case.number, CaseAction.START_REVIEW]))
    assert response["Location"] == reverse("cases:staff_case", args=[case.number])
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW
