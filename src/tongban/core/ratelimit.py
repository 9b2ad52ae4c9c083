"""Fixed-window rate limits in Django's cache (database cache embedded, Redis in production).

One counter per key and window: simple, shared by every web worker, and exact enough for
refusing credential stuffing, code enumeration and scraping. With the database cache the
increment is not atomic under heavy concurrency; with Redis it is.
"""

import time

from django.core.cache import cache


def count(key: str, window_seconds: int = 60) -> int:
    """Count one use of ``key`` in its current window and return the uses so far."""
    cache.add(key, 0, timeout=window_seconds * 2)
    try:
        return cache.incr(key)
    except ValueError:  # the entry expired between add and incr
        cache.set(key, 1, timeout=window_seconds * 2)
        return 1


def wait_seconds(bucket: str, key: str, *, limit: int, window_seconds: int = 60) -> int:
    """Spend one use of ``bucket`` by ``key``: 0 while within ``limit`` per window, else the
    seconds until the next window opens (for a Retry-After header)."""
    now = int(time.time())
    if count(f"{bucket}:{key}:{now // window_seconds}", window_seconds) <= limit:
        return 0
    return max(1, window_seconds - now % window_seconds)
