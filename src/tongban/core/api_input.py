"""What the API reads, no more leniently than its OpenAPI document says: dates as YYYY-MM-DD,
bodies as JSON objects, text without NUL characters (pydantic and ninja would accept more and
carry on with a guess, or fail in the database)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from functools import wraps
from typing import Annotated

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja.parser import Parser
from pydantic import BeforeValidator

from . import errors

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


def _has_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def refuse_nul_characters(view):
    """API view decorator: text with a NUL character (in the path, the query or a JSON body) is
    refused with a 400 before it reaches a query; PostgreSQL cannot hold it and would fail."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        suspects: list[object] = [request.path, dict(request.GET.lists())]
        if request.content_type == "application/json":  # never a multipart upload's stream
            # Not JSON, or too large: the API's parser and handler answer that (400, 413).
            with contextlib.suppress(ValueError, RequestDataTooBig):
                suspects.append(json.loads(request.body or b"null"))
        if any(_has_nul(value) for value in suspects):
            problem = errors.BadRequest(
                _("Text may not contain NUL characters."), code="nul_character"
            )
            return JsonResponse(problem.body().model_dump(), status=400)
        return view(request, *args, **kwargs)

    return wrapped
