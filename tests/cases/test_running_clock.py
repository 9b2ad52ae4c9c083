"""Which clock runs for a case in every state, and what it says (issue: dates that are true).

The table holds one row per state (two where a state has two meanings), on a fixed day:
Wednesday 18 November 2026, mainland calendar.
"""

import datetime as dt

import pytest
from django.utils import timezone

from tongban.cases.constants import CaseStatus as S
from tongban.cases.constants import PauseReason
from tongban.cases.models import Case
from tongban.cases.running_clock import ClockKind, Tone, clock_due, left_text, running_clock

TODAY = dt.date(2026, 11, 18)
D = dt.date


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def case(status, **fields) -> Case:
    return Case(status=status, **fields)


SUBMITTED = {"submitted_at": at(D(2026, 11, 16)), "materials_complete_at": at(D(2026, 11, 16))}
ACCEPTED = {
    **SUBMITTED,
    "accepted_at": at(D(2026, 11, 16)),
    "promised_due": D(2026, 11, 20),
    "statutory_due": D(2026, 12, 14),
}

# status, extra fields, expected kind, tone, due, days left, overdue
TABLE = [
    (S.DRAFT, {}, ClockKind.NOT_STARTED, Tone.NEEDS_YOU, None, None, False),
    # Arrived Monday 16th: five working days → Monday 23rd; 19, 20, 23 are left.
    (S.SUBMITTED, SUBMITTED, ClockKind.ACCEPTANCE, Tone.IN_PROGRESS, D(2026, 11, 23), 3, False),
    (
        S.SUBMITTED,
        {"submitted_at": at(D(2026, 11, 2)), "materials_complete_at": at(D(2026, 11, 2))},
        ClockKind.ACCEPTANCE,
        Tone.IN_PROGRESS,
        D(2026, 11, 9),
        -7,
        True,
    ),
    (
        S.SUPPLEMENT_REQUESTED,
        SUBMITTED,
        ClockKind.APPLICANT_OWES,
        Tone.NEEDS_YOU,
        None,
        None,
        False,
    ),
    (S.ACCEPTED, ACCEPTED, ClockKind.DECISION, Tone.IN_PROGRESS, D(2026, 11, 20), 2, False),
    (
        S.IN_REVIEW,
        {**ACCEPTED, "promised_due": D(2026, 11, 10)},
        ClockKind.DECISION,
        Tone.IN_PROGRESS,
        D(2026, 11, 10),
        -6,
        True,
    ),
    # Paused on Thursday 12th with 13, 16, 17, 18, 19, 20 left: frozen at 6 whatever today is.
    (
        S.SPECIAL_PROCEDURE,
        {
            **ACCEPTED,
            "paused_since": D(2026, 11, 12),
            "pause_reason": PauseReason.SPECIAL_PROCEDURE,
        },
        ClockKind.PAUSED,
        Tone.IN_PROGRESS,
        D(2026, 11, 20),
        6,
        False,
    ),
    (
        S.SUPPLEMENT_REQUESTED,
        {**ACCEPTED, "paused_since": D(2026, 11, 12), "pause_reason": PauseReason.SUPPLEMENT},
        ClockKind.PAUSED,
        Tone.NEEDS_YOU,
        D(2026, 11, 20),
        6,
        False,
    ),
    # Decided on the 18th: the result is owed within ten working days → 2 December.
    (
        S.APPROVED,
        {**ACCEPTED, "decided_at": at(TODAY)},
        ClockKind.DELIVERY,
        Tone.POSITIVE,
        D(2026, 12, 2),
        10,
        False,
    ),
    (
        S.DENIED,
        {**ACCEPTED, "decided_at": at(D(2026, 11, 2)), "promised_due": D(2026, 11, 20)},
        ClockKind.DELIVERY,
        Tone.NEGATIVE,
        D(2026, 11, 16),
        -2,
        True,
    ),
    (
        S.REFUSED,
        {**SUBMITTED, "decided_at": at(D(2026, 11, 17))},
        ClockKind.ENDED,
        Tone.NEGATIVE,
        None,
        None,
        False,
    ),
    (
        S.DELIVERED,
        {
            **ACCEPTED,
            "decided_at": at(D(2026, 11, 17)),
            "delivered_at": at(TODAY),
            "outcome": S.APPROVED,
        },
        ClockKind.ENDED,
        Tone.POSITIVE,
        None,
        None,
        False,
    ),
    (
        S.CLOSED,
        {
            **SUBMITTED,
            "decided_at": at(D(2026, 11, 17)),
            "closed_at": at(TODAY),
            "outcome": S.REFUSED,
        },
        ClockKind.ENDED,
        Tone.NEGATIVE,
        None,
        None,
        False,
    ),
    (
        S.CLOSED,
        {
            **ACCEPTED,
            "decided_at": at(D(2026, 11, 17)),
            "closed_at": at(TODAY),
            "outcome": S.DENIED,
        },
        ClockKind.ENDED,
        Tone.NEGATIVE,
        None,
        None,
        False,
    ),
    (
        S.WITHDRAWN,
        {**ACCEPTED, "withdrawn_at": at(D(2026, 11, 17))},
        ClockKind.ENDED,
        Tone.WITHDRAWN,
        None,
        None,
        False,
    ),
]


