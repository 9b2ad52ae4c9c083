"""Bad ratings followed up (实名差评回访); appeals against ratings are in ``rating_appeals``.

Follow-up life cycle (each step locks the row, checks the from-state, audits, notifies):

    open ──call-back (reached)──▶ called_back ──outcome──▶ resolved ──applicant feedback──▶ closed
      └─ call-back not reached: stays open (the attempt is kept)
    any pending state ──rating removed on appeal──▶ cancelled

The owner is the department's reviewer (else a supervisor); the deadline is
``TONGBAN_RATING_FOLLOWUP_DAYS`` (default 5) mainland working days after the rating. An outcome
needs a call-back that reached the applicant first (every named bad rating is called back):
fixed at once, a ledger entry with a reason and a deadline, or unfounded with an explanation;
it goes back to the rater, who says whether they are satisfied.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts import services as accounts
from tongban.accounts.constants import Role
from tongban.accounts.models import StaffAssignment
from tongban.accounts.permissions import Action, departments_of, require, roles_of
from tongban.core import audit, workdays
from tongban.notifications import services as notifications
from tongban.notifications.constants import Event

from .lifecycle import invalid
from .notifying import APPLICANT, STAFF, case_link
from .rating_constants import (
    FOLLOW_UP_PENDING,
    ApplicantFeedback,
    FollowUpOutcome,
    FollowUpStatus,
)
from .rating_models import NOTE_MAX, CallBack, Rating, RatingFollowUp

CALENDAR = "CN"
MAX_PAGE = 100


class FollowUpNotFound(LookupError):
    """No follow-up (or appeal) with this id that the user may handle."""


class WrongState(ValueError):
    """The follow-up or appeal is not in a state that allows this; ``message`` is translated."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def follow_up_days() -> int:
    return int(getattr(settings, "TONGBAN_RATING_FOLLOWUP_DAYS", 5))


def _actor(user) -> str:
    return audit.user_actor(user)


