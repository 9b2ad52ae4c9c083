"""/api/v1/ratings: 好差评 (§7), the same services as pages (delivery: ``api_delivery``).

Authentication and errors as in ``cases.api``: the browser session (with CSRF) or a staff API
token; the API's one error shape (``core.errors.ApiError``) with 403, 404 (no such case,
follow-up or appeal you may handle), 409 (the state does not allow it), 422 (bad input).
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.security import SessionAuth

from tongban.accounts import services as accounts
from tongban.core import errors
from tongban.core.api_errors import map_exception
from tongban.core.api_input import IsoDate
from tongban.core.ids import DatabaseId

from . import services
from .api import ERRORS as CASE_ERRORS
from .api import StaffToken, _answer, _zone
from .rating_constants import ApplicantFeedback, FollowUpOutcome, FollowUpStatus

ratings_router = Router(tags=["ratings"], auth=[StaffToken(), SessionAuth()])
TEXT_MAX = 2000


ERRORS = CASE_ERRORS
map_exception(
    services.FollowUpNotFound, lambda error: errors.NotFound(_("There is no such item for you."))
)
map_exception(
    services.WrongState, lambda error: errors.Conflict(str(error.message), code="wrong_state")
)
_respond = _answer


# --- Ratings --------------------------------------------------------------------------------------


class RatingIn(Schema):
    case: str | None = Field(None, max_length=20, description="Case number (一事一评)")
    visit: DatabaseId | None = Field(None, description="Counter visit id (一次一评)")
    level: int = Field(ge=1, le=5, description="5 very satisfied … 1 very dissatisfied")
    scores: dict[str, int] = Field({}, description="attitude, speed, clarity, convenience: 1–5")
    comment: str = Field("", max_length=500)


class FollowUpOut(Schema):
    id: int
    status: str
    owner: int | None
    due: dt.date
    overdue: bool
    outcome: str
    outcome_note: str
    ledger_due: dt.date | None
    feedback: str

    @staticmethod
    def of(f) -> FollowUpOut:
        return FollowUpOut(
            id=f.pk,
            status=f.status,
            owner=f.owner_id,
            due=f.due,
            overdue=f.overdue,
            outcome=f.outcome,
            outcome_note=f.outcome_note,
            ledger_due=f.ledger_due,
            feedback=f.feedback,
        )


class RatingOut(Schema):
    id: int
    case: str | None
    visit: int | None
    level: int
    grade: str
    scores: dict[str, int]
    comment: str
    status: str
    submitted_at: dt.datetime
    follow_up: FollowUpOut | None

    @staticmethod
    def of(r) -> RatingOut:
        follow_up = getattr(r, "follow_up", None) if r.grade == "bad" else None
        return RatingOut(
            id=r.pk,
            case=r.case.number if r.case_id else None,
            visit=r.counter_visit_id,
            level=r.level,
            grade=r.grade,
            scores={s.dimension: s.score for s in r.scores.all()},
            comment=r.comment,
            status=r.status,
            submitted_at=r.submitted_at,
            follow_up=FollowUpOut.of(follow_up) if follow_up else None,
        )


class RatingPage(Schema):
    items: list[RatingOut]
    next: int | None


class FollowUpPage(Schema):
    items: list[FollowUpOut]
    next: int | None


class VisitIn(Schema):
    document_kind: str = Field(max_length=32, description="The visitor's identity document kind")
    document_number: str = Field(max_length=40, description="Its number, as shown at the counter")
    zone: str | None = Field(None, max_length=16)
    case: str = Field("", max_length=20)
    note: str = Field("", max_length=200)


class VisitOut(Schema):
    id: int
    zone: int
    person: int
    case: str | None
    visited_at: dt.datetime


class CallBackIn(Schema):
    reached: bool
    note: str = Field(max_length=TEXT_MAX)


class OutcomeIn(Schema):
    outcome: FollowUpOutcome
    note: str = Field(max_length=TEXT_MAX)
    ledger_reason: str = Field("", max_length=TEXT_MAX)
    ledger_due: IsoDate | None = None


class FeedbackIn(Schema):
    feedback: ApplicantFeedback
    note: str = Field("", max_length=TEXT_MAX)


class AppealIn(Schema):
    reason: str = Field(max_length=TEXT_MAX)


class DecisionIn(Schema):
    remove: bool
    note: str = Field(max_length=TEXT_MAX)


class AppealOut(Schema):
    id: int
    rating: int
    status: str
    reason: str
    decision_note: str


class SatisfactionOut(Schema):
    department: int | None
    total: int
    by_level: dict[int, int]
    good: int
    neutral: int
    bad: int
    rate: float | None


def _satisfaction_out(s) -> SatisfactionOut:
    return SatisfactionOut(
        department=s.department_id,
        total=s.total,
        by_level=s.by_level,
        good=s.good,
        neutral=s.neutral,
        bad=s.bad,
        rate=s.rate,
    )


def _appeal_out(a) -> AppealOut:
    return AppealOut(
        id=a.pk, rating=a.rating_id, status=a.status, reason=a.reason, decision_note=a.decision_note
    )


@ratings_router.post("", response={201: RatingOut, **ERRORS}, summary="Rate a case or a visit")
def rate(request: HttpRequest, body: RatingIn):
    return _respond(
        lambda: services.submit_rating(
            request.auth,
            case_number=body.case or "",
            visit_id=body.visit,
            level=body.level,
            scores=body.scores,
            comment=body.comment,
        ),
        RatingOut.of,
        201,
    )


@ratings_router.get("/bad", response={200: RatingPage, **ERRORS}, summary="Bad ratings (staff)")
def bad(request: HttpRequest, after: DatabaseId | None = None, limit: int = 50):
    return _respond(
        lambda: services.bad_ratings(request.auth, after=after, limit=limit),
        lambda result: RatingPage(items=[RatingOut.of(r) for r in result[0]], next=result[1]),
    )


@ratings_router.get(
    "/satisfaction", response={200: SatisfactionOut, **ERRORS}, summary="Satisfaction over a period"
)
def satisfaction(
    request: HttpRequest, start: IsoDate, end: IsoDate, department: DatabaseId | None = None
):
    return _respond(
        lambda: services.satisfaction(request.auth, start, end, department=department),
        _satisfaction_out,
    )


@ratings_router.get(
    "/satisfaction/departments",
    response={200: list[SatisfactionOut], **ERRORS},
    summary="Satisfaction per department over a period (supervisors)",
)
def satisfaction_by_department(request: HttpRequest, start: IsoDate, end: IsoDate):
    return _respond(
        lambda: services.satisfaction_by_department(request.auth, start, end),
        lambda rows: [_satisfaction_out(s) for s in rows],
    )


@ratings_router.get(
    "/cases/{number}", response={200: RatingOut | None, **ERRORS}, summary="A case's rating"
)
def case_rating(request: HttpRequest, number: str):
    return _respond(
        lambda: services.rating_of_case(request.auth, number),
        lambda r: RatingOut.of(r) if r else None,
    )


@ratings_router.post(
    "/visits", response={201: VisitOut, **ERRORS}, summary="Record a counter visit (clerks)"
)
def visit(request: HttpRequest, body: VisitIn):
    def call():
        # Found by the document the clerk checked, as at the counter screen (never by a
        # guessable id): PermissionDenied for anyone who may not look people up.
        person = accounts.find_person_by_document(
            request.auth, body.document_kind, body.document_number
        )
        if person is None:
            raise services.invalid(
                "document_number", _("No one is registered with this document."), "unknown_person"
            )
        return services.record_counter_visit(
            request.auth,
            person,
            zone=_zone(body.zone) if body.zone else None,
            case_number=body.case,
            note=body.note,
        )

    return _respond(
        call,
        lambda v: VisitOut(
            id=v.pk,
            zone=v.zone_id,
            person=v.person_id,
            case=v.case.number if v.case_id else None,
            visited_at=v.visited_at,
        ),
        201,
    )


@ratings_router.get(
    "/follow-ups", response={200: FollowUpPage, **ERRORS}, summary="Follow-ups (staff)"
)
def follow_ups(
    request: HttpRequest,
    status: FollowUpStatus | None = None,
    overdue: bool = False,
    after: DatabaseId | None = None,
    limit: int = 50,
):
    return _respond(
        lambda: services.follow_ups(
            request.auth, status=status, overdue=overdue, after=after, limit=limit
        ),
        lambda result: FollowUpPage(items=[FollowUpOut.of(f) for f in result[0]], next=result[1]),
    )


@ratings_router.post(
    "/follow-ups/{follow_up_id}/call-backs",
    response={201: FollowUpOut, **ERRORS},
    summary="Record a call-back",
)
def call_back(request: HttpRequest, follow_up_id: DatabaseId, body: CallBackIn):
    return _respond(
        lambda: (
            services.record_call_back(
                request.auth, follow_up_id, reached=body.reached, note=body.note
            ).follow_up
        ),
        FollowUpOut.of,
        201,
    )


@ratings_router.post(
    "/follow-ups/{follow_up_id}/outcome",
    response={200: FollowUpOut, **ERRORS},
    summary="Give the outcome",
)
def outcome(request: HttpRequest, follow_up_id: DatabaseId, body: OutcomeIn):
    return _respond(
        lambda: services.record_outcome(
            request.auth,
            follow_up_id,
            outcome=body.outcome,
            note=body.note,
            ledger_reason=body.ledger_reason,
            ledger_due=body.ledger_due,
        ),
        FollowUpOut.of,
    )


@ratings_router.post(
    "/follow-ups/{follow_up_id}/feedback",
    response={200: FollowUpOut, **ERRORS},
    summary="The rater's feedback on the outcome",
)
def feedback(request: HttpRequest, follow_up_id: DatabaseId, body: FeedbackIn):
    return _respond(
        lambda: services.give_feedback(
            request.auth, follow_up_id, feedback=body.feedback, note=body.note
        ),
        FollowUpOut.of,
    )


@ratings_router.get(
    "/appeals", response={200: list[AppealOut], **ERRORS}, summary="Appeals waiting (supervisors)"
)
def appeals(request: HttpRequest, after: DatabaseId | None = None, limit: int = 50):
    return _respond(
        lambda: services.pending_appeals(request.auth, after=after, limit=limit)[0],
        lambda rows: [_appeal_out(a) for a in rows],
    )


@ratings_router.post(
    "/appeals/{appeal_id}/decision",
    response={200: AppealOut, **ERRORS},
    summary="Decide an appeal (supervisors)",
)
def decide(request: HttpRequest, appeal_id: DatabaseId, body: DecisionIn):
    return _respond(
        lambda: services.decide_appeal(request.auth, appeal_id, remove=body.remove, note=body.note),
        _appeal_out,
    )


@ratings_router.post(
    "/{rating_id}/appeals", response={201: AppealOut, **ERRORS}, summary="Appeal (department)"
)
def appeal(request: HttpRequest, rating_id: DatabaseId, body: AppealIn):
    return _respond(
        lambda: services.file_appeal(request.auth, rating_id, reason=body.reason),
        _appeal_out,
        201,
    )
