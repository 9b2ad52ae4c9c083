"""Input types for API parameters, stricter than pydantic's lax defaults where those would accept
what the OpenAPI document rules out."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from pydantic import BeforeValidator

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: object) -> object:
    # pydantic reads a bare number as a Unix time ("0" is 1970-01-01); a date here is written
    # YYYY-MM-DD, as the OpenAPI document says, and anything else is bad input (422).
    if isinstance(value, int | float) or (isinstance(value, str) and not ISO_DATE.match(value)):
        raise ValueError("Input should be a date written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]
"""A date in an API's input: YYYY-MM-DD only, never a number read as a Unix time."""
