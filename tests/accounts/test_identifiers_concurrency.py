"""The live identifier check under requests sent together: before, 81 of 200 passed a limit
of 60."""

import pytest
from django.db import connection
from django.test import Client

from tests.ratelimit_helpers import BACKENDS, freeze_limiter_clock, run_together, use_backend

URL = "/api/v1/identifiers/validate"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", BACKENDS)
def test_exactly_the_limit_of_parallel_checks_is_answered(backend, settings, monkeypatch):
    if backend == "database" and connection.vendor == "sqlite":
        pytest.skip("SQLite's shared in-memory test database refuses concurrent writers")
    clean_up = use_backend(backend, settings)
    freeze_limiter_clock(monkeypatch)
    settings.TONGBAN_IDENTIFIER_CHECKS_PER_MINUTE = 20

    def check(index):
        return Client().post(
            URL, {"kind": "hkid", "value": "A123456(3)"}, content_type="application/json"
        ).status_code

    statuses, errors = run_together(check, 60)
    clean_up()
    assert errors == []
    assert sorted(statuses) == [200] * 20 + [429] * 40
