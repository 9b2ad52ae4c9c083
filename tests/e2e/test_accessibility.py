"""axe-core (Deque's rules, shipped by axe-playwright-python) on the pages each role uses, at
phone width, in a second language: no serious or critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import Page

from tests.accounts.signin_helpers import sign_in_staff
from tests.cases import conftest as case_fixtures
from tests.cases.conftest import case_in, submitted_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

world = case_fixtures.world
zones = case_fixtures.zones
departments = case_fixtures.departments
make_user = case_fixtures.make_user
make_applicant = case_fixtures.make_applicant
_fast_password_hashing = case_fixtures._fast_password_hashing
_media_in_tmp = case_fixtures._media_in_tmp

BLOCKING = {"serious", "critical"}


def as_signed_in(page: Page, base: str, user) -> None:
    """The browser carries the session a sign-in (with its second factor) would leave."""
    client = Client()
    sign_in_staff(client, user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )


def blocking_violations(page: Page, url: str) -> list[str]:
    response = page.goto(url, wait_until="networkidle")
    # The page itself was checked, not a sign-in page it sent us to.
    assert response.status == 200 and page.url == url, (url, page.url)
    results = Axe().run(page)
    return [
        f"{url}: {v['id']} ({v['impact']}) {v['help']} — {len(v['nodes'])} element(s)"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING
    ]


def test_every_role_s_pages_have_no_serious_or_critical_violation(page: Page, live_server, world):
    w = world
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": "pt", "url": base}])
    submitted = submitted_case(w)
    decided = case_in(w, "approved")
    at_macau = case_in(w, "submitted", channel="counter", received_at_zone=w.zones["mo"])
    public = [
        "/",
        "/services/",
        "/services/search/?q=registo+comercial",
        "/services/search/?q=certifcate",
        f"/services/{w.item.implementation_code}/",
        "/help/",
        "/contact/",
        "/privacy/",
        "/accessibility/",
        "/terms/",
        "/status/",
        "/verify",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    by_role = {
        w.applicant: [
            "/me/home/",
            "/me/cases/",
            f"/me/cases/{submitted.number}/",
            f"/me/cases/{decided.number}/",
            "/me/",
            "/me/inbox/",
            "/me/data/",
            "/certificates/",
            "/accounts/security/",
        ],
        w.clerk_mo: ["/staff/counter/", f"/staff/cases/{at_macau.number}/"],
        w.reviewer: ["/staff/queue/", f"/staff/cases/{submitted.number}/"],
        w.supervisor: ["/staff/supervision/"],
    }
    found: list[str] = []
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": "pt", "url": base}])
    for url in public:
        found += blocking_violations(page, base + url)
    for user, urls in by_role.items():
        as_signed_in(page, base, user)
        page.context.add_cookies([{"name": "django_language", "value": "zh-hant", "url": base}])
        for url in urls:
            found += blocking_violations(page, base + url)
    assert found == [], "\n".join(found)
