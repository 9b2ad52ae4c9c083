"""Telling people about a case: the ``hooks.case_notifiers`` entry that calls notifications.

``tasks.notify_case_event`` runs after a transition commits and hands each timeline event to
``notify_case_event`` here, which picks the notification event and its audience — the
applicant for what happens to their case, the department's reviewers for deadlines and handed-in
supplements — and calls ``notifications.services.notify``. The source ``case_event:<id>`` makes
a second run of the task tell nobody twice.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from tongban.notifications import services as notifications
from tongban.notifications.constants import Event

from .constants import CaseAction, DeadlineFlag
from .models import Case, CaseEvent

APPLICANT, STAFF = "applicant", "staff"

EVENTS_BY_ACTION = {
    CaseAction.SUBMIT: (Event.CASE_SUBMITTED, APPLICANT),
    CaseAction.REQUEST_SUPPLEMENT: (Event.SUPPLEMENT_REQUESTED, APPLICANT),
    CaseAction.RESUBMIT: (Event.SUPPLEMENT_RECEIVED, STAFF),
    CaseAction.ACCEPT: (Event.CASE_ACCEPTED, APPLICANT),
    CaseAction.DEEMED_ACCEPTANCE: (Event.CASE_ACCEPTED, APPLICANT),
    CaseAction.ACCEPT_AND_DECIDE: (Event.CASE_APPROVED, APPLICANT),
    CaseAction.REFUSE: (Event.CASE_REFUSED, APPLICANT),
    CaseAction.APPROVE: (Event.CASE_APPROVED, APPLICANT),
    CaseAction.DENY: (Event.CASE_DENIED, APPLICANT),
    CaseAction.DELIVER: (Event.CASE_DELIVERED, APPLICANT),
}
EVENTS_BY_FLAG = {
    DeadlineFlag.DUE_SOON: (Event.DEADLINE_DUE_SOON, STAFF),
    DeadlineFlag.OVERDUE: (Event.DEADLINE_OVERDUE, STAFF),
}
# The pages the faces serve, by audience; a deployment without them gets messages without links.
PAGE_NAMES = {APPLICANT: "cases:case", STAFF: "cases:staff_case"}


def case_link(case: Case, audience: str) -> str:
    """The page a message links to. A person registered at a counter has no account to open
    their case page with: their messages link to the public status page (number filled in;
    the status code stays on their receipt, never in a message)."""
    try:
        if audience == APPLICANT and case.applicant_person.user_id is None:
            return f"{reverse('cases:public_status')}?{urlencode({'number': case.number})}"
        return reverse(PAGE_NAMES[audience], args=[case.number])
    except NoReverseMatch:
        return ""


def event_and_audience(event: CaseEvent) -> tuple[str, str] | None:
    if event.action == CaseAction.FLAG:
        return EVENTS_BY_FLAG.get((event.data or {}).get("flag"))
    return EVENTS_BY_ACTION.get(event.action)


def _context(case: Case, event: CaseEvent, name: str) -> dict:
    context: dict = {"due": (event.data or {}).get("due", "")}
    if name == Event.CASE_DELIVERED:
        # No row when staff delivered without one (the core's ``deliver`` alone).
        delivery = getattr(case, "result_delivery", None)
        context["method"] = case.get_delivery_method_display()
        context["tracking_number"] = getattr(delivery, "tracking_number", "")
    return context


def notify_case_event(event: CaseEvent) -> None:
    """The notifier registered in ``hooks.case_notifiers`` (see the module docstring)."""
    chosen = event_and_audience(event)
    if chosen is None:
        return
    name, audience = chosen
    case = (
        Case.objects.select_related("item", "department", "applicant_person__user")
        .filter(pk=event.case_id)
        .first()
    )
    if case is None:
        return
    if audience == APPLICANT:
        recipients = [case.applicant_person]
    else:
        recipients = notifications.department_reviewers(case.department_id)
    notifications.notify(
        name,
        case,
        recipients,
        context=_context(case, event, name),
        link=case_link(case, audience),
        source=f"case_event:{event.pk}",
    )


def register() -> None:
    """Called once from ``CasesConfig.ready``."""
    from .hooks import case_notifiers

    if "notifications" not in case_notifiers:
        case_notifiers.register("notifications", notify_case_event)
