"""A case's clocks: starting them at acceptance, pausing, resuming, and stopping at a decision.

Dates come from ``deadlines``; the day is ``events.today()``. Resuming moves both due dates
forward by the working days the clock stood still — the only way besides the one extension a
due date ever moves.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone, translation

from tongban.core.text import to_hong_kong_traditional

from . import deadlines, events
from .constants import REMEDY_NOTICE, REMEDY_NOTICE_ZH
from .events import note_calendar_warnings
from .models import Case


def start_clock(case: Case, accepted_on: dt.date, actor) -> dict:
    dues = deadlines.due_dates(case.item, accepted_on)
    case.statutory_due, case.promised_due = dues.statutory, dues.promised
    case.deadline_flag = deadlines.flag_for(case.statutory_due, case.promised_due, events.today())
    note_calendar_warnings(case, dues.warnings, actor)
    return {"statutory_due": dues.statutory, "promised_due": dues.promised}


def pause(case: Case, reason: str) -> None:
    case.paused_since, case.pause_reason = events.today(), reason


def resume(case: Case, actor) -> dict:
    """Moves both due dates forward by the working days the clock stood still."""
    if case.paused_since is None:
        return {}
    paused = deadlines.paused_working_days(case.paused_since, events.today())
    warnings: tuple[str, ...] = ()
    for name in ("statutory_due", "promised_due"):
        moved = deadlines.shifted(getattr(case, name), paused)
        if moved is not None:
            setattr(case, name, moved.date)
            warnings += moved.warnings
    case.paused_days += paused
    case.paused_since, case.pause_reason = None, ""
    case.deadline_flag = deadlines.flag_for(case.statutory_due, case.promised_due, events.today())
    note_calendar_warnings(case, warnings, actor)
    return {
        "paused_days": paused,
        "statutory_due": case.statutory_due,
        "promised_due": case.promised_due,
    }


def decide(case: Case) -> None:
    case.decided_at = timezone.now()
    # The flag freezes with the decision: overdue stays on record if it came late.
    case.deadline_flag = deadlines.flag_for(case.statutory_due, case.promised_due, events.today())


def remedy_notice(case: Case) -> str:
    """The rights of appeal as the decision states them (Chinese), and beside it in the
    applicant's language with one wording: a traditional-Chinese reader gets the same sentence
    in traditional characters, not a second, differently worded translation."""
    language = case.applicant_person.preferred_language
    if language == "zh-hans":
        return REMEDY_NOTICE_ZH
    if language == "zh-hant":
        return f"{REMEDY_NOTICE_ZH}\n{to_hong_kong_traditional(REMEDY_NOTICE_ZH)}"
    with translation.override(language):
        translated = str(REMEDY_NOTICE)
    return f"{REMEDY_NOTICE_ZH}\n{translated}"
