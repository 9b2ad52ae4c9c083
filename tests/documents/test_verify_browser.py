"""A stranger verifies a voucher in Chromium: by keyboard, at phone width, without JavaScript."""

import pytest
from playwright.sync_api import Page, expect

from tongban.documents import services

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    yield page
    context.close()


def test_typed_code_by_keyboard_at_phone_width(no_script_page: Page, live_server, issue):
    page = no_script_page
    document = issue()
    page.goto(f"{live_server.url}/verify")
    page.get_by_label("Verification code").focus()
    # Lower case with spaces, as people type what they read off the paper.
    page.keyboard.type(" ".join(document.display_code.lower().split("-")))
    page.keyboard.press("Enter")
    result = page.locator(".verify-result")
    expect(result).to_have_class("verify-result verify-valid")
    expect(result).to_contain_text("Test voucher")
    expect(result).to_contain_text(document.number)
    expect(result).to_contain_text("A12****(3)")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360, "the page scrolls sideways on a phone"
    # The stylesheet loaded under the CSP: the verdict box has its coloured border.
    border = page.evaluate(
        "() => getComputedStyle(document.querySelector('.verify-result')).borderTopWidth"
    )
    assert border == "3px"


def test_wrong_characters_are_explained_next_to_the_field(no_script_page: Page, live_server):
    page = no_script_page
    page.goto(f"{live_server.url}/verify")
    page.get_by_label("Verification code").fill("ABCD-EFGH-JKM!")
    page.get_by_role("button", name="Check").click()
    expect(page.locator(".error-summary")).to_contain_text("!")
    expect(page.get_by_label("Verification code")).to_have_attribute("aria-invalid", "true")


def test_scanned_qr_link_of_a_revoked_voucher_says_revoked(
    no_script_page: Page, live_server, issue
):
    page = no_script_page
    document = issue()
    services.revoke(document, "issued to the wrong applicant", "staff:3")
    page.goto(f"{live_server.url}/verify?t={document.token}")
    expect(page.locator(".verify-result")).to_have_class("verify-result verify-revoked")
    expect(page.locator("body")).not_to_contain_text("wrong applicant")
