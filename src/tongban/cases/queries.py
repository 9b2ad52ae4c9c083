"""Reading cases: one case with its timeline, and the lists, all keyset-paginated.

No list counts rows: each page asks for one row more than it shows to know whether another
page follows. The reviewer's queue is ordered by statutory due date with the not-yet-accepted
(undated) cases last, matching the ``case_queue`` / ``case_queue_open`` indexes; "my cases" is
newest first on ``case_mine``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils.translation import gettext as _

from tongban.accounts import services as accounts
from tongban.accounts.permissions import (
    Action,
    can,
    can_as_applicant,
    companies_for,
    departments_of,
    refusal_message,
    require,
    zones_of,
)

from .constants import QUEUE_STATUSES, CaseAction, CaseStatus, DeadlineFlag
from .events import CaseNotFound, invalid
from .models import Attachment, Case, CaseEvent, SupplementRequest
from .transitions import TABLE, allowed_actions

MAX_PAGE = 100
OPEN_STATUSES = (
    CaseStatus.ACCEPTED,
    CaseStatus.IN_REVIEW,
    CaseStatus.SPECIAL_PROCEDURE,
    CaseStatus.SUPPLEMENT_REQUESTED,
)


@dataclass(frozen=True)
class CaseDetail:
    case: Case
    events: list[CaseEvent]
    attachments: list[Attachment]
    supplement_requests: list[SupplementRequest]
    actions: list[str]  # what this viewer may do now


def viewer_actions(user, case: Case) -> list[str]:
    return [
        action
        for action in allowed_actions(case.status)
        if can(user, TABLE[action].permission, case)
        and (action != CaseAction.EXTEND or not case.extended)
        and (action != CaseAction.ACCEPT_AND_DECIDE or case.item.handling_type == "on_the_spot")
    ]


def applicant_may(user, case: Case, action: Action = Action.CASE_VIEW) -> bool:
    """Whether ``user`` may do ``action`` on ``case`` as its applicant: their own case, or a
    company's case within the scopes of their authorisation (the applicant's pages)."""
    return can_as_applicant(user, action, case)


def applicant_refusal(user, case: Case, action: Action) -> str:
    """The policy's reason, or "" when ``user`` may do ``action`` on ``case`` as its applicant."""
    return "" if can_as_applicant(user, action, case) else refusal_message(user, case)


def case_detail(user, number: str) -> CaseDetail:
    case = (
        Case.objects.select_related("item", "department", "applicant_person", "received_at_zone")
        .filter(number=number)
        .first()
    )
    if case is None or not can(user, Action.CASE_VIEW, case):
        raise CaseNotFound(number)
    return CaseDetail(
        case=case,
        events=list(case.events.select_related("actor").order_by("id")[:500]),
        attachments=list(case.attachments.order_by("id")),
        supplement_requests=list(case.supplement_requests.order_by("round")),
        actions=viewer_actions(user, case),
    )


def _page_size(limit: int) -> int:
    return max(1, min(int(limit or 20), MAX_PAGE))


def _queue_cursor(case: Case, field: str) -> str:
    due = getattr(case, field)
    return f"{due.isoformat() if due else 'none'}_{case.pk}"


def _parse_queue_cursor(cursor: str) -> tuple[dt.date | None, int]:
    try:
        due_text, id_text = cursor.rsplit("_", 1)
        return (None if due_text == "none" else dt.date.fromisoformat(due_text)), int(id_text)
    except ValueError as error:
        raise invalid(
            "after", _("This page link is damaged; start again."), "bad_cursor"
        ) from error


def _by_due_date(
    cases, after: str | None, size: int, field: str = "statutory_due"
) -> tuple[list[Case], str | None]:
    """One keyset page in (``field``, id) order, undated cases last.

    Two index range scans instead of one query with an OR: the dated rows after the cursor by
    a row comparison ``(field, id) > (d, n)``, then, if the page is not full, the undated rows
    by id. Neither ever reads the rows of earlier pages.
    """
    if field not in ("statutory_due", "clock_due"):
        raise ValueError(field)
    due, last_id = _parse_queue_cursor(after) if after else (dt.date.min, 0)
    page: list[Case] = []
    if due is not None:
        dated = cases.filter(**{f"{field}__isnull": False})
        if after:
            dated = dated.extra(  # noqa: S610  (a field name from the two above; values as parameters)
                where=[f'("cases_case"."{field}", "cases_case"."id") > (%s, %s)'],
                params=[due, last_id],
            )
        page = list(dated.order_by(field, "pk")[: size + 1])
        last_id = 0
    if len(page) <= size:
        undated = cases.filter(**{f"{field}__isnull": True}, pk__gt=last_id).order_by("pk")
        page += list(undated[: size + 1 - len(page)])
    more = len(page) > size
    page = page[:size]
    return page, (_queue_cursor(page[-1], field) if more else None)


