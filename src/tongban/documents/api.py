"""/api/v1/documents: verify a document by its code or its token, as JSON.

Same answer as the ``/verify`` page, from the same service functions, within the same rate
limit per client address (the page and the API share it).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from tongban.core import errors
from tongban.core.clientaddress import client_network
from tongban.core.errors import ApiError

from . import services
from .codes import InvalidCode
from .constants import Problem, VerificationStatus
from .forms import MAX_TYPED_CODE
from .signing import MAX_TOKEN_LENGTH

router = Router(tags=["documents"])


class VerifyQuery(Schema):
    # Lengths are checked by the service, which answers in the request's language.
    code: str | None = Field(
        None,
        description=f"The verification code, e.g. 7K2M-9QXD-4HTP (at most {MAX_TYPED_CODE} "
        "characters as typed)",
    )
    token: str | None = Field(
        None,
        description=f"The signed token from the QR code (at most {MAX_TOKEN_LENGTH} characters)",
    )


class VerificationOut(Schema):
    status: VerificationStatus
    message: str = Field(description="The status explained, in the request's language")
    kind: str | None = Field(description="The kind of document, for programs")
    kind_label: str | None = Field(description="The kind of document, in the request's language")
    number: str | None
    holder_masked: str | None
    issued_at: dt.datetime | None
    valid_until: dt.datetime | None
    revoked_at: dt.datetime | None
    problem: Problem | None = Field(description="Why a token is not genuine, for programs")
    facts: dict | None = Field(
        None,
        description="What the document states, as signed: period, totals, a digest of its "
        "table (keys depend on the kind of document)",
    )
    statements: list[StatementOut] = Field(
        default_factory=list, description="The same facts as labelled lines to show"
    )


class StatementOut(Schema):
    label: str = Field(description="What the document states, in the request's language")
    value: str


@router.get(
    "/verify",
    response={200: VerificationOut, 400: ApiError, 429: ApiError},
    summary="Verify a document by its verification code or its QR token",
)
def verify(request: HttpRequest, response: HttpResponse, query: Query[VerifyQuery]):
    wait = services.verification_wait(client_network(request))
    if wait:
        raise errors.TooManyRequests(
            wait,
            _("Too many checks from your address; try again in %(seconds)s seconds.")
            % {"seconds": wait},
        )
    response["Cache-Control"] = "no-store"
    if query.code:
        if len(query.code) > MAX_TYPED_CODE:
            raise errors.BadRequest(
                _("A verification code has 12 characters; this is far too long."), code="too_long"
            )
        try:
            result = services.verify_by_code(query.code)
        except InvalidCode as problem:
            raise errors.BadRequest(str(problem.message), code="invalid_code") from None
    elif query.token:
        result = services.verify_token(query.token)
    else:
        raise errors.BadRequest(_("Give a verification code or a token."), code="missing_code")
    return VerificationOut(**result.as_dict())
