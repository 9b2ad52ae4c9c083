"""Rate limits that hold under concurrency: one atomic counter per key, in Redis when
``TONGBAN_REDIS_URL`` is set, else in the database (``core.RateCounter``).

Every counter is bumped by one atomic operation that returns the new count, so requests
arriving together each see a different number and exactly ``limit`` of them pass:

- Redis: ``SET key 0 EX seconds NX`` then ``INCR`` in one MULTI/EXEC transaction;
- the database: one ``INSERT … ON CONFLICT DO UPDATE … RETURNING`` statement (PostgreSQL and
  SQLite ≥ 3.35 both run it atomically; PostgreSQL holds the row lock until commit).

A counter expires ``seconds`` after its first hit. Keys hold no personal identifiers: callers
pass addresses, ids or keyed hashes.
"""

from __future__ import annotations

import functools
import hashlib
import time
from dataclasses import dataclass

import redis
from django.conf import settings
from django.db import connection
from django.db.models import F

from .models import RateCounter

REDIS_PREFIX = "tongban:rl:"
MAX_KEY_LENGTH = RateCounter._meta.get_field("key").max_length

# Redis: take one back only while the counter lives (a DECR on a missing key would create -1).
_GIVE_BACK = """
if redis.call('exists', KEYS[1]) == 1 and tonumber(redis.call('get', KEYS[1])) > 0 then
  return redis.call('decr', KEYS[1])
end
return 0
"""


@dataclass(frozen=True)
class Hit:
    count: int  # uses so far, this one included
    expires_in: int  # whole seconds until the counter starts again at zero


@functools.lru_cache(maxsize=4)
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


def _redis() -> redis.Redis | None:
    url = getattr(settings, "REDIS_URL", "")
    return _redis_client(url) if url else None


def _stored_key(key: str) -> str:
    if len(key) <= MAX_KEY_LENGTH:
        return key
    return key[: MAX_KEY_LENGTH - 65] + ":" + hashlib.sha256(key.encode()).hexdigest()


@functools.cache
def _upsert_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    table, key, count, expires = (
        quote(name) for name in (RateCounter._meta.db_table, "key", "count", "expires_at")
    )
    return (
        f"INSERT INTO {table} ({key}, {count}, {expires}) VALUES (%s, 1, %s) "  # noqa: S608  (names from the model; values are bound)
        f"ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {table}.{expires} <= %s THEN 1 ELSE {table}.{count} + 1 END, "
        f"{expires} = CASE WHEN {table}.{expires} <= %s "
        f"THEN excluded.{expires} ELSE {table}.{expires} END "
        f"RETURNING {count}, {expires}"
    )


def hit(key: str, seconds: int) -> Hit:
    """Count one use of ``key`` (expiring ``seconds`` after its first use); atomically."""
    seconds = max(1, int(seconds))
    client = _redis()
    if client is not None:
        name = REDIS_PREFIX + key
        pipe = client.pipeline(transaction=True)
        pipe.set(name, 0, ex=seconds, nx=True)
        pipe.incr(name)
        pipe.ttl(name)
        _created, count, ttl = pipe.execute()
        return Hit(int(count), max(1, int(ttl)))
    now = time.time()
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(connection.vendor), [_stored_key(key), now + seconds, now, now])
        count, expires_at = cursor.fetchone()
    return Hit(int(count), max(1, int(expires_at - now + 0.999)))


def peek(key: str) -> int:
    """The uses of ``key`` so far in its live period, without counting one."""
    client = _redis()
    if client is not None:
        value = client.get(REDIS_PREFIX + key)
        return int(value) if value is not None else 0
    row = (
        RateCounter.objects.filter(key=_stored_key(key), expires_at__gt=time.time())
        .values_list("count", flat=True)
        .first()
    )
    return row or 0


def give_back(key: str) -> None:
    """Return one use of ``key`` (a refused or successful attempt that should not count)."""
    client = _redis()
    if client is not None:
        client.eval(_GIVE_BACK, 1, REDIS_PREFIX + key)
        return
    RateCounter.objects.filter(key=_stored_key(key), count__gt=0).update(count=F("count") - 1)


def clear(key: str) -> None:
    client = _redis()
    if client is not None:
        client.delete(REDIS_PREFIX + key)
        return
    RateCounter.objects.filter(key=_stored_key(key)).delete()


def reset() -> None:
    """Forget every counter (between the examples of a fuzzing test; after a false alarm)."""
    client = _redis()
    if client is not None:
        keys = list(client.scan_iter(match=REDIS_PREFIX + "*", count=1000))
        if keys:
            client.delete(*keys)
    RateCounter.objects.all().delete()


def sweep_expired() -> int:
    """Delete the database's expired counters (Redis expires its own); returns how many."""
    deleted, _ = RateCounter.objects.filter(expires_at__lte=time.time()).delete()
    return deleted


# --- The fixed-window limiter every caller uses -------------------------------------------------


def count(key: str, window_seconds: int = 60) -> int:
    """Count one use of ``key`` in its current window and return the uses so far."""
    return hit(key, window_seconds * 2).count


def wait_seconds(bucket: str, key: str, *, limit: int, window_seconds: int = 60) -> int:
    """Spend one use of ``bucket`` by ``key``: 0 while within ``limit`` per window, else the
    seconds until the next window opens (for a Retry-After header)."""
    now = int(time.time())
    if count(f"{bucket}:{key}:{now // window_seconds}", window_seconds) <= limit:
        return 0
    return max(1, window_seconds - now % window_seconds)
