"""A supervisor in Chromium: the admin's address leads to the platform's sign-in, which asks for
the authenticator code; on the security page they make an API token (the password is asked
again), see it once, and revoke it."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.accounts.signin_helpers import give_totp, totp_code
from tongban.accounts import services
from tongban.accounts.constants import Role
from tongban.accounts.models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "supervisor@example.com"
PASSWORD = "a long walk by Victoria Harbour"


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    cache.clear()
    settings.MFA_TOTP_TOLERANCE = 1
    yield
    cache.clear()


def test_admin_address_sign_in_with_code_and_a_token_made_shown_once_and_revoked(
    page: Page, live_server, tmp_path
):
    user = get_user_model().objects.create_user(email=EMAIL, password=PASSWORD)
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    services.assign_role(user, Role.SUPERVISOR)
    secret = give_totp(user)
    base = live_server.url

    page.goto(base + "/admin/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))
    page.fill("input[name=login]", EMAIL)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.fill("input[name=code]", totp_code(secret))
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text("403")  # signed in, but not an administrator

    page.goto(base + "/accounts/security/")
    page.get_by_label("What it is for").fill("overdue report")
    page.get_by_label("Act on cases", exact=False).check()
    page.get_by_label("Read only", exact=False).uncheck()
    page.get_by_label("Lasts (days)").fill("30")
    page.get_by_role("button", name="Make the token").click()
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()

    token = page.locator("#api-token").inner_text()
    assert token.startswith("tb_")
    page.screenshot(path=str(tmp_path / "token.png"), full_page=True)
    page.get_by_role("link", name="Back to security").click()
    expect(page.locator(".token-list")).to_contain_text("overdue report")
    expect(page.locator("main")).not_to_contain_text(token)
    page.get_by_role("button", name="Revoke").click()
    expect(page.locator(".token-list")).to_contain_text("revoked")
    assert ApiToken.objects.get().revoked_at is not None
