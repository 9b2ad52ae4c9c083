"""A Hong Kong resident's sign-in journey in Chromium: sign up, confirm the address, turn on an
authenticator app with a computed code, sign out, sign in again with password and code.

The pages are allauth's, in the site's layout; the test also watches the console for anything
the Content-Security-Policy blocked (allauth's passkey scripts must load from 'self').
"""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import Page, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

EMAIL = "chan.taiman@example.com"
PASSWORD = "a long walk by Victoria Harbour"


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


@pytest.fixture
def csp_violations(page: Page):
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return seen


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    cache.clear()
    settings.MFA_TOTP_TOLERANCE = 1
    yield
    cache.clear()


def submit(page: Page, action: str) -> None:
    page.locator(f"main form[action='{action}'] button[type=submit]").first.click()


def test_sign_up_enable_totp_sign_out_and_sign_in_with_totp(
    page: Page, live_server, csp_violations
):
    # Sign up.
    page.goto(live_server.url + "/")
    page.locator(".main-nav").get_by_role("link", name="Sign up").click()
    page.locator("#id_email").fill(EMAIL)
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    submit(page, "/accounts/signup/")
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))

    # Confirm the address with the link from the e-mail.
    link = re.search(r"http://[^/\s]+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body)
    page.goto(live_server.url + link.group(1))
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".main-nav")).to_contain_text("Security")

    # Turn on an authenticator app from the security page.
    page.locator(".main-nav").get_by_role("link", name="Security").click()
    expect(page.locator("h1")).to_have_text("Security")
    page.get_by_role("link", name="Set up an authenticator app").click()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("#id_code").fill(totp_code(secret))
    submit(page, "/accounts/2fa/totp/activate/")
    expect(page.locator("main")).to_contain_text("Recovery Codes")
    cache.clear()  # the next code may equal the one just used

    # Sign out.
    page.locator(".main-nav").get_by_role("link", name="Sign out").click()
    submit(page, "/accounts/logout/")
    expect(page.locator(".main-nav")).to_contain_text("Sign in")

    # Sign in: password, then the authenticator code.
    page.locator(".main-nav").get_by_role("link", name="Sign in").click()
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    submit(page, "/accounts/login/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.locator(".main-nav")).not_to_contain_text("Security")
    page.locator("#id_code").fill(totp_code(secret))
    submit(page, "/accounts/2fa/authenticate/")

    expect(page.locator(".main-nav")).to_contain_text("Security")
    page.goto(live_server.url + "/accounts/security/")
    expect(page.locator("main")).to_contain_text("unused codes")
    assert csp_violations == []


def test_sign_in_page_at_phone_width_by_keyboard(page: Page, live_server, csp_violations):
    page.set_viewport_size({"width": 375, "height": 740})
    static = []
    page.on("response", lambda r: static.append((r.url, r.status)) if "/static/" in r.url else None)
    page.goto(live_server.url + "/accounts/login/")
    page.wait_for_load_state("load")
    scripts = [url for url, status in static if url.endswith(".js") and status == 200]
    assert any(url.endswith("/mfa/js/webauthn.js") for url in scripts), static

    # No sideways scrolling, and the passkey script loads under the CSP.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.locator("#id_login").focus()
    page.keyboard.type("nobody@example.com")
    page.keyboard.press("Tab")
    page.keyboard.type("not the password")
    page.keyboard.press("Enter")

    expect(page.locator("main .errorlist")).to_be_visible()
    assert csp_violations == []


def test_add_a_passkey_and_sign_in_with_it(page: Page, live_server, csp_violations):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user(email=EMAIL, password=PASSWORD)
    # Chromium's virtual authenticator stands in for a phone or security key.
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#id_login").fill(EMAIL)
    page.locator("#id_password").fill(PASSWORD)
    submit(page, "/accounts/login/")

    page.goto(live_server.url + "/accounts/2fa/webauthn/add/")
    if "/reauthenticate/" in page.url:
        page.locator("#id_password").fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/webauthn/add/"))
    page.locator("#id_name").fill("My phone")
    page.locator("#id_passwordless").check()
    page.locator("#mfa_webauthn_add").click()
    expect(page.locator("main")).to_contain_text("Recovery Codes")  # allauth shows them next
    page.goto(live_server.url + "/accounts/security/")
    expect(page.locator("main")).to_contain_text("My phone")

    page.locator(".main-nav").get_by_role("link", name="Sign out").click()
    submit(page, "/accounts/logout/")
    page.goto(live_server.url + "/accounts/login/")
    page.locator("#passkey_login").click()

    expect(page.locator(".main-nav")).to_contain_text("Security")
    assert csp_violations == []
