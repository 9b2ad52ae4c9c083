"""Helpers for the rate-limit tests: requests sent together, and the two limiter backends.

The database backend runs on whatever DATABASE_URL names (SQLite by default, PostgreSQL in
CI); the Redis one needs the server at TONGBAN_TEST_REDIS_URL (database 3 by default) and is
skipped cleanly when none answers.
"""

from __future__ import annotations

import os
import threading
import time
from types import SimpleNamespace

import pytest
import redis
from django.db import connections

from tongban.core import ratelimit

REDIS_URL = os.environ.get("TONGBAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
BACKENDS = ["database", "redis"]


def run_together(work, count: int) -> tuple[list, list]:
    """Run ``work(index)`` in ``count`` threads released at the same instant."""
    results, errors = [], []
    barrier = threading.Barrier(count)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results.append(work(index))
        except Exception as error:  # noqa: BLE001 — reported to the test thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors


def _forget_redis_counters(client: redis.Redis) -> None:
    keys = list(client.scan_iter(match=ratelimit.REDIS_PREFIX + "*"))
    if keys:
        client.delete(*keys)


def use_backend(name: str, settings):
    """Point the limiter at ``name``; returns a clean-up function."""
    if name == "database":
        settings.REDIS_URL = ""
        return lambda: None
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip(f"needs Redis at {REDIS_URL}")
    settings.REDIS_URL = REDIS_URL
    _forget_redis_counters(client)
    return lambda: _forget_redis_counters(client)


def freeze_limiter_clock(monkeypatch) -> int:
    """Hold the limiter's clock in the middle of an hour, so no window ends during a test."""
    now = (int(time.time()) // 3600) * 3600 + 1800
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))
    return now
