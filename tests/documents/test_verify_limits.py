"""/verify under requests sent together, and behind a reverse proxy.

Before: 34 of 120 parallel verifications passed a limit of 30; behind the proxy every client
shared the proxy's budget."""

import pytest
from django.db import connection
from django.test import Client

from tests.ratelimit_helpers import BACKENDS, freeze_limiter_clock, run_together, use_backend


@pytest.fixture(params=BACKENDS)
def backend(request, settings, monkeypatch):
    if request.param == "database" and connection.vendor == "sqlite":
        pytest.skip("SQLite's shared in-memory test database refuses concurrent writers")
    clean_up = use_backend(request.param, settings)
    freeze_limiter_clock(monkeypatch)
    yield request.param
    clean_up()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_exactly_the_limit_of_parallel_verifications_is_answered(backend, settings):
    settings.TONGBAN_VERIFICATIONS_PER_MINUTE = 10
    statuses, errors = run_together(
        lambda index: Client().get("/verify", {"code": "0000-0000-0000"}).status_code, 40
    )
    assert errors == []
    assert statuses.count(429) == 30
    assert len(statuses) == 40


@pytest.mark.django_db
def test_behind_the_proxy_each_client_has_its_own_budget_and_cannot_forge_one(
    client, settings, monkeypatch
):
    use_backend("database", settings)
    freeze_limiter_clock(monkeypatch)
    settings.TONGBAN_VERIFICATIONS_PER_MINUTE = 2
    settings.TONGBAN_TRUSTED_PROXIES = ["10.0.0.2"]

    def verify(remote_addr, forwarded_for=""):
        extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
        return client.get(
            "/verify", {"code": "0000-0000-0000"}, REMOTE_ADDR=remote_addr, **extra
        ).status_code

    # Two clients behind the proxy: each gets the whole budget.
    assert [verify("10.0.0.2", "198.51.100.1") for _ in range(3)] == [200, 200, 429]
    assert [verify("10.0.0.2", "198.51.100.2") for _ in range(2)] == [200, 200]
    # A client behind the proxy inventing an address on the left of the header gains nothing.
    assert verify("10.0.0.2", "203.0.113.99, 198.51.100.1") == 429
    # A client reaching the server directly cannot pose as the proxy's clients.
    assert [verify("203.0.113.5", f"198.51.100.{n}") for n in range(3, 6)] == [200, 200, 429]
