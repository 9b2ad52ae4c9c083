"""/api/v1/identifiers: live checks of document numbers for the forms.

Anyone may call it, so each client address gets a small budget per minute; the check
itself is the same function the forms and ``tongban identifiers check`` use.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from tongban.accounts import identifiers
from tongban.accounts.identifiers import IdentifierKind
from tongban.core import errors, ratelimit
from tongban.core.clientaddress import client_network
from tongban.core.errors import ApiError

router = Router(tags=["identifiers"])

RATE_WINDOW_SECONDS = 60


def checks_per_minute() -> int:
    return getattr(settings, "TONGBAN_IDENTIFIER_CHECKS_PER_MINUTE", 60)


class IdentifierIn(Schema):
    kind: IdentifierKind
    value: str = Field(..., max_length=64, description="The number as the person typed it")


class IdentifierCheckOut(Schema):
    valid: bool
    normalized: str | None = Field(description="The number in its one normalised form")
    error: str | None = Field(description="Why the number is invalid, in the request's language")
    problem: identifiers.Problem | None = Field(
        description="The kind of mistake, for programs: " + ", ".join(identifiers.Problem)
    )


def seconds_until_allowed(request: HttpRequest) -> int:
    """0 while this client address is within its budget for the current minute."""
    return ratelimit.wait_seconds(
        "identifier-checks",
        client_network(request),
        limit=checks_per_minute(),
        window_seconds=RATE_WINDOW_SECONDS,
    )


@router.post(
    "/validate",
    response={200: IdentifierCheckOut, 429: ApiError},
    summary="Check a document or company number",
)
def validate(request: HttpRequest, payload: IdentifierIn):
    wait = seconds_until_allowed(request)
    if wait:
        raise errors.TooManyRequests(
            wait,
            _("Too many checks from your address; try again in %(seconds)s seconds.")
            % {"seconds": wait},
        )
    result = identifiers.check(payload.kind, payload.value)
    return IdentifierCheckOut(
        valid=result.valid,
        normalized=result.normalized,
        error=str(result.error) if result.error else None,
        problem=result.error.problem if result.error else None,
    )
