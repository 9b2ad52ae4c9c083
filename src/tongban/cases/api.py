"""/api/v1/cases: applying, uploading, every transition, the lists — the same services as pages.

Authentication: the browser session (with CSRF, for the pages' own requests) or a staff API
token (``Authorization: Bearer tb_…``, for integrations). Errors answer in the API's one shape
(``core.errors.ApiError``: ``{"code", "detail", "errors"}``): 403 not allowed, 404 no such case
(or not yours), 409 the case's state does not allow the action, 413 file too large, 422 bad
input — translated into the request's language.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.decorators import decorate_view
from ninja.security import SessionAuth

from tongban.accounts import services as accounts
from tongban.accounts.api_auth import StaffTokenAuth
from tongban.catalog import services as catalog
from tongban.core import errors
from tongban.core.api_errors import map_exception
from tongban.core.api_input import IsoDate
from tongban.core.errors import ApiError
from tongban.core.ids import DatabaseId, database_id

from . import services
from .api_schemas import (  # noqa: F401  (the shapes, in one place for the case routers)
    AttachmentOut,
    CaseDetailOut,
    CaseOut,
    CasePage,
    DeliverIn,
    DraftIn,
    EventOut,
    ExtendIn,
    FormIn,
    IdentityCheckIn,
    NoteIn,
    ReasonsIn,
    SpecialProcedureIn,
    SupplementIn,
    SupplementOut,
)
from .attachments import limit_upload_size, too_large_message
from .constants import CaseAction

# A staff integration's API token: any valid one reads; changes need the "cases" scope.
CASES_SCOPE = "cases"


def StaffToken() -> StaffTokenAuth:  # noqa: N802  (the name the case routers already use)
    return StaffTokenAuth(CASES_SCOPE)


router = Router(tags=["cases"], auth=[StaffToken(), SessionAuth()])
IDEMPOTENCY_HEADER = {
    "parameters": [
        {
            "in": "header",
            "name": "Idempotency-Key",
            "required": False,
            "schema": {"type": "string", "maxLength": 100},
            "description": "The same key again returns the same case instead of a second one.",
        }
    ]
}


# --- Error answers -------------------------------------------------------------------------------
# The API's one handler (core.api_errors) answers PermissionDenied (403), ValidationError (422, or
# 413 for a file over the limit) and these, wherever a route lets them out.

ERRORS = {403: ApiError, 404: ApiError, 409: ApiError, 422: ApiError}
map_exception(services.CaseNotFound, lambda error: errors.NotFound(_("There is no such case.")))
map_exception(
    services.IllegalTransition,
    lambda error: errors.Conflict(str(error.message), code="illegal_transition"),
)


def _answer(call: Callable[[], Any], present: Callable[[Any], Any], status: int = 200):
    return Status(status, present(call()))


def _zone(code: str | None):
    if not code:
        return None
    zone = next((z for z in catalog.list_zones() if z.code == code), None)
    if zone is None:
        raise services.invalid("zone", _("There is no such zone."), "unknown_zone")
    return zone


def _detail_out(detail: services.CaseDetail) -> CaseDetailOut:
    return CaseDetailOut(
        case=CaseOut.of(detail.case),
        timeline=[
            EventOut(
                action=e.action,
                label=str(e.get_action_display()),
                from_status=e.from_status,
                to_status=e.to_status,
                at=e.at,
                by=e.actor_label or (f"user:{e.actor_id}" if e.actor_id else ""),
                note=e.note,
                reasons=e.reasons,
            )
            for e in detail.events
        ],
        attachments=[AttachmentOut.of(a) for a in detail.attachments],
        supplement_requests=[
            SupplementOut(
                round=s.round,
                missing_requirements=s.missing_requirements,
                missing_other=s.missing_other,
                note=s.note,
                requested_at=s.requested_at,
                due=s.due,
                answered_at=s.answered_at,
            )
            for s in detail.supplement_requests
        ],
        actions=detail.actions,
    )


def _page(result) -> CasePage:
    cases, cursor = result
    return CasePage(
        items=[CaseOut.of(c) for c in cases], next=None if cursor is None else str(cursor)
    )


# --- Applying -----------------------------------------------------------------------------------


@router.post(
    "",
    response={201: CaseOut, **ERRORS},
    summary="Start a draft (applicant, or a clerk for an applicant)",
    openapi_extra=IDEMPOTENCY_HEADER,
)
def create_draft(request: HttpRequest, body: DraftIn):
    def call():
        applicant = None
        if body.applicant_person_id is not None:
            try:
                applicant = accounts.get_person(request.auth, body.applicant_person_id)
            except accounts.Person.DoesNotExist:
                raise services.invalid(
                    "applicant_person_id", _("There is no such person."), "unknown_person"
                ) from None
        company = None
        if body.company_id is not None:
            try:
                company = accounts.company_for(request.auth, body.company_id)
            except accounts.Company.DoesNotExist:
                raise services.invalid(
                    "company_id", _("There is no such company."), "unknown_company"
                ) from None
        check = body.identity_check
        return services.start_draft(
            request.auth,
            body.item,
            applicant=applicant,
            company=company,
            channel=body.channel,
            zone=_zone(body.zone),
            identity_check=services.IdentityCheck(check.document_kind, check.number)
            if check
            else None,
            form_data=body.form_data,
            idempotency_key=request.headers.get("Idempotency-Key", ""),
        )

    return _answer(call, CaseOut.of, 201)


@router.get("/mine", response=CasePage, summary="My cases, newest first (keyset pages)")
def mine(request: HttpRequest, after: DatabaseId | None = None, limit: int = 20):
    return _page(services.my_cases(request.auth, after=after, limit=limit))


@router.get(
    "/queue",
    response={200: CasePage, **ERRORS},
    summary="Reviewer queue by due date (keyset pages)",
)
def queue(
    request: HttpRequest,
    status: str | None = None,
    due_before: IsoDate | None = None,
    after: str | None = Query(None, max_length=40),
    limit: int = 50,
):
    return _answer(
        lambda: services.reviewer_queue(
            request.auth, status=status, due_before=due_before, after=after, limit=limit
        ),
        _page,
    )


@router.get("/overdue", response={200: CasePage, **ERRORS}, summary="Overdue cases (supervisors)")
def overdue(request: HttpRequest, after: str | None = Query(None, max_length=40), limit: int = 50):
    return _answer(lambda: services.overdue_cases(request.auth, after=after, limit=limit), _page)


@router.get(
    "/{number}", response={200: CaseDetailOut, **ERRORS}, summary="A case with its timeline"
)
def detail(request: HttpRequest, number: str):
    return _answer(lambda: services.case_detail(request.auth, number), _detail_out)


@router.put("/{number}/form", response={200: CaseOut, **ERRORS}, summary="Save a draft's form")
def save_form(request: HttpRequest, number: str, body: FormIn):
    return _answer(
        lambda: services.save_draft(request.auth, number, form_data=body.form_data), CaseOut.of
    )


@router.post(
    "/{number}/attachments",
    response={201: AttachmentOut, **ERRORS},
    summary="Upload a file (PDF, JPEG, PNG) against a material",
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["file"],
                        "properties": {
                            "file": {"type": "string", "format": "binary"},
                            "requirement": {"type": "integer"},
                        },
                    }
                }
            },
            "required": True,
        }
    },
)
@decorate_view(limit_upload_size)
def upload_attachment(request: HttpRequest, number: str):
    def call():
        uploaded = request.FILES.get("file")
        if getattr(request, "upload_refused", None) == "too_large":
            raise services.invalid("file", too_large_message(), "too_large")
        if uploaded is None:
            raise services.invalid("file", _("Choose a file to upload."), "required")
        requirement = request.POST.get("requirement") or None
        requirement_id = database_id(requirement) if requirement else None
        if requirement and requirement_id is None:
            raise services.invalid(
                "requirement", _("Choose a material of this service."), "invalid"
            )
        return services.add_attachment(
            request.auth, number, uploaded, requirement_id=requirement_id
        )

    return _answer(call, AttachmentOut.of, 201)


@router.post(
    "/{number}/submit",
    response={200: CaseOut, **ERRORS},
    summary="Submit a draft",
    openapi_extra=IDEMPOTENCY_HEADER,
)
def submit(request: HttpRequest, number: str):
    key = request.headers.get("Idempotency-Key", "")
    return _answer(lambda: services.submit(request.auth, number, idempotency_key=key), CaseOut.of)


# --- Transitions: POST /cases/{number}/{action} -------------------------------------------------


def _transition(path: str, summary: str, schema, call: Callable):
    def view(request: HttpRequest, number: str, body: schema):
        return _answer(lambda: call(request.auth, number, body), CaseOut.of)

    view.__name__ = f"case_{path}"
    view.__annotations__ = {"request": HttpRequest, "number": str, "body": schema}
    router.post(
        f"/{{number}}/{path}",
        response={200: CaseOut, **ERRORS},
        summary=summary,
        operation_id=f"cases_{path}",
    )(view)


_transition(
    CaseAction.REQUEST_SUPPLEMENT,
    "Ask for everything missing, at once",
    SupplementIn,
    lambda u, n, b: services.request_supplement(
        u,
        n,
        missing_requirements=b.missing_requirements,
        missing_other=b.missing_other,
        note=b.note,
        answer_within_days=b.answer_within_days,
    ),
)
_transition(
    CaseAction.RESUBMIT,
    "Hand in the supplements",
    NoteIn,
    lambda u, n, b: services.resubmit(u, n, note=b.note),
)
_transition(
    CaseAction.ACCEPT, "Accept (受理)", NoteIn, lambda u, n, b: services.accept(u, n, note=b.note)
)
_transition(
    CaseAction.ACCEPT_AND_DECIDE,
    "Accept and approve an on-the-spot item",
    NoteIn,
    lambda u, n, b: services.accept_and_decide(u, n, note=b.note),
)
_transition(
    CaseAction.REFUSE,
    "Refuse to accept (不予受理), with reasons",
    ReasonsIn,
    lambda u, n, b: services.refuse(u, n, reasons=b.reasons, note=b.note),
)
_transition(
    CaseAction.START_REVIEW,
    "Start the review",
    NoteIn,
    lambda u, n, b: services.start_review(u, n, note=b.note),
)
_transition(
    CaseAction.BEGIN_SPECIAL_PROCEDURE,
    "Begin a hearing, test or expert review (clock paused)",
    SpecialProcedureIn,
    lambda u, n, b: services.begin_special_procedure(u, n, procedure=b.procedure, note=b.note),
)
_transition(
    CaseAction.END_SPECIAL_PROCEDURE,
    "End the special procedure",
    NoteIn,
    lambda u, n, b: services.end_special_procedure(u, n, note=b.note),
)
_transition(
    CaseAction.EXTEND,
    "Extend the time limit once, with a reason",
    ExtendIn,
    lambda u, n, b: services.extend(u, n, reason=b.reason),
)
_transition(
    CaseAction.APPROVE, "Approve", NoteIn, lambda u, n, b: services.approve(u, n, note=b.note)
)
_transition(
    CaseAction.DENY,
    "Deny, with reasons",
    ReasonsIn,
    lambda u, n, b: services.deny(u, n, reasons=b.reasons, note=b.note),
)
_transition(
    CaseAction.DELIVER,
    "Record the delivery of the result",
    DeliverIn,
    lambda u, n, b: services.deliver(u, n, method=b.method, zone=_zone(b.zone), note=b.note),
)
_transition(CaseAction.CLOSE, "Close", NoteIn, lambda u, n, b: services.close(u, n, note=b.note))
_transition(
    CaseAction.WITHDRAW,
    "Withdraw (applicant, before a decision)",
    NoteIn,
    lambda u, n, b: services.withdraw(u, n, note=b.note),
)
