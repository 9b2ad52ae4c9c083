"""The public faces: /verify, GET /api/v1/documents/verify and the published keys."""

import pytest
from django.utils import timezone

from tongban.documents import services

pytestmark = pytest.mark.django_db

API = "/api/v1/documents/verify"
LANGUAGES = ["zh-hans", "zh-hant", "en", "pt"]


@pytest.fixture(autouse=True)
def _cache(empty_cache):
    yield


def test_verify_page_shows_the_form(client):
    response = client.get("/verify")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="code"' in page and 'method="get"' in page
    assert "<script" not in page and "style=" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_valid_code_shows_kind_masked_holder_dates_and_status(client, issue, language):
    document = issue()
    response = client.get("/verify", {"code": document.display_code}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Language"] == language
    page = response.content.decode()
    assert "verify-valid" in page
    assert "Test voucher" in page and document.number in page
    assert "A12****(3)" in page
    assert timezone.localtime(document.issued_at).strftime("%Y-%m-%d") in page
    assert timezone.localtime(document.valid_until).strftime("%Y-%m-%d") in page
    assert "f" * 64 not in page and "陳大文" not in page  # never the holder hash or the record
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_unknown_code_says_unknown_and_nothing_else(client, issue):
    issue()
    response = client.get("/verify", {"code": "0000-0000-0000"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "verify-unknown" in page
    assert "A12****(3)" not in page and "TSV-" not in page


@pytest.mark.parametrize("typed", ["ABCD-EFGH-JKM!", "UUUU-UUUU-UUUU", "ABC", "A" * 41])
def test_impossible_code_gets_a_clear_error_and_a_400(client, typed):
    response = client.get("/verify", {"code": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'aria-invalid="true"' in page and "error-summary" in page


def test_empty_code_asks_for_one(client):
    response = client.get("/verify", {"code": ""})
    assert response.status_code == 400
    assert "Enter the verification code" in response.content.decode()


def test_qr_link_verifies_the_token_and_the_registry(client, issue):
    document = issue()
    response = client.get("/verify", {"t": document.token})
    assert response.status_code == 200 and "verify-valid" in response.content.decode()
    services.revoke(document, "wrong person", "staff:1")
    response = client.get("/verify", {"t": document.token})
    assert "verify-revoked" in response.content.decode()


def test_qr_link_with_a_forged_token_says_not_genuine(client, issue):
    header, payload, signature = issue().token.split(".")
    response = client.get("/verify", {"t": f"{header}.{payload}A.{signature}"})
    assert response.status_code == 200
    assert "verify-invalid" in response.content.decode()


def test_revoked_code_shows_revoked(client, issue):
    document = issue()
    services.revoke(document, "issued by mistake", "staff:1")
    page = client.get("/verify", {"code": document.verification_code}).content.decode()
    assert "verify-revoked" in page
    assert "issued by mistake" not in page  # the reason is the office's, not the public's


def test_page_rate_limit_gives_a_translated_429(client, settings, issue):
    settings.TONGBAN_VERIFICATIONS_PER_MINUTE = 3
    document = issue()
    for _ in range(3):
        assert client.get("/verify", {"code": document.verification_code}).status_code == 200
    response = client.get("/verify", {"code": document.verification_code})
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Too many" in response.content.decode()
    assert client.get("/verify").status_code == 200  # the empty form never counts
    other = client.get("/verify", {"code": document.verification_code}, REMOTE_ADDR="203.0.113.9")
    assert other.status_code == 200  # the budget is per address


# --- API ------------------------------------------------------------------------------------


def test_api_answers_like_the_page(client, issue):
    document = issue()
    response = client.get(API, {"code": document.display_code})
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "valid"
    assert body["kind"] == "test_voucher" and body["kind_label"] == "Test voucher"
    assert body["number"] == document.number and body["holder_masked"] == "A12****(3)"
    assert body["issued_at"] and body["valid_until"] and body["revoked_at"] is None
    assert "hh" not in body and "f" * 64 not in response.content.decode()


def test_api_unknown_revoked_and_token(client, issue):
    document = issue()
    assert client.get(API, {"code": "0000-0000-0000"}).json()["status"] == "unknown"
    assert client.get(API, {"token": document.token}).json()["status"] == "valid"
    services.revoke(document, "mistake", "staff:1")
    assert client.get(API, {"code": document.verification_code}).json()["status"] == "revoked"
    forged = client.get(API, {"token": "a.b.c"}).json()
    assert forged["status"] == "invalid" and forged["problem"] == "malformed"


@pytest.mark.parametrize("query", [{"code": "ABCD-EFGH-JKM!"}, {"code": "ABC"}, {}])
def test_api_bad_code_is_a_400_with_a_reason(client, query):
    response = client.get(API, query)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_api_too_long_code_is_refused_without_a_500(client):
    response = client.get(API, {"code": "A" * 500})
    assert response.status_code == 400 and "too long" in response.json()["detail"]
    response = client.get(API, {"token": "A" * 20_000})
    assert response.status_code == 200 and response.json()["problem"] == "malformed"


def test_api_shares_the_page_rate_limit(client, settings, issue):
    settings.TONGBAN_VERIFICATIONS_PER_MINUTE = 2
    document = issue()
    assert client.get("/verify", {"code": document.verification_code}).status_code == 200
    assert client.get(API, {"code": document.verification_code}).status_code == 200
    response = client.get(API, {"code": document.verification_code})
    assert response.status_code == 429 and response["Retry-After"]
    assert "Too many" in response.json()["detail"]


def test_api_is_in_the_openapi_document(client):
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/documents/verify" in schema["paths"]


# --- Published keys -------------------------------------------------------------------------


def test_published_keys_are_a_jwk_set(client, issue):
    document = issue()
    response = client.get("/.well-known/tongban-keys.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    (key,) = response.json()["keys"]
    assert key["kid"] == document.key_id
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and "d" not in key
