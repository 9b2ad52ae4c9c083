"""Second factors: TOTP enrolment with a computed code, signing in with it, staff forced to enrol,
the security page, and signing out everywhere."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from tests.accounts.conftest import PASSWORD
from tongban.accounts.constants import Role
from tongban.accounts.signin import services

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"
EN = {"accept-language": "en"}


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    # allauth refuses a TOTP code used in the last 30 s, remembered in the cache.
    cache.clear()
    settings.MFA_TOTP_TOLERANCE = 1  # a code computed just before a 30 s boundary still counts
    yield
    cache.clear()


def totp_code(secret: str) -> str:
    """RFC 6238 with allauth's own HOTP helper: the code an authenticator app shows now."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def signed_in_user(client):
    user_id = client.session.get("_auth_user_id")
    return get_user_model().objects.get(pk=user_id) if user_id else None


def sign_in(client, email, password=PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password}, headers=EN)


def enrol_totp(client, password=PASSWORD) -> str:
    page = client.get(ACTIVATE)
    if page.status_code == 302 and page["Location"].startswith("/accounts/reauthenticate/"):
        # allauth asks for the password again before any change to the second factors.
        client.post(page["Location"], {"password": password})
        page = client.get(ACTIVATE)
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(ACTIVATE, {"code": totp_code(secret)}, headers=EN)
    assert response.status_code == 302
    cache.clear()  # the enrolment code may be the same one the next sign-in computes
    return secret


def test_an_applicant_turns_on_totp_and_then_needs_it_to_sign_in(client, make_user):
    user = make_user("chan@example.com")
    sign_in(client, "chan@example.com")
    assert signed_in_user(client) == user

    secret = enrol_totp(client)

    totp = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    assert secret not in str(totp.data)  # stored encrypted with the field keys
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    client.post("/accounts/logout/")

    after_password = sign_in(client, "chan@example.com")
    assert after_password["Location"] == "/accounts/2fa/authenticate/"
    assert signed_in_user(client) is None  # the password alone is not enough

    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"}, headers=EN)
    assert wrong.status_code == 200 and signed_in_user(client) is None
    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}, headers=EN)
    assert signed_in_user(client) == user


def test_a_used_totp_code_cannot_be_replayed(client, make_user):
    make_user("chan@example.com")
    sign_in(client, "chan@example.com")
    secret = enrol_totp(client)
    client.post("/accounts/logout/")
    code = totp_code(secret)
    sign_in(client, "chan@example.com")
    client.post("/accounts/2fa/authenticate/", {"code": code}, headers=EN)
    client.post("/accounts/logout/")

    sign_in(client, "chan@example.com")
    replay = client.post("/accounts/2fa/authenticate/", {"code": code}, headers=EN)

    assert replay.status_code == 200
    assert signed_in_user(client) is None


def test_an_applicant_need_not_enrol(client, make_user):
    make_user("chan@example.com")
    sign_in(client, "chan@example.com")
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("kind", ["clerk", "django_staff"])
def test_staff_are_sent_to_set_up_totp_before_anything_else(client, kind, make_user, zones):
    if kind == "clerk":
        make_user("clerk@example.com", Role.ZONE_CLERK, zone=zones["mo"])
    else:
        get_user_model().objects.create_user(
            email="clerk@example.com", password=PASSWORD, is_staff=True
        )
    sign_in(client, "clerk@example.com")

    home = client.get("/", headers=EN)
    assert home.status_code == 302 and home["Location"] == ACTIVATE
    assert client.get("/accounts/security/")["Location"] == ACTIVATE
    api = client.get("/api/v1/me", headers=EN)
    assert api.status_code == 403
    assert "authenticator app" in api.json()["detail"]
    assert api.json()["code"] == "mfa_required"  # the API's one error shape

    enrol_totp(client)

    assert client.get("/").status_code == 200


def test_staff_cannot_turn_their_totp_off(client, make_user, zones):
    user = make_user("clerk@example.com", Role.ZONE_CLERK, zone=zones["mo"])
    sign_in(client, "clerk@example.com")
    enrol_totp(client)

    client.post("/accounts/2fa/totp/deactivate/", headers=EN)

    assert services.has_totp(user)


def test_an_applicant_may_turn_their_totp_off(client, make_user):
    user = make_user("chan@example.com")
    sign_in(client, "chan@example.com")
    enrol_totp(client)

    client.post("/accounts/2fa/totp/deactivate/", headers=EN)

    assert not services.has_totp(user)


def test_the_security_page_shows_factors_and_sessions(client, make_user):
    make_user("chan@example.com")
    sign_in(client, "chan@example.com")
    page = client.get("/accounts/security/", headers=EN).content.decode()
    assert "Set up an authenticator app" in page

    enrol_totp(client)

    page = client.get("/accounts/security/", headers=EN).content.decode()
    assert "Set up an authenticator app" not in page
    assert "10 unused codes" in page
    assert "Sign out everywhere" in page


def test_sign_out_everywhere_ends_every_session(make_user):
    user = make_user("chan@example.com")
    laptop, phone = Client(), Client()
    sign_in(laptop, "chan@example.com")
    sign_in(phone, "chan@example.com")
    assert signed_in_user(phone) == user

    response = laptop.post("/accounts/security/sign-out-everywhere/")

    assert response["Location"] == "/accounts/login/"
    assert signed_in_user(laptop) is None
    assert phone.get("/accounts/security/").status_code == 302  # sent to sign in
    assert signed_in_user(phone) is None


def test_a_clerk_given_totp_by_the_test_helper_reaches_pages(client, make_user, zones):
    from tests.accounts.signin_helpers import give_totp, sign_in_staff

    clerk = make_user("clerk@example.com", Role.ZONE_CLERK, zone=zones["mo"])
    give_totp(clerk)
    sign_in_staff(client, clerk)
    assert client.get("/").status_code == 200
