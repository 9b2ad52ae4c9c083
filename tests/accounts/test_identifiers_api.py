"""POST /api/v1/identifiers/validate: the live check behind the forms."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.utils import translation

from tongban.core import ratelimit

URL = "/api/v1/identifiers/validate"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, standing still unless a test moves it."""
    now = SimpleNamespace(value=1_800_000_000.0)
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now.value))
    return now


def post(client, body, language="en", **extra):
    return client.post(
        URL, body, content_type="application/json", headers={"accept-language": language}, **extra
    )


def test_a_valid_number_comes_back_normalised(client):
    response = post(client, {"kind": "hkid", "value": "a 123456 3"})
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "normalized": "A123456(3)",
        "error": None,
        "problem": None,
    }


def test_an_invalid_number_comes_back_with_the_reason(client):
    response = post(client, {"kind": "hkid", "value": "A123456(4)"})
    assert response.status_code == 200
    assert response.json() == {
        "valid": False,
        "normalized": None,
        "error": "The check digit in brackets should be 3, not 4.",
        "problem": "check_digit",
    }


@pytest.mark.parametrize(
    ("kind", "value", "normalized"),
    [
        ("mo-bir", "1234567(8)", "1234567(8)"),
        ("hmt-permit", "h1234567801", "H1234567801"),
        ("hkmo-residence-permit", "810000199001011230", "810000199001011230"),
        ("cn-id", "11010519491231002x", "11010519491231002X"),
        ("uscc", "91110000600037341L", "91110000600037341L"),
        ("hk-br", "C0012345", "C0012345"),
        ("passport", "E12345678", "E12345678"),
    ],
)
def test_every_kind_is_checked(client, kind, value, normalized):
    response = post(client, {"kind": kind, "value": value})
    assert response.json()["normalized"] == normalized


def test_unknown_kind_is_a_validation_error(client):
    response = post(client, {"kind": "library-card", "value": "123"})
    assert response.status_code == 422


def test_value_longer_than_64_characters_is_refused(client):
    response = post(client, {"kind": "passport", "value": "A" * 65})
    assert response.status_code == 422
    assert post(client, {"kind": "passport", "value": "A" * 64}).status_code == 200


def test_html_in_the_value_is_reported_not_executed(client):
    response = post(client, {"kind": "hkid", "value": "<script>alert(1)</script>"})
    body = response.json()
    assert response.status_code == 200
    assert body["valid"] is False
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_the_reason_follows_the_request_language(client):
    response = post(client, {"kind": "hkid", "value": "A123456(4)"}, language="zh-hant")
    with translation.override("zh-hant"):
        expected = translation.gettext(
            "The check digit in brackets should be %(expected)s, not %(given)s."
        ) % {"expected": "3", "given": "4"}
    assert response.json()["error"] == expected


def test_too_many_checks_from_one_address_get_429_until_the_next_minute(client, settings, clock):
    settings.TONGBAN_IDENTIFIER_CHECKS_PER_MINUTE = 3
    body = {"kind": "hkid", "value": "A123456(3)"}
    clock.value = 1_800_000_020.0  # 20 s into a minute
    for _ in range(3):
        assert post(client, body).status_code == 200
    response = post(client, body)
    assert response.status_code == 429
    assert response.json() == {
        "code": "rate_limited",
        "detail": "Too many checks from your address; try again in 40 seconds.",
        "errors": {},
    }
    assert response["Retry-After"] == "40"
    clock.value += 40
    assert post(client, body).status_code == 200


def test_the_limit_is_per_address(client, settings, clock):
    settings.TONGBAN_IDENTIFIER_CHECKS_PER_MINUTE = 1
    body = {"kind": "hkid", "value": "A123456(3)"}
    assert post(client, body, REMOTE_ADDR="203.0.113.1").status_code == 200
    assert post(client, body, REMOTE_ADDR="203.0.113.1").status_code == 429
    # Another address still gets its answer.
    assert post(client, body, REMOTE_ADDR="203.0.113.2").status_code == 200


def test_the_endpoint_is_in_the_openapi_document(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/identifiers/validate"]
