"""API tokens: only for staff with an authenticator app (at creation and at every use), scoped,
expiring, made on the security page after re-authentication, listed with their last use,
revocable by their holder and by administrators."""

import datetime as dt
import io

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from tests.accounts.conftest import PASSWORD
from tests.accounts.signin_helpers import give_totp, reauthenticate, sign_in_staff
from tongban.accounts import services
from tongban.accounts.constants import Role
from tongban.accounts.identifiers import IdentifierKind
from tongban.accounts.models import ApiToken, StaffAssignment
from tongban.core.models import AuditEvent

pytestmark = pytest.mark.django_db

SECURITY = "/accounts/security/"
NEW_TOKEN = "/accounts/security/tokens/new/"
EN = {"accept-language": "en"}


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def clerk(clerk_macau):
    give_totp(clerk_macau)
    return clerk_macau


def lookup(client, token):
    return client.post(
        "/api/v1/persons/lookup",
        {"kind": IdentifierKind.HKID, "number": "A123456(3)"},
        content_type="application/json",
        **bearer(token),
    )


# --- Who may hold one ---------------------------------------------------------------------------


def test_staff_without_mfa_get_no_token(clerk_macau):
    with pytest.raises(ValidationError) as refused:
        services.create_api_token(clerk_macau, "kiosk", scopes=["read"])
    assert refused.value.code == "mfa_required"
    with pytest.raises(CommandError, match="authenticator app"):
        call_command("create_api_token", clerk_macau.email, stdout=io.StringIO())
    assert not ApiToken.objects.exists()


def test_a_token_stops_working_when_its_holder_loses_mfa_or_the_staff_role(client, clerk):
    _record, token = services.create_api_token(clerk, "kiosk", scopes=["read"])
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200

    Authenticator.objects.filter(user=clerk).delete()
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401

    give_totp(clerk)
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200
    StaffAssignment.objects.filter(user=clerk).delete()
    assert client.get("/api/v1/me", **bearer(token)).status_code == 401


def test_a_reviewer_without_mfa_cannot_accept_with_an_old_token(client, make_user, departments):
    """The issue's case: a token made before for a reviewer who never enrolled MFA."""
    reviewer = make_user(
        "reviewer@example.com", Role.DEPARTMENT_REVIEWER, department=departments["housing"]
    )
    give_totp(reviewer)
    _record, token = services.create_api_token(reviewer, "old", scopes=["cases"])
    Authenticator.objects.filter(user=reviewer).delete()
    response = client.post("/api/v1/cases/JM-2026-000001/accept", {}, **bearer(token))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"  # the API's one error shape


# --- Scopes and lifetime ------------------------------------------------------------------------


def test_a_read_only_token_reads_but_cannot_post(client, clerk, applicant):
    _record, token = services.create_api_token(clerk, "reports", scopes=["read"])
    assert client.get("/api/v1/me", **bearer(token)).status_code == 200

    refused = lookup(client, token)

    assert refused.status_code == 403
    assert refused.json()["detail"] == "This token's scopes do not allow this change."


def test_a_token_changes_only_where_its_scope_reaches(client, clerk, applicant):
    _record, cases_token = services.create_api_token(clerk, "cases", scopes=["cases"])
    assert lookup(client, cases_token).status_code == 403  # person lookups need "counter"
    _record, counter_token = services.create_api_token(clerk, "counter", scopes=["counter"])
    assert lookup(client, counter_token).status_code == 200
    draft = client.post(
        "/api/v1/cases", {"item": "x"}, content_type="application/json", **bearer(counter_token)
    )
    assert draft.status_code == 403  # starting a case needs "cases"


def test_scopes_and_lifetime_are_checked_when_the_token_is_made(clerk, settings):
    settings.TONGBAN_API_TOKEN_MAX_DAYS = 365
    bad = [
        ({"scopes": []}, "scope_missing"),
        ({"scopes": ["everything"]}, "scope_unknown"),
        ({"scopes": ["read", "cases"]}, "scope_conflict"),
        ({"scopes": ["read"], "days": 366}, "days_out_of_range"),
        ({"scopes": ["read"], "days": 0}, "days_out_of_range"),
    ]
    for arguments, code in bad:
        with pytest.raises(ValidationError) as refused:
            services.create_api_token(clerk, "x", **arguments)
        assert refused.value.error_dict, arguments
        assert next(iter(refused.value.error_dict.values()))[0].code == code
    assert not ApiToken.objects.exists()


