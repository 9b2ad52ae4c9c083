import pytest

pytestmark = pytest.mark.django_db


def test_home_offers_search_and_topics(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'name="q"' in body
    assert "/services/?topic=social-insurance" in body


def test_security_headers(client):
    response = client.get("/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("zh-HK", "zh-hant"),
        ("zh-MO", "zh-hant"),
        ("zh-TW", "zh-hant"),
        ("zh-CN", "zh-hans"),
        ("pt-PT", "pt"),
        ("en-GB", "en"),
    ],
)
def test_accept_language_picks_one_of_four(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert f'<html lang="{expected}">' in response.content.decode()
