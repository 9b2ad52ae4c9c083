"""Ids and counts that reach the database from the API: one bounded integer type for every router.

An integer beyond the database's range is bad input, answered 422 by the API's validation in
its JSON error shape, never passed on to a query: PostgreSQL raises on it and SQLite's driver
overflows (both a 500). Every table's key is a ``BigAutoField`` (settings.DEFAULT_AUTO_FIELD),
a signed 64-bit integer on every backend.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

DATABASE_ID_MAX = 2**63 - 1

# A row's id in a query, a path or a body: positive and within the database's integers.
DatabaseId = Annotated[int, Field(ge=1, le=DATABASE_ID_MAX)]


def database_id(value) -> int | None:
    """``value`` (text or a number) as an id the database can hold, or None when it is not one
    (for the few ids read by hand, e.g. from a multipart form)."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 1 <= number <= DATABASE_ID_MAX else None
