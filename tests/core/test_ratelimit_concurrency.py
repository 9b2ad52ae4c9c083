"""The limiter under requests sent together: exactly ``limit`` pass, on every backend.

The old limiter read the count and wrote it back, so threads released together read the same
number: 34 of 120 verifications passed a limit of 30. Each backend is now one atomic step.
"""

import sqlite3

import pytest
from django.db import connection

from tongban.core import ratelimit
from tongban.core.models import RateCounter

from ..ratelimit_helpers import BACKENDS, freeze_limiter_clock, run_together, use_backend

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(params=BACKENDS)
def backend(request, settings, monkeypatch):
    if request.param == "database" and connection.vendor == "sqlite":
        # SQLite runs the upsert as one statement, atomically; but its shared in-memory test
        # database answers concurrent writers "table is locked" instead of waiting for them.
        pytest.skip("SQLite's shared in-memory test database refuses concurrent writers")
    clean_up = use_backend(request.param, settings)
    freeze_limiter_clock(monkeypatch)
    yield request.param
    clean_up()


def test_exactly_the_limit_passes_when_requests_arrive_together(backend):
    waits, errors = run_together(
        lambda index: ratelimit.wait_seconds("verify", "203.0.113.7", limit=10), 40
    )
    assert errors == []
    assert sorted(waits).count(0) == 10
    assert all(wait > 0 for wait in waits if wait) and len(waits) == 40


def test_concurrent_hits_each_get_their_own_number(backend):
    counts, errors = run_together(lambda index: ratelimit.hit("burst", 60).count, 30)
    assert errors == []
    assert sorted(counts) == list(range(1, 31))


def test_give_back_and_clear(settings, monkeypatch):
    use_backend("database", settings)
    _check_give_back_and_clear()


@pytest.mark.parametrize("name", BACKENDS)
def test_give_back_and_clear_on_each_backend(name, settings):
    if name == "database" and connection.vendor == "sqlite":
        pytest.skip("covered by test_give_back_and_clear")
    clean_up = use_backend(name, settings)
    _check_give_back_and_clear()
    clean_up()


def _check_give_back_and_clear():
    assert [ratelimit.hit("k", 60).count for _ in range(3)] == [1, 2, 3]
    ratelimit.give_back("k")
    assert ratelimit.peek("k") == 2
    ratelimit.clear("k")
    assert ratelimit.peek("k") == 0
    ratelimit.give_back("k")  # nothing to give back: the counter is not driven below zero
    assert ratelimit.hit("k", 60).count == 1


def test_a_counter_starts_again_once_expired(settings, monkeypatch):
    use_backend("database", settings)
    clock = {"now": 1_000_000.0}
    monkeypatch.setattr(ratelimit, "time", type("Clock", (), {"time": lambda: clock["now"]}))
    assert ratelimit.hit("door", 10) == ratelimit.Hit(1, 10)
    clock["now"] += 4
    assert ratelimit.hit("door", 10) == ratelimit.Hit(2, 6)
    clock["now"] += 6
    assert ratelimit.hit("door", 10) == ratelimit.Hit(1, 10)
    clock["now"] += 11
    assert ratelimit.sweep_expired() == 1
    assert not RateCounter.objects.exists()


def test_very_long_keys_are_stored_hashed_and_stay_distinct(settings):
    use_backend("database", settings)
    first, second = "x" * 300 + "a", "x" * 300 + "b"
    assert ratelimit.hit(first, 60).count == 1
    assert ratelimit.hit(second, 60).count == 1
    assert ratelimit.hit(first, 60).count == 2


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (DATABASE_URL)")
def test_postgres_many_threads_on_one_key(settings, monkeypatch):
    use_backend("database", settings)
    freeze_limiter_clock(monkeypatch)
    waits, errors = run_together(
        lambda index: ratelimit.wait_seconds("identifier-checks", "198.51.100.1", limit=60), 120
    )
    assert errors == []
    assert waits.count(0) == 60


def test_the_sqlite_upsert_is_atomic_under_concurrent_writers(tmp_path):
    """The statement the limiter runs on SQLite, on a database file as deployed (WAL, a busy
    timeout), from many threads at once: each gets its own number."""
    path = tmp_path / "counters.sqlite3"
    setup = sqlite3.connect(path)
    setup.executescript(
        "PRAGMA journal_mode=WAL;"
        f'CREATE TABLE "{RateCounter._meta.db_table}" '
        '("key" varchar(200) PRIMARY KEY, "count" bigint NOT NULL, "expires_at" real NOT NULL);'
    )
    setup.close()
    statement = ratelimit._upsert_sql("sqlite").replace("%s", "?")

    def bump(index: int) -> int:
        db = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            now = 1_000_000.0
            return db.execute(statement, ["k", now + 60, now, now]).fetchone()[0]
        finally:
            db.close()

    counts, errors = run_together(bump, 30)
    assert errors == []
    assert sorted(counts) == list(range(1, 31))
