"""Which clock is running for a case, and what every page says about it.

One function decides, so no page can contradict another (DOMAIN.md §3):

- before acceptance, the department's five-working-day acceptance clock (Art. 32), counted
  from the day the last papers arrived;
- waiting for supplements before acceptance, no department clock: the applicant owes papers;
- after acceptance, the promised and the statutory decision dates, overdue once passed;
- while waiting for supplements during review or in a special procedure, the decision clock
  paused, with the working days that were left when it stopped, frozen;
- after a decision, the decision date (and no promise); until the result is handed over,
  the department's ten-working-day delivery clock (Art. 44);
- refused, withdrawn or closed, the date it ended.

``clock_due`` is the date the queue sorts by: the due date of the clock that is running.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import ngettext

from tongban.core import workdays

from .constants import CaseStatus as S
from .constants import PauseReason
from .deadlines import due_soon_days

CALENDAR = "CN"
ACCEPTANCE_DAYS = 5  # Art. 32
DELIVERY_DAYS = 10  # Art. 44


class ClockKind:
    NOT_STARTED = "not_started"  # a draft: nothing runs until it is submitted
    ACCEPTANCE = "acceptance"  # the department must accept, refuse or ask for papers
    APPLICANT_OWES = "applicant_owes"  # papers asked for before acceptance
    DECISION = "decision"  # accepted: promised and statutory dates run
    PAUSED = "paused"  # the decision clock stands still
    DELIVERY = "delivery"  # decided; the result must be handed over
    ENDED = "ended"  # delivered, refused, closed or withdrawn


class Tone:
    """What a status badge means to the reader, coloured by meaning, not by state."""

    IN_PROGRESS = "progress"
    NEEDS_YOU = "needs-you"
    POSITIVE = "positive"
    NEGATIVE = "negative"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class RunningClock:
    kind: str
    tone: str
    due: dt.date | None = None  # the running clock's due date (the earlier one after acceptance)
    promised_due: dt.date | None = None
    statutory_due: dt.date | None = None
    days_left: int | None = None  # working days; negative once overdue; frozen when paused
    overdue: bool = False
    started_on: dt.date | None = None
    ended_on: dt.date | None = None  # decision, refusal, withdrawal or closing day
    decided_late: bool = False  # decided after the promised date

    @property
    def days_left_text(self) -> str:
        return left_text(self.days_left)

    @property
    def paused(self) -> bool:
        return self.kind == ClockKind.PAUSED

    @property
    def due_soon(self) -> bool:
        return (
            self.kind in (ClockKind.ACCEPTANCE, ClockKind.DECISION, ClockKind.DELIVERY)
            and self.days_left is not None
            and 0 <= self.days_left <= due_soon_days()
        )


def left_text(left: int | None) -> str:
    """"3 working days left" or "2 working days late", in the reader's language."""
    if left is None:
        return ""
    if left >= 0:
        return ngettext("%(count)d working day left", "%(count)d working days left", left) % {
            "count": left
        }
    return ngettext("%(count)d working day late", "%(count)d working days late", -left) % {
        "count": -left
    }


def _day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment else None


def _left(today: dt.date, due: dt.date | None) -> int | None:
    return workdays.working_days_between(today, due, CALENDAR) if due else None


def acceptance_due(case) -> dt.date | None:
    arrived = _day(case.materials_complete_at or case.submitted_at)
    return workdays.add_working_days(arrived, ACCEPTANCE_DAYS, CALENDAR) if arrived else None


def delivery_due(case) -> dt.date | None:
    decided = _day(case.decided_at)
    return workdays.add_working_days(decided, DELIVERY_DAYS, CALENDAR) if decided else None


def outcome_tone(case) -> str:
    outcome = case.outcome or case.status
    if outcome == S.WITHDRAWN:
        return Tone.WITHDRAWN
    if outcome in (S.DENIED, S.REFUSED):
        return Tone.NEGATIVE
    return Tone.POSITIVE


def _decision_dates(case) -> tuple[dt.date | None, dt.date | None]:
    dues = [day for day in (case.promised_due, case.statutory_due) if day]
    return (min(dues) if dues else None), case.promised_due


def running_clock(case, today: dt.date | None = None) -> RunningClock:
    """The clock a case's pages show today (the applicant's, the clerk's and the reviewer's)."""
    today = today or timezone.localdate()
    status = case.status
    dues = {"promised_due": case.promised_due, "statutory_due": case.statutory_due}
    if status == S.DRAFT:
        return RunningClock(ClockKind.NOT_STARTED, Tone.NEEDS_YOU)
    if status == S.SUBMITTED:
        due = acceptance_due(case)
        left = _left(today, due)
        return RunningClock(
            ClockKind.ACCEPTANCE,
            Tone.IN_PROGRESS,
            due=due,
            days_left=left,
            overdue=left is not None and left < 0,
            started_on=_day(case.materials_complete_at or case.submitted_at),
        )
    if status == S.SUPPLEMENT_REQUESTED and case.accepted_at is None:
        return RunningClock(ClockKind.APPLICANT_OWES, Tone.NEEDS_YOU)
    if status in (S.ACCEPTED, S.IN_REVIEW, S.SUPPLEMENT_REQUESTED, S.SPECIAL_PROCEDURE):
        due, _promised = _decision_dates(case)
        paused_on = case.paused_since
        if paused_on is not None or status in (S.SUPPLEMENT_REQUESTED, S.SPECIAL_PROCEDURE):
            frozen_at = paused_on or today
            left = _left(frozen_at, due)
            needs_you = status == S.SUPPLEMENT_REQUESTED or case.pause_reason == PauseReason.SUPPLEMENT
            return RunningClock(
                ClockKind.PAUSED,
                Tone.NEEDS_YOU if needs_you else Tone.IN_PROGRESS,
                due=due,
                days_left=left,
                overdue=left is not None and left < 0,
                started_on=_day(case.accepted_at),
                **dues,
            )
        left = _left(today, due)
        return RunningClock(
            ClockKind.DECISION,
            Tone.IN_PROGRESS,
            due=due,
            days_left=left,
            overdue=left is not None and left < 0,
            started_on=_day(case.accepted_at),
            **dues,
        )
    decided_on = _day(case.decided_at)
    late = bool(decided_on and case.promised_due and decided_on > case.promised_due)
    if status in (S.APPROVED, S.DENIED):
        due = delivery_due(case)
        left = _left(today, due)
        return RunningClock(
            ClockKind.DELIVERY,
            outcome_tone(case),
            due=due,
            days_left=left,
            overdue=left is not None and left < 0,
            ended_on=decided_on,
            decided_late=late,
        )
    ended = {
        S.WITHDRAWN: case.withdrawn_at,
        S.CLOSED: case.closed_at,
        S.DELIVERED: case.delivered_at,
    }.get(status, case.decided_at)
    return RunningClock(
        ClockKind.ENDED, outcome_tone(case), ended_on=_day(ended) or decided_on, decided_late=late
    )


def clock_due(case) -> dt.date | None:
    """The date the queue sorts by; None while no department clock runs."""
    clock = running_clock(case)
    if clock.kind in (ClockKind.ACCEPTANCE, ClockKind.DECISION, ClockKind.DELIVERY):
        return clock.due
    return None
