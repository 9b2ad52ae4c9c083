"""Every way into a staff session asks for the second factor: the admin has no sign-in of its
own, a session that never proved a second factor is signed out, staff sessions end when idle
and at browser close, applicants' sessions do not."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from freezegun import freeze_time

from tests.accounts.conftest import PASSWORD
from tests.accounts.signin_helpers import give_totp, sign_in_staff, totp_code
from tongban.accounts.constants import Role

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"
LOGIN = "/accounts/login/"
EN = {"accept-language": "en"}


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    cache.clear()  # allauth remembers used TOTP codes and failed sign-ins in the cache
    settings.MFA_TOTP_TOLERANCE = 1
    yield
    cache.clear()


def signed_in_id(client):
    return client.session.get("_auth_user_id")


def superuser(email="root@example.com"):
    return get_user_model().objects.create_superuser(email=email, password=PASSWORD)


def sign_in(client, email, *, code=None, remember=False):
    data = {"login": email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(LOGIN, data, headers=EN)
    if code is not None:
        assert response["Location"] == "/accounts/2fa/authenticate/"
        response = client.post("/accounts/2fa/authenticate/", {"code": code}, headers=EN)
    return response


# --- The admin --------------------------------------------------------------------------------


def test_admin_login_sends_to_the_platform_sign_in_and_signs_no_one_in(client):
    superuser()

    page = client.get("/admin/login/?next=/admin/accounts/user/")
    assert page.status_code == 302
    assert page["Location"] == "/accounts/login/?next=%2Fadmin%2Faccounts%2Fuser%2F"

    posted = client.post("/admin/login/", {"username": "root@example.com", "password": PASSWORD})
    assert posted.status_code == 302 and posted["Location"].startswith(LOGIN)
    assert signed_in_id(client) is None
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.get("/staff/supervision/")["Location"].startswith(LOGIN)
    assert client.get("/api/v1/cases/overdue").status_code == 401


def test_admin_opens_after_the_platform_sign_in_with_the_second_factor(client):
    secret = give_totp(superuser())

    after_password = sign_in(client, "root@example.com")
    assert after_password["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")  # not yet signed in

    client.post("/accounts/2fa/authenticate/", {"code": totp_code(secret)}, headers=EN)
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/login/")["Location"] == "/admin/"


def test_a_superuser_without_mfa_is_sent_to_set_it_up_before_admin_or_staff_pages(client):
    superuser()
    sign_in(client, "root@example.com")  # no authenticator yet: the password signs in

    for page in ("/admin/", "/staff/supervision/", "/staff/queue/", "/accounts/security/"):
        assert client.get(page)["Location"] == ACTIVATE, page
    api = client.get("/api/v1/cases/overdue", headers=EN)
    assert api.status_code == 403 and "authenticator app" in api.json()["detail"]


def test_a_staff_session_that_never_proved_a_second_factor_is_signed_out(client):
    root = superuser()
    give_totp(root)
    client.force_login(root)  # a session made without the code, as the old admin login did

    response = client.get("/admin/", headers=EN)

    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert signed_in_id(client) is None
    client.force_login(root)
    api = client.get("/api/v1/cases/overdue", headers=EN)
    assert api.status_code == 401 and "authenticator app" in api.json()["detail"]
    assert api.json()["code"] == "signed_out"


def test_the_admin_refuses_staff_who_are_not_administrators(client, clerk_macau):
    give_totp(clerk_macau)
    sign_in_staff(client, clerk_macau)
    assert client.get("/admin/", follow=True).status_code == 403


# --- Idle timeout, browser close ----------------------------------------------------------------


def test_an_idle_staff_session_is_signed_out_and_an_applicants_is_not(
    client, applicant, make_user, settings
):
    settings.TONGBAN_STAFF_IDLE_MINUTES = 15
    supervisor = make_user("supervisor@example.com", Role.SUPERVISOR)
    give_totp(supervisor)
    resident = Client(headers={"Accept-Language": "en"})
    with freeze_time("2026-12-01 09:00:00") as clock:
        sign_in_staff(client, supervisor)
        resident.force_login(applicant.user)
        assert client.get("/accounts/security/").status_code == 200
        assert resident.get("/me/").status_code == 200

        clock.tick(dt.timedelta(minutes=14))
        assert client.get("/accounts/security/").status_code == 200  # activity: the clock restarts

        clock.tick(dt.timedelta(minutes=14))
        assert client.get("/accounts/security/").status_code == 200

        clock.tick(dt.timedelta(minutes=16))
        idle = client.get("/accounts/security/", headers=EN)
        assert idle["Location"] == "/accounts/login/?next=%2Faccounts%2Fsecurity%2F"
        assert signed_in_id(client) is None
        assert resident.get("/me/").status_code == 200  # applicants are not timed out


def test_staff_sessions_end_at_browser_close_even_when_remembered(client, make_user, zones):
    clerk = make_user("clerk@example.com", Role.ZONE_CLERK, zone=zones["mo"])
    secret = give_totp(clerk)
    sign_in(client, "clerk@example.com", code=totp_code(secret), remember=True)
    assert signed_in_id(client) == str(clerk.pk)
    assert client.cookies["sessionid"]["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()


def test_applicants_may_be_remembered(client, make_user):
    user = make_user("chan@example.com")
    sign_in(client, "chan@example.com", remember=True)
    assert signed_in_id(client) == str(user.pk)
    assert client.cookies["sessionid"]["max-age"] != ""
    assert not client.session.get_expire_at_browser_close()