def test_the_table_covers_every_state():
    assert {row[0] for row in TABLE} == set(S.values)


@pytest.mark.parametrize(("status", "fields", "kind", "tone", "due", "left", "overdue"), TABLE)
def test_the_running_clock(status, fields, kind, tone, due, left, overdue):
    clock = running_clock(case(status, **fields), today=TODAY)
    assert (clock.kind, clock.tone, clock.due, clock.days_left, clock.overdue) == (
        kind,
        tone,
        due,
        left,
        overdue,
    )
    # Never a promise after a decision, never "due soon" on a paused or ended clock.
    if kind in (ClockKind.DELIVERY, ClockKind.ENDED):
        assert clock.promised_due is None
    if kind in (ClockKind.PAUSED, ClockKind.ENDED, ClockKind.NOT_STARTED):
        assert not clock.due_soon


def test_a_paused_clock_stays_frozen_as_days_pass():
    paused = case(
        S.SPECIAL_PROCEDURE,
        **ACCEPTED,
        paused_since=D(2026, 11, 12),
        pause_reason=PauseReason.SPECIAL_PROCEDURE,
    )
    later = [running_clock(paused, today=D(2026, 11, day)) for day in (18, 19, 20, 23, 30)]
    assert {(c.days_left, c.overdue, c.due_soon) for c in later} == {(6, False, False)}


def test_ended_states_remember_the_day_they_ended():
    refused = running_clock(
        case(S.REFUSED, **SUBMITTED, decided_at=at(D(2026, 11, 17))), today=TODAY
    )
    withdrawn = running_clock(case(S.WITHDRAWN, withdrawn_at=at(D(2026, 11, 17))), today=TODAY)
    assert refused.ended_on == withdrawn.ended_on == D(2026, 11, 17)


def test_decided_after_the_promise_is_marked_late():
    late = case(S.DENIED, **{**ACCEPTED, "decided_at": at(D(2026, 11, 25))})
    on_time = case(S.APPROVED, **{**ACCEPTED, "decided_at": at(D(2026, 11, 19))})
    assert running_clock(late, today=TODAY).decided_late
    assert not running_clock(on_time, today=TODAY).decided_late


def test_the_queue_sorts_by_the_clock_that_runs():
    assert clock_due(case(S.SUBMITTED, **SUBMITTED)) == D(2026, 11, 23)
    assert clock_due(case(S.ACCEPTED, **ACCEPTED)) == D(2026, 11, 20)
    paused = {**ACCEPTED, "paused_since": D(2026, 11, 12), "pause_reason": PauseReason.SUPPLEMENT}
    assert clock_due(case(S.SUPPLEMENT_REQUESTED, **paused)) is None
    assert clock_due(case(S.DRAFT)) is None


def test_days_left_and_late_read_as_words():
    assert left_text(1) == "1 working day left"
    assert left_text(0) == "0 working days left"
    assert left_text(-3) == "3 working days late"
    assert left_text(None) == ""