def _note(value: str, field_name: str, *, required: bool, message: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise invalid(field_name, message or _("This field is required."), "required")
    if len(text) > NOTE_MAX or "\x00" in text:
        raise invalid(
            field_name, _("Keep this under %(limit)d characters.") % {"limit": NOTE_MAX}, "too_long"
        )
    return text


def may_handle(user, rating: Rating) -> bool:
    """Supervisors handle every follow-up; reviewers those of their own department."""
    return Role.SUPERVISOR in roles_of(user) or (
        rating.department_id is not None and rating.department_id in departments_of(user)
    )


def _default_owner(rating: Rating):
    staff = StaffAssignment.objects.filter(user__is_active=True).select_related("user")
    reviewer = (
        staff.filter(role=Role.DEPARTMENT_REVIEWER, department_id=rating.department_id)
        .order_by("pk")
        .first()
        if rating.department_id
        else None
    )
    chosen = reviewer or staff.filter(role=Role.SUPERVISOR).order_by("pk").first()
    return chosen.user if chosen else None


def _context(follow_up: RatingFollowUp) -> dict:
    return {"follow_up": follow_up, "rating": follow_up.rating}


def _tell_owner(follow_up: RatingFollowUp, event: str, source: str) -> None:
    if follow_up.owner is None:
        return
    case = follow_up.rating.case
    notifications.notify(
        event,
        case,
        [follow_up.owner],
        context=_context(follow_up),
        link=case_link(case, STAFF) if case else "",
        source=source,
    )


def open_follow_up(rating: Rating) -> RatingFollowUp:
    """Called in the rating's transaction for a bad rating: owner, working-day deadline."""
    opened = timezone.now()
    due = workdays.add_working_days_checked(timezone.localdate(opened), follow_up_days(), CALENDAR)
    follow_up = RatingFollowUp.objects.create(
        rating=rating,
        owner=_default_owner(rating),
        opened_at=opened,
        due=due.date,
        calendar_warning="\n".join(due.warnings),
    )
    audit.record(
        "rating_followup_opened",
        actor="system",
        obj_type="rating_followup",
        obj_id=follow_up.pk,
        payload={"rating": rating.pk, "owner": follow_up.owner_id, "due": follow_up.due},
    )
    _tell_owner(follow_up, Event.RATING_FOLLOWUP_OPENED, f"rating_followup:{follow_up.pk}:opened")
    return follow_up


def _locked(user, follow_up_id) -> RatingFollowUp:
    follow_up = (
        RatingFollowUp.objects.select_for_update(of=("self",))
        .select_related("rating", "rating__case", "owner")
        .filter(pk=follow_up_id if str(follow_up_id).isdigit() else 0)
        .first()
    )
    if follow_up is None or not may_handle(user, follow_up.rating):
        raise FollowUpNotFound(follow_up_id)
    return follow_up


def assign_owner(user, follow_up_id, owner) -> RatingFollowUp:
    """A supervisor hands a follow-up to a reviewer of the department or another supervisor."""
    if Role.SUPERVISOR not in roles_of(user):
        raise PermissionDenied(_("You are not allowed to do this."))
    with transaction.atomic():
        follow_up = _locked(user, follow_up_id)
        if follow_up.status not in FOLLOW_UP_PENDING:
            raise WrongState(_("This follow-up is finished."))
        if owner is None or not may_handle(owner, follow_up.rating):
            raise invalid(
                "owner",
                _("Choose a supervisor or a reviewer of the rated department."),
                "owner_not_staff",
            )
        before, follow_up.owner = follow_up.owner_id, owner
        follow_up.save(update_fields=["owner"])
        audit.record(
            "rating_followup_reassigned",
            actor=_actor(user),
            obj_type="rating_followup",
            obj_id=follow_up.pk,
            payload={"from": before, "to": owner.pk},
        )
        _tell_owner(
            follow_up, Event.RATING_FOLLOWUP_OPENED, f"rating_followup:{follow_up.pk}:to:{owner.pk}"
        )
    return follow_up


def record_call_back(
    user, follow_up_id, *, reached: bool, note: str, called_at: dt.datetime | None = None
) -> CallBack:
    """回访: one call to the rater. Reached → the follow-up is called back; else it stays open."""
    with transaction.atomic():
        follow_up = _locked(user, follow_up_id)
        if follow_up.status not in FOLLOW_UP_PENDING:
            raise WrongState(_("This follow-up is finished; no more call-backs can be recorded."))
        now = timezone.now()
        when = called_at or now
        if when > now:
            raise invalid("called_at", _("A call-back cannot be in the future."), "future")
        text = _note(note, "note", required=True, message=_("Write down what was said."))
        call = CallBack.objects.create(
            follow_up=follow_up, called_at=when, called_by=user, reached=bool(reached), note=text
        )
        if reached:
            follow_up.status = FollowUpStatus.CALLED_BACK
            follow_up.save(update_fields=["status"])
        audit.record(
            "rating_callback_recorded",
            actor=_actor(user),
            obj_type="rating_followup",
            obj_id=follow_up.pk,
            payload={"call_back": call.pk, "reached": bool(reached), "status": follow_up.status},
        )
    return call


def record_outcome(
    user,
    follow_up_id,
    *,
    outcome: str,
    note: str = "",
    ledger_reason: str = "",
    ledger_due: dt.date | None = None,
) -> RatingFollowUp:
    """整改结果: fixed at once / ledger entry (reason, deadline) / unfounded (explanation)."""
    with transaction.atomic():
        follow_up = _locked(user, follow_up_id)
        if follow_up.status != FollowUpStatus.CALLED_BACK:
            raise WrongState(
                _("Call the applicant back before giving an outcome.")
                if follow_up.status == FollowUpStatus.OPEN
                else _("This follow-up already has an outcome.")
            )
        if outcome not in FollowUpOutcome.values:
            raise invalid("outcome", _("Choose an outcome."), "invalid_choice")
        messages = {
            FollowUpOutcome.FIXED: _("Say what was put right."),
            FollowUpOutcome.LEDGER: _("Say what will be done."),
            FollowUpOutcome.UNFOUNDED: _("Explain why the complaint is unfounded."),
        }
        follow_up.outcome_note = _note(note, "note", required=True, message=messages[outcome])
        follow_up.ledger_reason, follow_up.ledger_due = "", None
        if outcome == FollowUpOutcome.LEDGER:
            follow_up.ledger_reason = _note(
                ledger_reason,
                "ledger_reason",
                required=True,
                message=_("Give the reason it cannot be put right at once."),
            )
            if ledger_due is None or ledger_due < timezone.localdate():
                raise invalid(
                    "ledger_due", _("Give a deadline from today on."), "ledger_due_required"
                )
            follow_up.ledger_due = ledger_due
        follow_up.outcome, follow_up.status = outcome, FollowUpStatus.RESOLVED
        follow_up.outcome_by, follow_up.outcome_at = user, timezone.now()
        follow_up.save()
        audit.record(
            "rating_followup_resolved",
            actor=_actor(user),
            obj_type="rating_followup",
            obj_id=follow_up.pk,
            payload={"outcome": outcome, "ledger_due": follow_up.ledger_due},
        )
        rating = follow_up.rating
        notifications.notify(
            Event.RATING_FOLLOWUP_OUTCOME,
            rating.case,
            [rating.person],
            context=_context(follow_up),
            link=case_link(rating.case, APPLICANT) if rating.case else "",
            source=f"rating_followup:{follow_up.pk}:outcome",
        )
    return follow_up


def give_feedback(user, follow_up_id, *, feedback: str, note: str = "") -> RatingFollowUp:
    """The rater says whether the outcome satisfies them; the follow-up closes."""
    person = accounts.person_for(user)
    with transaction.atomic():
        follow_up = (
            RatingFollowUp.objects.select_for_update(of=("self",))
            .select_related("rating__case")
            .filter(pk=follow_up_id if str(follow_up_id).isdigit() else 0)
            .first()
        )
        if follow_up is None or person is None or follow_up.rating.person_id != person.pk:
            raise FollowUpNotFound(follow_up_id)
        if follow_up.rating.case is not None:  # a company's case: the rater still acts for it
            require(user, Action.CASE_RATE, follow_up.rating.case)
        if follow_up.status != FollowUpStatus.RESOLVED:
            raise WrongState(_("There is no outcome to respond to yet, or you already did."))
        if feedback not in ApplicantFeedback.values:
            raise invalid("feedback", _("Choose whether you are satisfied."), "invalid_choice")
        follow_up.feedback = feedback
        follow_up.feedback_note = _note(note, "note", required=False)
        follow_up.feedback_at = timezone.now()
        follow_up.status = FollowUpStatus.CLOSED
        follow_up.save()
        audit.record(
            "rating_feedback_given",
            actor=_actor(user),
            obj_type="rating_followup",
            obj_id=follow_up.pk,
            payload={"feedback": feedback},
        )
    return follow_up


def follow_ups(
    user,
    *,
    status: str | None = None,
    overdue: bool = False,
    after: int | None = None,
    limit: int = 50,
) -> tuple[list[RatingFollowUp], int | None]:
    """Follow-ups for staff (supervisors: all; reviewers: their departments'), newest first;
    ``overdue``: only those past their deadline without an outcome."""
    rows = RatingFollowUp.objects.select_related("rating", "rating__case", "owner")
    if Role.SUPERVISOR not in roles_of(user):
        mine = departments_of(user)
        if not mine:
            raise PermissionDenied(_("You are not allowed to do this."))
        rows = rows.filter(rating__department_id__in=mine)
    if status:
        if status not in FollowUpStatus.values:
            raise invalid("status", _("Choose a status."), "invalid_choice")
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(status__in=FOLLOW_UP_PENDING, due__lt=timezone.localdate())
    if after:
        rows = rows.filter(pk__lt=int(after))
    size = max(1, min(int(limit or 50), MAX_PAGE))
    page = list(rows.order_by("-pk")[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].pk if more else None)


def remind_due(today: dt.date | None = None) -> int:
    """Tells owners of follow-ups without an outcome due by the next working day (once a day)."""
    today = today or timezone.localdate()
    horizon = workdays.add_working_days(today, 1, CALENDAR)
    reminded = 0
    rows = (
        RatingFollowUp.objects.select_related("rating", "rating__case", "owner")
        .filter(status__in=FOLLOW_UP_PENDING, due__lte=horizon, owner__isnull=False)
        .exclude(reminded_on=today)
        .order_by("due", "pk")[:500]
    )
    for follow_up in rows:
        with transaction.atomic():
            updated = RatingFollowUp.objects.filter(pk=follow_up.pk).exclude(reminded_on=today)
            if not updated.update(reminded_on=today):
                continue  # another sweep reminded it meanwhile
            _tell_owner(
                follow_up,
                Event.RATING_FOLLOWUP_DUE,
                f"rating_followup:{follow_up.pk}:due:{today.isoformat()}",
            )
            reminded += 1
    return reminded
