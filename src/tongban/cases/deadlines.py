"""Due dates in mainland working days, pauses, the one extension and the deadline flags.

The rules (Administrative Licensing Law; DOMAIN.md §3):

- The statutory and promised limits run **from acceptance**; the day of acceptance does not
  count (``core.workdays`` convention). Working-day limits count mainland working days with
  make-up working days; calendar-day and month limits end on a date which, if it is not a
  working day, moves to the next working day; hour limits count eight working hours a day.
- The clock pauses during special procedures and while the applicant owes supplements during
  review; on resuming, every due date moves forward by the working days paused. Nothing else
  moves a due date except the one extension (10 working days; 15 for joint handling).
- Art. 32: a case not asked for supplements within 5 working days of the materials' arrival
  counts as accepted on the day they arrived (``deemed_acceptance_due``).
- Flags: ``overdue`` once a due date has passed, ``due_soon`` when at most
  ``TONGBAN_CASE_DUE_SOON_DAYS`` working days are left (the earlier of the two dates counts).

Functions here compute; ``services`` and ``sweep`` change rows.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import math
from dataclasses import dataclass

from django.conf import settings

from tongban.catalog.constants import HandlingType, LimitUnit
from tongban.core import workdays

from .constants import DeadlineFlag

CALENDAR = "CN"
ACCEPTANCE_WINDOW_DAYS = 5  # Art. 32
EXTENSION_DAYS = 10  # Art. 42
JOINT_EXTENSION_DAYS = 15  # Art. 42, joint handling (联办)
HOURS_PER_WORKING_DAY = 8


def due_soon_days() -> int:
    return int(getattr(settings, "TONGBAN_CASE_DUE_SOON_DAYS", 3))


def supplement_answer_days() -> int:
    """Working days an applicant is given to hand in supplements, unless the reviewer says."""
    return int(getattr(settings, "TONGBAN_CASE_SUPPLEMENT_DAYS", 15))


@dataclass(frozen=True)
class Dated:
    """A date and the calendar warnings met on the way to it (never dropped)."""

    date: dt.date
    warnings: tuple[str, ...] = ()


def _on_working_day(day: dt.date) -> Dated:
    return Dated(*_checked(day, 0))


def _checked(start: dt.date, n: int) -> tuple[dt.date, tuple[str, ...]]:
    result = workdays.add_working_days_checked(start, n, CALENDAR)
    return result.date, result.warnings


def _add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, month_calendar.monthrange(year, month)[1]))


def limit_due(start: dt.date, limit: int, unit: str) -> Dated:
    """The due date of a limit of ``limit`` ``unit`` running from ``start``."""
    if unit == LimitUnit.WORKING_DAYS:
        return Dated(*_checked(start, limit))
    if unit == LimitUnit.CALENDAR_DAYS:
        return _on_working_day(start + dt.timedelta(days=limit))
    if unit == LimitUnit.MONTHS:
        return _on_working_day(_add_months(start, limit))
    if unit == LimitUnit.HOURS:
        # Within a working day's hours: the same (working) day; beyond: whole working days.
        return Dated(*_checked(start, max(0, math.ceil(limit / HOURS_PER_WORKING_DAY) - 1)))
    raise ValueError(f"unknown limit unit {unit!r}")


@dataclass(frozen=True)
class DueDates:
    statutory: dt.date
    promised: dt.date
    warnings: tuple[str, ...]


def due_dates(item, accepted_on: dt.date) -> DueDates:
    """Both due dates of ``item`` for a case accepted on ``accepted_on``."""
    statutory = limit_due(accepted_on, item.statutory_limit, item.statutory_unit)
    promised = limit_due(accepted_on, item.promised_limit, item.promised_unit)
    # A promise is never later than the law allows.
    promised_date = min(promised.date, statutory.date)
    warnings = tuple(dict.fromkeys(statutory.warnings + promised.warnings))
    return DueDates(statutory.date, promised_date, warnings)


def shifted(day: dt.date | None, working_days: int) -> Dated | None:
    """``day`` moved forward by ``working_days`` (a pause or an extension); never backwards."""
    if day is None:
        return None
    if working_days <= 0:
        return Dated(day)
    return Dated(*_checked(day, working_days))


def paused_working_days(paused_since: dt.date, resumed_on: dt.date) -> int:
    """Working days the clock stood still: those after the pause began, up to resuming."""
    return max(0, workdays.working_days_between(paused_since, resumed_on, CALENDAR))


def extension_days(item) -> int:
    return JOINT_EXTENSION_DAYS if item.handling_type == HandlingType.JOINT else EXTENSION_DAYS


def deemed_acceptance_due(materials_arrived_on: dt.date, today: dt.date) -> bool:
    """True once 5 working days after the materials arrived have passed without a request."""
    return (
        workdays.working_days_between(materials_arrived_on, today, CALENDAR)
        > ACCEPTANCE_WINDOW_DAYS
    )


def soon_boundary(today: dt.date) -> dt.date:
    """The last due date that counts as due soon today."""
    return workdays.add_working_days(today, due_soon_days(), CALENDAR)


def flag_for(statutory_due: dt.date | None, promised_due: dt.date | None, today: dt.date) -> str:
    dues = [day for day in (statutory_due, promised_due) if day is not None]
    if not dues:
        return DeadlineFlag.ON_TIME
    first = min(dues)
    if first < today:
        return DeadlineFlag.OVERDUE
    if first <= soon_boundary(today):
        return DeadlineFlag.DUE_SOON
    return DeadlineFlag.ON_TIME
