"""The API's one exception handler and the error answers every operation documents.

``install(api)`` makes every error of the NinjaAPI answer in the ``core.errors.ApiError`` shape:
ninja's own (schema validation 422, malformed body 400, authentication 401, 403, throttling
429), Django's (``Http404``, ``PermissionDenied``, ``ValidationError``, ``ObjectDoesNotExist``,
request too large) and the ``ApiProblem`` family. An app maps its own domain exceptions once with
``map_exception`` instead of catching them in every route.

``document(router)`` adds to each operation of a router the error answers it can give, from its
shape (authentication, parameters, body), so the OpenAPI document lists every status.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Router, Schema
from ninja import errors as ninja_errors
from ninja.constants import NOT_SET

from . import errors
from .errors import ApiError, ApiProblem

_DOMAIN_EXCEPTIONS: dict[type[BaseException], Callable[[BaseException], ApiProblem]] = {}

BODY_SOURCES = frozenset({"body", "form", "file"})
# Codes of input the OpenAPI document itself rules out (a request valid by it never gets them).
SCHEMA_INVALID = "invalid_input"
MALFORMED_BODY = "malformed_body"


def map_exception(exception: type[BaseException], to_problem: Callable[..., ApiProblem]) -> None:
    """Answer ``exception`` (and its subclasses), wherever an API route lets it out, with the
    problem ``to_problem(error)`` returns."""
    _DOMAIN_EXCEPTIONS[exception] = to_problem


def _ninja_http_error(error: ninja_errors.HttpError) -> ApiProblem:
    if isinstance(error, ninja_errors.Throttled):
        return errors.TooManyRequests(retry_after=error.wait or 1)
    # ninja's own messages are English only: answer those with our translated words and codes;
    # a route's own HttpError keeps its message.
    ninja_messages = {
        "Unauthorized": errors.NotAuthenticated,
        "Forbidden": errors.Forbidden,
        "CSRF check Failed": lambda: errors.Forbidden(
            _("The form's security token is missing or expired; reload the page."), code="csrf"
        ),
        "Cannot parse request body": lambda: errors.BadRequest(
            _("The request body is not a JSON object."), code=MALFORMED_BODY
        ),
    }
    if error.message in ninja_messages:
        problem = ninja_messages[error.message]()
        problem.status = error.status_code
        return problem
    by_status = {
        400: errors.BadRequest,
        401: errors.NotAuthenticated,
        403: errors.Forbidden,
        404: errors.NotFound,
        409: errors.Conflict,
        413: errors.PayloadTooLarge,
        422: errors.Unprocessable,
    }
    problem_class = by_status.get(error.status_code, ApiProblem)
    return problem_class(error.message, status=error.status_code)


def _field_name(location: Iterable) -> str:
    parts = list(location)
    source, rest = (parts[0], parts[1:]) if parts else ("", [])
    if source in BODY_SOURCES and len(rest) > 1:
        rest = rest[1:]  # the view's body parameter name, e.g. ["body", "payload", "kind"]
    return ".".join(str(p) for p in rest) or str(source)


def _schema_validation(error: ninja_errors.ValidationError) -> ApiProblem:
    fields: dict[str, list[str]] = {}
    for item in error.errors:
        fields.setdefault(_field_name(item.get("loc", ())), []).append(str(item.get("msg", "")))
    detail = _("Some of the input is not valid: %(fields)s.") % {"fields": ", ".join(fields)}
    return errors.Unprocessable(detail, code=SCHEMA_INVALID, errors=fields)


def as_problem(error: BaseException) -> ApiProblem | None:
    """The answer for ``error``, or None when it is a bug (left to Django: a logged 500)."""
    for cls in type(error).__mro__:
        if cls in _DOMAIN_EXCEPTIONS:
            return _DOMAIN_EXCEPTIONS[cls](error)
    if isinstance(error, ApiProblem):
        return error
    if isinstance(error, ninja_errors.ValidationError):
        return _schema_validation(error)
    if isinstance(error, ninja_errors.HttpError):
        return _ninja_http_error(error)
    if isinstance(error, Http404 | ObjectDoesNotExist):
        return errors.NotFound()
    if isinstance(error, PermissionDenied):
        return errors.Forbidden(str(error) or None)
    if isinstance(error, ValidationError):
        return errors.from_validation_error(error)
    if isinstance(error, RequestDataTooBig | TooManyFieldsSent | TooManyFilesSent):
        return errors.PayloadTooLarge()
    if isinstance(error, MultiPartParserError):
        return errors.BadRequest(
            _("The uploaded form is damaged; send it again."), code=MALFORMED_BODY
        )
    return None


def install(api: NinjaAPI) -> None:
    """Make ``api`` answer every error in the one shape."""

    def handle(request: HttpRequest, error: Exception) -> HttpResponse:
        problem = as_problem(error)
        if problem is None:
            raise error
        response = api.create_response(request, problem.body().model_dump(), status=problem.status)
        for name, value in problem.headers.items():
            response[name] = value
        return response

    for exception in (Exception, ninja_errors.HttpError, ninja_errors.ValidationError, Http404):
        api.add_exception_handler(exception, handle)


@csrf_exempt  # nothing happens here; Django's CSRF page would answer HTML instead of the 404
def api_not_found(request: HttpRequest) -> JsonResponse:
    """An address under /api/ that no operation has: 404 in the one shape, not an HTML page."""
    problem = errors.NotFound(_("The API has no such address."))
    return JsonResponse(problem.body().model_dump(), status=404)


class _ErrorResponse(Schema):
    response: ApiError  # the wrapper ninja builds for each declared answer


def _statuses_of(operation, router_auth) -> set[int]:
    sources = {model.__ninja_param_source__ for model in operation.models}
    statuses = {400}  # any operation: text with a NUL character (core.api_input)
    if sources:
        statuses.add(422)
    if sources & BODY_SOURCES or (operation.openapi_extra or {}).get("requestBody"):
        statuses |= {400, 413, 422}
    if "path" in sources:
        statuses.add(404)
    auth = operation.auth_param if operation.auth_param is not NOT_SET else router_auth
    if auth not in (NOT_SET, None, []):
        statuses |= {401, 403}
    return statuses


def document(router: Router) -> Router:
    """Declare on each operation of ``router`` the error answers it can give, in the one shape:
    400 always, 401/403 when it needs authentication, 404 with path parameters, 422 (and 400 and 413 with a
    body) for its input, plus those the route declares itself (409, 429…)."""
    for path_view in router.path_operations.values():
        for operation in path_view.operations:
            declared = {s for s in operation.response_models if isinstance(s, int) and s >= 400}
            for status in declared | _statuses_of(operation, router.auth):
                operation.response_models[status] = _ErrorResponse
    return router
