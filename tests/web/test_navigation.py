"""Every role reaches its own places from the header, lands where its work is after sign-in,
and no header link leads to a 404; the applicant's home shows what is under way."""

import re

import pytest
from django.urls import reverse

from tests.accounts.signin_helpers import sign_in_staff
from tests.cases import conftest as case_fixtures
from tests.cases.conftest import case_in, submitted_case
from tongban.cases.constants import CaseStatus
from tongban.notifications.models import Notification


@pytest.fixture
def as_user(client):
    def sign_in(user):
        sign_in_staff(client, user)  # staff sessions must have proved a second factor
        return client

    return sign_in


def header_links(page: str) -> dict[str, str]:
    nav = page.split('class="main-nav"')[1].split("</nav>")[0]
    return {
        re.sub(r"<[^>]+>|\s+", " ", label).strip(): href
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>(.*?)</a>', nav, re.S)
    }


EXPECTED = {
    "applicant": (
        {"My home", "My cases", "Certificates", "Inbox", "My profile"},
        {"Queue", "Counter"},
    ),
    "clerk_mo": ({"Counter", "Inbox"}, {"Queue", "Supervision", "My cases"}),
    "reviewer": ({"Queue", "Inbox"}, {"Counter", "Supervision", "My cases"}),
    "supervisor": ({"Supervision", "Inbox"}, {"Counter", "My cases"}),
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_each_role_reaches_its_places_from_the_header_and_none_is_a_404(as_user, world, who):
    client = as_user(getattr(world, who))
    links = header_links(client.get(reverse("web:home")).content.decode())
    labels = {label.split(" ")[0] if label.startswith("Inbox") else label for label in links}
    present, absent = EXPECTED[who]
    assert present <= labels, labels
    assert not (absent & labels), labels
    for label, href in links.items():
        if href.startswith("/") and "logout" not in href:
            assert client.get(href).status_code == 200, (label, href)


LANDING = {
    "applicant": "web:my_home",
    "clerk_mo": "cases:counter",
    "reviewer": "cases:queue",
    "supervisor": "cases:supervision",
}


@pytest.mark.parametrize("who", list(LANDING))
def test_each_role_lands_where_its_work_is(as_user, world, who):
    response = as_user(getattr(world, who)).get(reverse("web:start"))
    assert response.status_code == 302 and response["Location"] == reverse(LANDING[who])


def test_anonymous_visitors_see_sign_in_and_no_personal_places(client, world):
    links = header_links(client.get(reverse("web:home")).content.decode())
    assert "Sign in" in links and "My cases" not in links and "Inbox" not in links


def test_the_inbox_link_carries_the_unread_count(as_user, world):
    for number in range(3):
        Notification.objects.create(
            user=world.applicant, event="case_submitted", title=f"Case {number}", body="…"
        )
    page = as_user(world.applicant).get(reverse("web:home")).content.decode()
    assert re.search(r"Inbox <span class=\"count-badge\">3", page)


def test_the_applicants_home_shows_open_cases_with_next_step_and_clock(as_user, world):
    submitted = submitted_case(world)
    owes = case_in(world, CaseStatus.SUPPLEMENT_REQUESTED)
    closed = case_in(world, CaseStatus.CLOSED)
    page = as_user(world.applicant).get(reverse("web:my_home")).content.decode()
    assert submitted.number in page and owes.number in page and closed.number not in page
    assert "acceptance due by" in page and "acts next" in page and "Your turn:" in page
    assert "0 unread messages" in page
    # Someone else's cases never show.
    others = case_fixtures.draft_for(world, actor=world.other_applicant)
    assert others.number not in page


def test_staff_asking_for_the_applicants_home_are_sent_to_their_work(as_user, world):
    response = as_user(world.reviewer).get(reverse("web:my_home"))
    assert response.status_code == 302 and response["Location"] == reverse("cases:queue")


def test_not_found_pages_say_what_fits_the_address(client, world):
    service = client.get("/services/NO-SUCH-ITEM/").content.decode()
    staff = client.get("/staff/nothing-here/").content.decode()
    assert "renamed or withdrawn" in service
    assert "renamed or withdrawn" not in staff and "not open to you" in staff
