from types import SimpleNamespace

import pytest
from django.core.cache import cache

from tongban.core import ratelimit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock(monkeypatch):
    """Set the rate limiter's clock: clock(seconds past a whole minute a day from now).

    A future minute, because the cache still expires entries by the real clock."""
    import time

    start = (int(time.time()) // 60 + 24 * 60) * 60

    def move_to(seconds: int) -> None:
        monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: start + seconds))

    return move_to


def test_uses_within_the_limit_wait_nothing_then_the_next_is_told_to_wait(clock):
    clock(10)
    waits = [ratelimit.wait_seconds("verify", "203.0.113.7", limit=3) for _ in range(4)]
    assert waits == [0, 0, 0, 50]


def test_each_key_and_bucket_has_its_own_budget(clock):
    clock(0)
    for _ in range(2):
        ratelimit.wait_seconds("verify", "203.0.113.7", limit=2)
    assert ratelimit.wait_seconds("verify", "203.0.113.8", limit=2) == 0
    assert ratelimit.wait_seconds("identifiers", "203.0.113.7", limit=2) == 0
    assert ratelimit.wait_seconds("verify", "203.0.113.7", limit=2) > 0


def test_a_new_window_starts_a_new_budget(clock):
    clock(59)
    assert ratelimit.wait_seconds("verify", "k", limit=1) == 0
    assert ratelimit.wait_seconds("verify", "k", limit=1) == 1
    clock(60)
    assert ratelimit.wait_seconds("verify", "k", limit=1) == 0
