"""Every transition of a case, through one guarded path (re-exported by ``services``).

``_apply`` locks the row, checks that the viewer may see it (else ``CaseNotFound``: numbers are
guessable), asks ``accounts.permissions`` (``PermissionDenied``), checks the from-state in
``transitions.TABLE`` (``IllegalTransition``), lets the transition change the row, then writes
the timeline event and the audit event in the same transaction and queues notifications and
letters for after the commit. Any error rolls all of it back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.permissions import require
from tongban.catalog.constants import HandlingType

from . import clocks, deadlines, events
from .constants import (
    CaseAction,
    CaseStatus,
    DeliveryMethod,
    LetterKind,
    PauseReason,
    SpecialProcedure,
)
from .events import (  # noqa: F401  (re-exported for the rest of the app)
    MAX_TEXT,
    CaseNotFound,
    _text,
    actor_label,
    invalid,
    locked_case,
    note_calendar_warnings,
    record_event,
)
from .models import Case, SupplementRequest
from .transitions import IllegalTransition, transition_for


class AlreadyExtended(IllegalTransition):
    def __init__(self, status: str):
        super().__init__(CaseAction.EXTEND, status)
        self.message = _("The time limit of this case has already been extended once.")
        self.args = (self.message,)


@dataclass
class Outcome:
    """What a transition's body decided beyond the table: notes, letters, a different target."""

    target: str | None = None
    note: str = ""
    reasons: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    letters: list[str] = field(default_factory=list)


def schedule_letters(case: Case, letters: list[str]) -> None:
    from .tasks import issue_case_letter

    for kind in letters:
        transaction.on_commit(lambda kind=kind: issue_case_letter.enqueue(case.pk, kind))


def _apply(actor, number: str, action: str, body: Callable[[Case], Outcome]) -> Case:
    with transaction.atomic():
        case = locked_case(actor, number)
        transition = transition_for(action, case.status) if actor is None else None
        if actor is not None:
            from .transitions import TABLE

            if action not in TABLE:
                raise PermissionDenied(_("You are not allowed to do this."))
            require(actor, TABLE[action].permission, case)
            transition = transition_for(action, case.status)
        before = case.status
        outcome = body(case)
        case.status = outcome.target or transition.target or before
        case.save()
        record_event(
            case,
            action,
            actor,
            from_status=before,
            to_status=case.status,
            note=outcome.note,
            reasons=outcome.reasons,
            data=outcome.data,
            audit_verb=transition.audit_verb,
        )
        schedule_letters(case, outcome.letters)
    return case


# --- The transitions ----------------------------------------------------------------------------


def request_supplement(
    actor,
    number: str,
    *,
    missing_requirements: list[int] = (),
    missing_other: list[str] = (),
    note: str = "",
    answer_within_days: int | None = None,
) -> Case:
    """补正: everything missing, at once (Art. 32). During review the clock pauses."""

    def body(case: Case) -> Outcome:
        known = set(case.item.materials.values_list("pk", flat=True))
        wanted = sorted({int(pk) for pk in missing_requirements})
        if any(pk not in known for pk in wanted):
            raise invalid(
                "missing_requirements",
                _("Choose materials of this service."),
                "unknown_requirement",
            )
        others = [_text(o, "missing_other", required=True) for o in missing_other]
        if not wanted and not others:
            raise invalid(
                "missing_requirements",
                _("Name everything that is missing, all at once."),
                "nothing_missing",
            )
        days = answer_within_days or deadlines.supplement_answer_days()
        if not 1 <= days <= 60:
            raise invalid(
                "answer_within_days", _("Give between 1 and 60 working days."), "out_of_range"
            )
        round_number = case.supplement_requests.count() + 1
        due = deadlines.shifted(events.today(), days)
        request = SupplementRequest.objects.create(
            case=case,
            round=round_number,
            missing_requirements=wanted,
            missing_other=others,
            note=_text(note, "note", required=False),
            requested_by=actor,
            requested_at=timezone.now(),
            due=due.date,
        )
        if case.status == CaseStatus.IN_REVIEW:
            clocks.pause(case, PauseReason.SUPPLEMENT)
        return Outcome(
            note=request.note,
            data={"round": round_number, "requirements": wanted, "other": others, "due": due.date},
            letters=[LetterKind.SUPPLEMENT],
        )

    return _apply(actor, number, CaseAction.REQUEST_SUPPLEMENT, body)


