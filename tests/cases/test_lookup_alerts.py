"""The counter's look-up spends the clerk's hourly budget (revisiting the page does not), and
the supervision page lists staff who went over it."""

import pytest
from django.urls import reverse

from tests.accounts.signin_helpers import sign_in_staff
from tongban.accounts import services as accounts
from tongban.accounts.identifiers import IdentifierKind

from .conftest import HKID


@pytest.fixture
def as_user(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    def sign_in(user):
        sign_in_staff(client, user)  # staff sessions must have proved a second factor
        return client

    return sign_in


def find(client, number=HKID):
    return client.post(reverse("cases:counter"), {"kind": IdentifierKind.HKID, "number": number})


def test_counter_look_ups_are_budgeted_and_supervisors_see_who_went_over(
    as_user, world, settings
):
    settings.TONGBAN_PERSON_LOOKUPS_PER_HOUR = 2
    w = world
    clerk = as_user(w.clerk_mo)
    assert w.person.display_name in find(clerk).content.decode()
    for _ in range(3):  # the page re-reads the person it found: not a new look-up
        assert w.person.display_name in clerk.get(reverse("cases:counter")).content.decode()
    assert w.person.display_name in find(clerk).content.decode()

    refused = find(clerk).content.decode()
    assert "too many look-ups this hour" in refused
    assert w.person.display_name not in refused

    page = as_user(w.supervisor).get(reverse("cases:supervision")).content.decode()
    assert "Look-up volume alerts" in page
    assert accounts.staff_label(w.clerk_mo) in page and w.clerk_mo.email not in page
    assert "2 look-ups in 60 minutes" in page


def test_supervision_says_when_nobody_went_over(as_user, world):
    page = as_user(world.supervisor).get(reverse("cases:supervision")).content.decode()
    assert "No staff member went over the look-up budget." in page
