import io

import pytest
from django.core.management import CommandError, call_command

from tongban.accounts import services
from tongban.accounts.constants import Role
from tongban.accounts.identifiers import IdentifierKind
from tongban.accounts.models import ApiToken

from .conftest import HKID, HMT_PERMIT
from .signin_helpers import give_totp


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def clerk_token(clerk_macau):
    give_totp(clerk_macau)  # tokens are only for staff with an authenticator app
    out = io.StringIO()
    call_command(
        "create_api_token",
        clerk_macau.email,
        "--name",
        "kiosk",
        "--scope",
        "counter",
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue().strip()


@pytest.mark.django_db
class TestMe:
    def test_without_credentials_is_401(self, client):
        assert client.get("/api/v1/me").status_code == 401

    def test_signed_in_applicant_sees_their_profile_masked(self, client, applicant):
        client.force_login(applicant.user)
        response = client.get("/api/v1/me")
        assert response.status_code == 200
        body = response.json()
        assert body["email"] == "chan@example.com"
        assert body["person"]["name_zh"] == "陳大文"
        numbers = {d["number_masked"] for d in body["person"]["documents"]}
        assert "A12****(3)" in numbers
        assert HKID not in response.content.decode()
        assert HMT_PERMIT not in response.content.decode()
        assert body["person"]["cross_border_consent"]["case_processing"] is False

    def test_account_without_profile(self, client, make_user):
        client.force_login(make_user("fresh@example.com"))
        assert client.get("/api/v1/me").json()["person"] is None

    def test_token_authenticates_a_staff_integration(self, client, clerk_token, zones):
        body = client.get("/api/v1/me", **bearer(clerk_token)).json()
        assert body["staff_roles"] == [{"role": "zone_clerk", "zone": "MO-1", "department": None}]

    def test_only_a_hash_of_the_token_is_stored(self, clerk_token):
        record = ApiToken.objects.get()
        assert clerk_token not in (record.token_hash, record.prefix)
        assert clerk_token[: len(record.prefix)] == record.prefix

    def test_wrong_and_revoked_tokens_are_refused(self, client, clerk_token):
        assert client.get("/api/v1/me", **bearer(clerk_token + "x")).status_code == 401
        services.revoke_api_token(ApiToken.objects.get())
        assert client.get("/api/v1/me", **bearer(clerk_token)).status_code == 401


@pytest.mark.django_db
class TestStaffIntegration:
    def test_clerk_looks_up_by_document_and_sees_it_masked(self, client, clerk_token, applicant):
        response = client.post(
            "/api/v1/persons/lookup",
            {"kind": IdentifierKind.HKID, "number": "a123456(3)"},
            content_type="application/json",
            **bearer(clerk_token),
        )
        assert response.status_code == 200
        body = response.json()
        assert body["found"] is True
        assert body["person"]["id"] == applicant.pk
        assert HKID not in response.content.decode()

    def test_invalid_number_is_a_clear_400(self, client, clerk_token):
        response = client.post(
            "/api/v1/persons/lookup",
            {"kind": IdentifierKind.HKID, "number": "A123456(4)"},
            content_type="application/json",
            **bearer(clerk_token),
        )
        assert response.status_code == 400
        assert "should be 3" in response.json()["detail"]

    def test_applicant_cannot_look_up(self, client, applicant):
        client.force_login(applicant.user)
        response = client.post(
            "/api/v1/persons/lookup",
            {"kind": IdentifierKind.HKID, "number": HKID},
            content_type="application/json",
        )
        assert response.status_code in (403,)  # CSRF or permission: refused either way

    def test_another_persons_record_by_id_is_404(self, client, applicant, make_applicant):
        other = make_applicant("other@example.com")
        client.force_login(other.user)
        response = client.get(f"/api/v1/persons/{applicant.pk}")
        assert response.status_code == 404
        assert "陳大文" not in response.content.decode()
        assert client.get(f"/api/v1/persons/{other.pk}").status_code == 200

    def test_clerk_reads_by_id_only_persons_of_their_zone(
        self, client, clerk_token, clerk_macau, applicant, zones
    ):
        walk_in = services.register_person(
            actor=clerk_macau, registered_at_zone=zones["mo"], name_zh="李美玲"
        )
        response = client.get(f"/api/v1/persons/{walk_in.pk}", **bearer(clerk_token))
        assert response.status_code == 200
        assert response.json()["name_zh"] == "李美玲"
        assert (
            client.get(f"/api/v1/persons/{applicant.pk}", **bearer(clerk_token)).status_code == 404
        )


@pytest.mark.django_db
def test_tokens_only_for_staff(make_user):
    applicant = make_user("plain@example.com")
    with pytest.raises(CommandError):
        call_command("create_api_token", applicant.email, stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody@example.com", stdout=io.StringIO())
    give_totp(make_user("auditor@example.com", Role.AUDITOR))
    call_command(
        "create_api_token", "auditor@example.com", stdout=io.StringIO(), stderr=io.StringIO()
    )


@pytest.mark.django_db
def test_routes_are_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/v1/me", "/api/v1/persons/{person_id}", "/api/v1/persons/lookup"} <= set(paths)