def resubmit(actor, number: str, *, note: str = "") -> Case:
    """The applicant hands in what was asked for; back to the desk, or back to review."""

    def body(case: Case) -> Outcome:
        request = (
            case.supplement_requests.filter(answered_at__isnull=True).order_by("-round").first()
        )
        if request is not None:
            delivered = set(
                case.attachments.filter(supplement_round=request.round).values_list(
                    "requirement_id", flat=True
                )
            )
            still_missing = [pk for pk in request.missing_requirements if pk not in delivered]
            if still_missing:
                names = case.item.materials.filter(pk__in=still_missing).order_by("position")
                raise invalid(
                    "attachments",
                    _("Still missing: %(names)s.") % {"names": "; ".join(m.name for m in names)},
                    "supplement_incomplete",
                )
            request.answered_at = timezone.now()
            request.save(update_fields=["answered_at"])
        data = {"round": request.round if request else None}
        if request is not None:
            data["files"] = events.handed_in(case, request.round)
        if case.accepted_at is not None:
            data.update(clocks.resume(case, actor))
            return Outcome(
                target=CaseStatus.IN_REVIEW, note=_text(note, "note", required=False), data=data
            )
        case.materials_complete_at = timezone.now()
        return Outcome(note=_text(note, "note", required=False), data=data)

    return _apply(actor, number, CaseAction.RESUBMIT, body)


def accept(actor, number: str, *, note: str = "") -> Case:
    """受理: the clocks start (the day of acceptance does not count)."""

    def body(case: Case) -> Outcome:
        case.accepted_at = timezone.now()
        data = clocks.start_clock(case, events.today(), actor)
        return Outcome(
            note=_text(note, "note", required=False), data=data, letters=[LetterKind.ACCEPTANCE]
        )

    return _apply(actor, number, CaseAction.ACCEPT, body)


def accept_and_decide(actor, number: str, *, note: str = "") -> Case:
    """即办件: accepted and approved at once."""

    def body(case: Case) -> Outcome:
        if case.item.handling_type != HandlingType.ON_THE_SPOT:
            raise invalid(
                "action",
                _("Only a service decided on the spot can be accepted and decided at once."),
                "not_on_the_spot",
            )
        case.accepted_at = timezone.now()
        data = clocks.start_clock(case, events.today(), actor)
        clocks.decide(case)
        return Outcome(
            note=_text(note, "note", required=False),
            data=data,
            letters=[LetterKind.ACCEPTANCE, LetterKind.APPROVAL],
        )

    return _apply(actor, number, CaseAction.ACCEPT_AND_DECIDE, body)


def refuse(actor, number: str, *, reasons: str, note: str = "") -> Case:
    """不予受理, with reasons and the rights of appeal."""

    def body(case: Case) -> Outcome:
        case.decision_reasons = _text(
            reasons, "reasons", required=True, message=_("Give the reasons for not accepting.")
        )
        case.remedy_notice = clocks.remedy_notice(case)
        case.decided_at = timezone.now()
        return Outcome(
            reasons=case.decision_reasons,
            note=_text(note, "note", required=False),
            letters=[LetterKind.REFUSAL],
        )

    return _apply(actor, number, CaseAction.REFUSE, body)


def start_review(actor, number: str, *, note: str = "") -> Case:
    return _apply(
        actor,
        number,
        CaseAction.START_REVIEW,
        lambda case: Outcome(note=_text(note, "note", required=False)),
    )


def begin_special_procedure(actor, number: str, *, procedure: str, note: str = "") -> Case:
    """Hearing, testing, expert review: the time they take does not count (clock paused)."""

    def body(case: Case) -> Outcome:
        if procedure not in SpecialProcedure.values:
            raise invalid("procedure", _("Choose the kind of procedure."), "invalid_choice")
        case.special_procedure = procedure
        clocks.pause(case, PauseReason.SPECIAL_PROCEDURE)
        return Outcome(note=_text(note, "note", required=False), data={"procedure": procedure})

    return _apply(actor, number, CaseAction.BEGIN_SPECIAL_PROCEDURE, body)


def end_special_procedure(actor, number: str, *, note: str = "") -> Case:
    def body(case: Case) -> Outcome:
        data = {"procedure": case.special_procedure, **clocks.resume(case, actor)}
        case.special_procedure = ""
        return Outcome(note=_text(note, "note", required=False), data=data)

    return _apply(actor, number, CaseAction.END_SPECIAL_PROCEDURE, body)


