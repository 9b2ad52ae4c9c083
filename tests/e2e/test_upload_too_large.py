"""In Chromium: a 25 MB scan on the materials form shows "the file is too large", not Django's
"CSRF verification failed" page, and the person finds the way back to the form."""

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tongban.cases import services
from tongban.cases.models import Attachment

from . import test_case_journey as journey

journey_world = journey.journey_world  # the fixture, shared with the case journey

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_25_mb_scan_gets_the_reason_and_a_way_back(
    page: Page,
    live_server,
    journey_world,
    tmp_path,
):
    w = journey_world
    cache.clear()
    case = services.start_draft(w["resident"], w["item"].implementation_code)
    big = tmp_path / "scan.pdf"
    big.write_bytes(b"%PDF-1.4\n" + b"0" * (25 * 1024 * 1024))
    base = live_server.url
    journey.sign_in(page, base, "chan@example.com")
    page.goto(f"{base}/me/cases/{case.number}/materials/")
    page.set_input_files(f"#file-{w['required'].pk}", big)
    page.locator(f"#material-{w['required'].pk} button[type=submit]").click()

    expect(page.locator("h1")).to_have_text("The file is too large")
    expect(page.locator("[role=alert]")).to_contain_text("larger than 20 MB")
    expect(page.locator("body")).not_to_contain_text("CSRF")
    page.get_by_role("link", name="Back to the upload page").click()
    expect(page).to_have_url(f"{base}/me/cases/{case.number}/materials/")
    assert not Attachment.objects.exists()