def test_a_token_expires_after_90_days_by_default(client, clerk):
    with freeze_time("2026-12-01 09:00:00") as clock:
        record, token = services.create_api_token(clerk, "kiosk", scopes=["read"])
        assert record.expires_at == timezone.now() + dt.timedelta(days=90)
        clock.tick(dt.timedelta(days=89))
        assert client.get("/api/v1/me", **bearer(token)).status_code == 200
        clock.tick(dt.timedelta(days=2))
        expired = client.get("/api/v1/me", **bearer(token))
    assert expired.status_code == 401
    assert expired.json()["code"] == "not_authenticated"


def test_the_command_sets_scope_and_lifetime_and_is_audited(clerk):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_token",
        clerk.email,
        "--scope",
        "counter",
        "--days",
        "30",
        stdout=out,
        stderr=err,
    )
    record = ApiToken.objects.get()
    assert record.scopes == ["counter"]
    assert (record.expires_at - record.created_at).days in (29, 30)
    assert out.getvalue().strip().startswith("tb_")
    event = AuditEvent.objects.filter(event="api_token_created").get()
    assert event.payload["via"] == "command" and event.payload["scopes"] == ["counter"]


# --- The security page ------------------------------------------------------------------------


def test_making_a_token_on_the_security_page_asks_for_the_password_again(client, clerk):
    sign_in_staff(client, clerk)
    form = {"name": "kiosk", "scopes": ["counter"], "days": "30"}

    asked = client.post(NEW_TOKEN, form, headers=EN)
    assert asked.status_code == 302
    assert asked["Location"].startswith("/accounts/reauthenticate/")
    assert not ApiToken.objects.exists()

    shown = client.post(asked["Location"], {"password": PASSWORD}, headers=EN)

    assert shown.status_code == 200
    token = shown.context["token"]
    assert token in shown.content.decode()
    assert "cannot be shown again" in shown.content.decode()
    record = ApiToken.objects.get()
    assert record.scopes == ["counter"] and token not in record.token_hash
    page = client.get(SECURITY, headers=EN).content.decode()
    assert record.prefix in page and token not in page  # listed, never shown again
    assert "never" in page  # not used yet


def test_bad_token_form_input_gets_the_page_back_with_errors(client, clerk):
    sign_in_staff(client, clerk)
    reauthenticate(client, PASSWORD)
    response = client.post(
        NEW_TOKEN, {"name": "x", "scopes": ["read", "cases"], "days": "9999"}, headers=EN
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "A token lasts between 1 and 365 days." in page
    assert not ApiToken.objects.exists()
    response = client.post(NEW_TOKEN, {"name": "x", "scopes": ["read", "cases"]}, headers=EN)
    assert response.status_code == 400
    assert "A read-only token cannot also have other scopes." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_security_page_lists_last_use_and_the_holder_revokes(client, clerk):
    record, token = services.create_api_token(clerk, "kiosk", scopes=["read"])
    api = Client()
    with freeze_time("2026-12-02 10:30:00"):
        assert api.get("/api/v1/me", **bearer(token)).status_code == 200
    record.refresh_from_db()
    assert record.last_used_at == dt.datetime(2026, 12, 2, 10, 30, tzinfo=dt.UTC)

    sign_in_staff(client, clerk)
    page = client.get(SECURITY, headers=EN).content.decode()
    assert "kiosk" in page and "Dec. 2, 2026" in page

    response = client.post(f"/accounts/security/tokens/{record.pk}/revoke/", headers=EN)
    assert response["Location"] == SECURITY
    assert api.get("/api/v1/me", **bearer(token)).status_code == 401
    assert "revoked" in client.get(SECURITY, headers=EN).content.decode()


def test_no_one_revokes_another_holders_token(client, clerk, make_user):
    record, _token = services.create_api_token(clerk, "kiosk", scopes=["read"])
    other = make_user("sup@example.com", Role.SUPERVISOR)
    give_totp(other)
    sign_in_staff(client, other)
    assert client.post(f"/accounts/security/tokens/{record.pk}/revoke/").status_code == 404
    record.refresh_from_db()
    assert record.revoked_at is None


def test_applicants_see_no_token_section(client, applicant):
    client.force_login(applicant.user)
    assert "API tokens" not in client.get(SECURITY, headers=EN).content.decode()


# --- Administrators -------------------------------------------------------------------------------


def test_an_administrator_revokes_tokens_from_the_admin(client, clerk):
    record, token = services.create_api_token(clerk, "kiosk", scopes=["read"])
    root = get_user_model().objects.create_superuser(email="root@example.com", password=PASSWORD)
    give_totp(root)
    sign_in_staff(client, root)

    response = client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [record.pk]},
        headers=EN,
    )

    assert response.status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is not None
    assert Client().get("/api/v1/me", **bearer(token)).status_code == 401