def reviewer_queue(
    user,
    *,
    status: str | None = None,
    due_before: dt.date | None = None,
    after: str | None = None,
    limit: int = 50,
) -> tuple[list[Case], str | None]:
    """The department's cases by their running clock's due date (acceptance, decision or
    delivery; paused and ended clocks last); keyset pages."""
    require(user, Action.CASE_REVIEW)
    cases = Case.objects.select_related("item", "applicant_person")
    if not can(user, Action.CASE_SUPERVISE):
        cases = cases.filter(department_id__in=departments_of(user))
    if status:
        if status not in CaseStatus.values:
            raise invalid("status", _("Choose a status."), "invalid_choice")
        cases = cases.filter(status=status)
    else:
        cases = cases.filter(status__in=QUEUE_STATUSES)
    if due_before:
        cases = cases.filter(clock_due__lt=due_before)
    return _by_due_date(cases, after, _page_size(limit), "clock_due")


def _mine(user, person) -> Q:
    """A person's own cases and those of the companies they may follow cases for."""
    mine = Q(applicant_person=person, applicant_company__isnull=True)
    companies = companies_for(user, Action.CASE_VIEW)
    if companies:
        mine |= Q(applicant_company_id__in=companies)
    return mine


def my_cases(user, *, after: int | None = None, limit: int = 20) -> tuple[list[Case], int | None]:
    """The signed-in person's own cases and those of the companies they may follow cases for
    (``permissions.COMPANY_SCOPES``), newest first; ``after`` is the last id seen."""
    person = accounts.person_for(user)
    if person is None:
        return [], None
    cases = Case.objects.select_related("item", "applicant_company").filter(_mine(user, person))
    if after:
        cases = cases.filter(pk__lt=int(after))
    size = _page_size(limit)
    page = list(cases.order_by("-pk")[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].pk if more else None)


# What an applicant still waits for; refused, delivered, closed and withdrawn cases are over.
STILL_OPEN_FOR_APPLICANT = frozenset(CaseStatus.values) - {
    CaseStatus.REFUSED,
    CaseStatus.DELIVERED,
    CaseStatus.CLOSED,
    CaseStatus.WITHDRAWN,
}


def open_cases(user, *, limit: int = 10) -> list[Case]:
    """The signed-in person's cases still under way, most urgent running clock first."""
    person = accounts.person_for(user)
    if person is None:
        return []
    cases = Case.objects.select_related("item", "department", "applicant_company").filter(
        _mine(user, person), status__in=STILL_OPEN_FOR_APPLICANT
    )
    return list(cases.order_by(F("clock_due").asc(nulls_last=True), "-pk")[: _page_size(limit)])


def open_cases_at_counter(user, person, *, limit: int = 10) -> list[Case]:
    """A found applicant's cases still under way, for the clerk holding their document (the
    counter look-up proved it) — so the clerk sees what is open before starting another."""
    if not zones_of(user):
        return []
    cases = Case.objects.select_related("item").filter(
        applicant_person=person, status__in=STILL_OPEN_FOR_APPLICANT
    )
    return list(cases.order_by("-pk")[: _page_size(limit)])


def overdue_cases(
    user, *, after: str | None = None, limit: int = 50
) -> tuple[list[Case], str | None]:
    """For supervisors: open cases flagged overdue, most overdue first."""
    require(user, Action.CASE_SUPERVISE)
    cases = Case.objects.select_related("item", "department").filter(
        status__in=OPEN_STATUSES, deadline_flag=DeadlineFlag.OVERDUE
    )
    return _by_due_date(cases, after, _page_size(limit))
