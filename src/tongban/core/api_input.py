"""What the API reads, no more leniently than its OpenAPI document says: dates as YYYY-MM-DD,
bodies as JSON objects (pydantic and ninja would accept more and carry on with a guess)."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Annotated

from django.http import HttpRequest
from ninja.parser import Parser
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


class JsonObjectParser(Parser):
    """Every request body of the API is a JSON object. ninja would read any other JSON (``5``,
    ``[]``, ``null``) as an empty object and run the operation with the defaults; refuse it as
    a malformed body instead (400)."""

    def parse_body(self, request: HttpRequest) -> dict:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the request body is not a JSON object")
        return data
