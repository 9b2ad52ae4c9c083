"""The issue's "done when", in Chromium: a Hong Kong resident signs in, creates a profile with
an HKID and a 回乡证, consents and registers their company, at phone width; a Macau clerk signs
in with a TOTP code and, by keyboard alone, finds the resident by document number, masked."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from tongban.accounts import services
from tongban.accounts.constants import Role
from tongban.catalog.models import Zone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "a long demo password"


def account(email: str):
    user = get_user_model().objects.create_user(email=email, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def macau_zone() -> Zone:
    # The catalog migrations ship the zones, but a transactional test may find them flushed.
    texts = {
        f"{field}_{lang}": f"Macau zone {field}"
        for field in ("name", "address", "hours")
        for lang in ("zh_hans", "zh_hant", "en", "pt")
    }
    zone, _created = Zone.objects.get_or_create(
        code="MO-1", defaults={"holiday_calendar": "MO", **texts}
    )
    return zone


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()


def submit_when_checks_are_done(page: Page) -> None:
    # Leaving a number field starts its live check; let it answer before the form is sent,
    # as a person would. (The live server shares one SQLite connection between requests.)
    page.keyboard.press("Tab")
    page.wait_for_load_state("networkidle")
    page.locator("main form button[type=submit]").click()


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_resident_profile_consent_and_company_at_phone_width(page: Page, live_server):
    account("chan@example.com")
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, live_server.url, "chan@example.com")
    page.goto(live_server.url + "/me/")
    page.fill("input[name=name_zh]", "陳大文")
    page.fill("input[name=name_en]", "CHAN Tai Man")
    page.select_option("select[name=document_kind]", "hkid")
    page.fill("input[name=document_number]", "A123456(4)")  # mistyped check digit
    page.keyboard.press("Tab")  # the live check answers as the field is left
    expect(page.locator("#id_document_number_live")).to_contain_text("3")
    expect(page.locator("#id_document_number_live")).to_have_class(re.compile("field-error"))
    page.select_option("select[name=second_document_kind]", "hmt-permit")
    page.fill("input[name=second_document_number]", "H12345678")
    page.fill("input[name=phone]", "9123 4567")
    submit_when_checks_are_done(page)
    expect(page.locator(".error-summary")).to_contain_text("3")
    assert no_sideways_scroll(page)

    page.fill("input[name=document_number]", "A123456(3)")
    submit_when_checks_are_done(page)
    expect(page.locator(".document-list")).to_contain_text("A123456(3)")
    expect(page.locator(".document-list")).to_contain_text("H12345678")
    assert no_sideways_scroll(page)

    page.goto(live_server.url + "/me/consent/")
    expect(page.locator(".consent-text").first).to_be_visible()
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(".badge-good").first).to_be_visible()

    page.goto(live_server.url + "/me/companies/")
    page.fill("input[name=name_en]", "Bright Star Trading Limited")
    page.select_option("select[name=identifier_kind]", "hk-br")
    page.fill("input[name=identifier]", "12345678")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Bright Star Trading Limited")
    expect(page.locator("main")).not_to_contain_text("12345678")
    assert no_sideways_scroll(page)


def test_macau_clerk_with_totp_finds_a_resident_masked_by_keyboard(page: Page, live_server):
    resident = account("chan@example.com")
    services.register_person(user=resident, name_zh="陳大文", documents=[("hkid", "A123456(3)")])
    clerk = account("clerk.mo@example.com")
    services.assign_role(clerk, Role.ZONE_CLERK, zone=macau_zone())
    secret = generate_totp_secret()
    TOTP.activate(clerk, secret)

    sign_in(page, live_server.url, clerk.email)
    page.fill("input[name=code]", format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.locator("main form button[type=submit]").first.click()
    expect(page).not_to_have_url(f"{live_server.url}/accounts/2fa/authenticate/")

    page.goto(live_server.url + "/staff/find/")
    page.focus("select[name=kind]")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.name") == "number"
    page.keyboard.type("a123456 3")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("陳大文")
    expect(page.locator(".document-list")).to_contain_text("A12****(3)")
    expect(page.locator("main")).not_to_contain_text("A123456(3)")
