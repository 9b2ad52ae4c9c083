"""API errors in one shape: ``{"code", "detail", "errors"}``, whatever went wrong.

``code`` is stable and meant for programs (``not_found``, ``rate_limited``, ``unknown_zone``…);
``detail`` says what went wrong in the request's language; ``errors`` lists messages per input
field (empty when the problem is not about one field). Services and routers raise an
``ApiProblem`` (or one of the Django/ninja exceptions ``core.api_errors`` maps) and the API's one
exception handler answers it; nothing builds an error body by hand.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema


class ApiError(Schema):
    """The body of every API error answer (4xx)."""

    code: str = Field(description="Stable code for programs, e.g. not_found, rate_limited")
    detail: str = Field(description="What went wrong, in the request's language")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages per input field; empty when not about one"
    )


class ApiProblem(Exception):
    """An error answer: an HTTP status, a stable code and a translated message."""

    status = 400
    code = "bad_request"

    def __init__(
        self,
        detail: str | None = None,
        *,
        code: str | None = None,
        status: int | None = None,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.status = status or self.status
        self.code = code or self.code
        self.detail = str(detail) if detail is not None else self.default_detail()
        self.errors = errors or {}
        self.headers = headers or {}
        super().__init__(self.detail)

    def default_detail(self) -> str:
        return _("The request cannot be handled.")

    def body(self) -> ApiError:
        return ApiError(code=self.code, detail=self.detail, errors=self.errors)


class BadRequest(ApiProblem):
    status, code = 400, "bad_request"


class NotAuthenticated(ApiProblem):
    status, code = 401, "not_authenticated"

    def default_detail(self) -> str:
        return _("Sign in, or send a valid API token.")


class Forbidden(ApiProblem):
    status, code = 403, "forbidden"

    def default_detail(self) -> str:
        return _("You are not allowed to do this.")


class NotFound(ApiProblem):
    status, code = 404, "not_found"

    def default_detail(self) -> str:
        return _("There is nothing here.")


class Conflict(ApiProblem):
    status, code = 409, "conflict"

    def default_detail(self) -> str:
        return _("The current state does not allow this.")


class PayloadTooLarge(ApiProblem):
    status, code = 413, "too_large"

    def default_detail(self) -> str:
        return _("The request is too large.")


class Unprocessable(ApiProblem):
    status, code = 422, "invalid"

    def default_detail(self) -> str:
        return _("Some of the input is not valid.")


class TooManyRequests(ApiProblem):
    """429 with a Retry-After header: ``raise TooManyRequests(retry_after=wait)``."""

    status, code = 429, "rate_limited"

    def __init__(self, retry_after: int, detail: str | None = None, **kwargs) -> None:
        self.retry_after = max(1, int(retry_after))
        headers = {"Retry-After": str(self.retry_after), **kwargs.pop("headers", {})}
        super().__init__(detail, headers=headers, **kwargs)

    def default_detail(self) -> str:
        return _("Too many requests from your address; try again in %(seconds)s seconds.") % {
            "seconds": self.retry_after
        }


def from_validation_error(error: ValidationError) -> ApiProblem:
    """A Django ``ValidationError`` as an answer: 422 with its first code and the messages per
    field (413 when the code is ``too_large``: an upload over the limit)."""
    if hasattr(error, "error_dict"):
        errors = {
            name: [str(message) for item in items for message in item.messages]
            for name, items in error.error_dict.items()
        }
        first = next(iter(error.error_dict.values()))[0]
        detail = " ".join(str(m) for m in first.messages)
    else:
        errors = {}
        first = error.error_list[0]
        detail = " ".join(str(m) for m in error.messages)
    code = first.code or "invalid"
    if code == "too_large":
        return PayloadTooLarge(detail, errors=errors)
    return Unprocessable(detail, code=code, errors=errors)
