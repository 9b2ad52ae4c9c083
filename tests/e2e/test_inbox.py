"""The notification inbox in Chromium: a resident told of a decision reads it at phone width,
by keyboard, opens the case link, and the page breaks no content-security rule."""

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_case_journey import account, no_sideways_scroll, sign_in, tab_to
from tongban.accounts import services as accounts
from tongban.accounts.constants import Region
from tongban.notifications.models import Notification

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_reading_notifications_by_keyboard_at_phone_width(page: Page, live_server):
    user = account("inbox.reader@example.com")
    accounts.register_person(
        user=user, name_zh="陳大文", name_en="CHAN Tai Man", phone_region=Region.HONG_KONG
    )
    Notification.objects.create(
        user=user,
        event="case_approved",
        title="Application JM-2026-000123 approved",
        body="Your application JM-2026-000123 has been approved.\nThe case page shows more.",
        link="/me/",
    )
    Notification.objects.create(
        user=user, event="case_submitted", title="Application JM-2026-000122 received", body="Hi"
    )
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    base = live_server.url
    page.set_viewport_size({"width": 360, "height": 760})
    # The texts checked below are the English ones, whatever the browser's own language.
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    sign_in(page, base, "inbox.reader@example.com")
    page.goto(base + "/me/inbox/", wait_until="networkidle")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main")).to_contain_text("2 unread")
    assert no_sideways_scroll(page)

    tab_to(page, "Mark as read")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_contain_text("1 unread")

    tab_to(page, "Open")
    page.keyboard.press("Enter")
    page.wait_for_load_state("networkidle")
    assert page.url == base + "/me/"
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert violations == []