def extend(actor, number: str, *, reason: str) -> Case:
    """Art. 42: once, by 10 working days (15 for joint handling), with a reason."""

    def body(case: Case) -> Outcome:
        if case.extended:
            raise AlreadyExtended(case.status)
        text = _text(
            reason, "reason", required=True, message=_("Give the reason for the extension.")
        )
        if case.statutory_due is not None and events.today() > case.statutory_due:
            raise invalid(
                "reason",
                _("The time limit has already run out; it can no longer be extended."),
                "too_late",
            )
        days = deadlines.extension_days(case.item)
        moved = deadlines.shifted(case.statutory_due, days)
        before = case.statutory_due
        case.statutory_due = moved.date
        case.extended, case.extension_reason = True, text
        case.deadline_flag = deadlines.flag_for(
            case.statutory_due, case.promised_due, events.today()
        )
        note_calendar_warnings(case, moved.warnings, actor)
        return Outcome(
            reasons=text,
            data={"days": days, "statutory_due_before": before, "statutory_due": moved.date},
        )

    return _apply(actor, number, CaseAction.EXTEND, body)


def approve(actor, number: str, *, note: str = "") -> Case:
    def body(case: Case) -> Outcome:
        clocks.decide(case)
        return Outcome(note=_text(note, "note", required=False), letters=[LetterKind.APPROVAL])

    return _apply(actor, number, CaseAction.APPROVE, body)


def deny(actor, number: str, *, reasons: str, note: str = "") -> Case:
    """不予许可: reasons, and the right to reconsideration and litigation, stated and stored."""

    def body(case: Case) -> Outcome:
        case.decision_reasons = _text(
            reasons, "reasons", required=True, message=_("Give the reasons for the denial.")
        )
        case.remedy_notice = clocks.remedy_notice(case)
        clocks.decide(case)
        return Outcome(
            reasons=case.decision_reasons,
            note=_text(note, "note", required=False),
            letters=[LetterKind.DENIAL],
        )

    return _apply(actor, number, CaseAction.DENY, body)


def deliver(actor, number: str, *, method: str, zone=None, note: str = "") -> Case:
    """送达: counter pickup at a zone, EMS post, or download of the electronic result."""

    def body(case: Case) -> Outcome:
        if method not in DeliveryMethod.values:
            raise invalid("method", _("Choose how the result was delivered."), "invalid_choice")
        if method == DeliveryMethod.COUNTER and zone is None:
            raise invalid("zone", _("Choose the zone where it was collected."), "zone_required")
        case.delivery_method = method
        case.delivery_zone = zone if method == DeliveryMethod.COUNTER else None
        case.delivered_at = timezone.now()
        return Outcome(
            note=_text(note, "note", required=False),
            data={
                "method": method,
                "zone": case.delivery_zone.code if case.delivery_zone else None,
            },
        )

    return _apply(actor, number, CaseAction.DELIVER, body)


def close(actor, number: str, *, note: str = "") -> Case:
    def body(case: Case) -> Outcome:
        case.closed_at = timezone.now()
        return Outcome(note=_text(note, "note", required=False))

    return _apply(actor, number, CaseAction.CLOSE, body)


def withdraw(actor, number: str, *, note: str = "") -> Case:
    """The applicant withdraws before a decision; a paused clock is settled first."""

    def body(case: Case) -> Outcome:
        data = clocks.resume(case, actor)
        case.special_procedure = ""
        case.withdrawn_at = timezone.now()
        return Outcome(note=_text(note, "note", required=False), data=data)

    return _apply(actor, number, CaseAction.WITHDRAW, body)


def deem_accepted(number: str) -> Case | None:
    """Art. 32, run by the sweep: accepted on the day the materials arrived."""

    def body(case: Case) -> Outcome:
        arrived = case.materials_complete_at or case.submitted_at
        case.accepted_at = arrived
        case.deemed_accepted = True
        data = clocks.start_clock(case, timezone.localdate(arrived), None)
        return Outcome(data=data, letters=[LetterKind.ACCEPTANCE])

    try:
        return _apply(None, number, CaseAction.DEEMED_ACCEPTANCE, body)
    except IllegalTransition:  # accepted or asked for supplements meanwhile
        return None
