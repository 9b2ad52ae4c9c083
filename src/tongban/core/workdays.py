"""Working-day arithmetic for statutory and promised time limits.

Calendars:

- ``CN``: the mainland calendar the Administrative Licensing Law counts in — statutory holidays
  and the State Council's 调休 schedule, including make-up working days that fall on weekends.
- ``HK``, ``MO``: the days the zones in Hong Kong and Macau are open — Monday to Friday except
  their public holidays (for Macau also the public administration's holidays, without the
  half-day afternoons, which are working days).

Convention used by every deadline: **the day of receipt does not count**, as in the law's
"within 20 days". ``add_working_days(received, 20)`` is the 20th working day after
``received``; a case received on a Saturday counts Monday as day 1. ``n = 0`` gives ``start``
itself when it is a working day, otherwise the next working day. A negative ``n`` counts
backwards (``add_working_days(due, -3)`` is three working days before ``due``).

The ``holidays`` package knows the mainland schedule only for the years the State Council has
published and the package has shipped; for a later year it guesses from the statutory rules and
knows no make-up working days. Such a year is never used silently: ``calendar_warnings`` and
``add_working_days_checked`` return a warning that callers show, and every first use of such a
year is also logged.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

import holidays
import structlog
from django.utils.translation import gettext

CALENDARS = ("CN", "HK", "MO")
DEFAULT_CALENDAR = "CN"
# The mainland schedule in the holidays package starts with the 2001 調休 arrangements.
FIRST_PUBLISHED_MAINLAND_YEAR = 2001
# The lunar calendars behind the holidays package cover these years.
MIN_YEAR, MAX_YEAR = 1950, 2099
# Deadlines never reach further than this; a bound stops a typo (n = 10**9) from hanging a sweep.
MAX_SPAN_DAYS = 366 * 20

logger = structlog.get_logger("tongban.workdays")


class UnknownCalendar(ValueError):
    pass


@dataclass(frozen=True)
class YearCalendar:
    """The working days of one year in one calendar, as sorted ordinals for bisection."""

    calendar: str
    year: int
    working_ordinals: tuple[int, ...]
    working_set: frozenset[int]
    published: bool


@dataclass(frozen=True)
class WorkingDayResult:
    date: dt.date
    warnings: tuple[str, ...]


def _check_calendar(calendar: str) -> str:
    if calendar not in CALENDARS:
        raise UnknownCalendar(
            gettext("Unknown calendar %(calendar)s; use one of %(choices)s.")
            % {"calendar": calendar, "choices": ", ".join(CALENDARS)}
        )
    return calendar


@lru_cache(maxsize=1)
def mainland_published_through() -> int:
    """The last year whose mainland make-up working days the holidays package knows."""
    upper = dt.date.today().year + 6
    cn = holidays.country_holidays("CN", years=range(FIRST_PUBLISHED_MAINLAND_YEAR, upper))
    return max(day.year for day in cn.weekend_workdays)


def _has_spring_festival(cn_year: holidays.HolidayBase) -> bool:
    return any("Spring Festival" in name for name in cn_year.values())


def _mainland_year(year: int) -> tuple[set[dt.date], set[dt.date], bool]:
    cn = holidays.country_holidays("CN", years=year, language="en_US")
    # weekend_workdays also carries a few 2001–2011 dates whatever years were asked for.
    make_up_workdays = {day for day in cn.weekend_workdays if day.year == year}
    published = (
        FIRST_PUBLISHED_MAINLAND_YEAR <= year <= mainland_published_through()
        and _has_spring_festival(cn)
    )
    return set(cn.keys()), make_up_workdays, published


def _zone_year(calendar: str, year: int) -> set[dt.date]:
    if calendar == "HK":
        return set(holidays.country_holidays("HK", years=year, language="en_US").keys())
    macau = holidays.country_holidays(
        "MO", years=year, language="en_US", categories=("public", "government")
    )
    # Half-day closures (New Year's Eve afternoon, …) leave the morning open: a working day.
    return {day for day, name in macau.items() if "(Afternoon)" not in name}


class OutOfRange(ValueError):
    pass


@lru_cache(maxsize=512)
def year_calendar(calendar: str, year: int) -> YearCalendar:
    _check_calendar(calendar)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise OutOfRange(
            gettext("Working days are known only from %(low)d to %(high)d.")
            % {"low": MIN_YEAR, "high": MAX_YEAR}
        )
    if calendar == "CN":
        days_off, make_up_workdays, published = _mainland_year(year)
    else:
        days_off, make_up_workdays, published = _zone_year(calendar, year), set(), True
    if not published:
        logger.warning(
            "workdays_calendar_unpublished",
            calendar=calendar,
            year=year,
            published_through=mainland_published_through(),
        )
    day = dt.date(year, 1, 1)
    working = []
    while day.year == year:
        weekend = day.weekday() >= 5
        if day in make_up_workdays or (not weekend and day not in days_off):
            working.append(day.toordinal())
        day += dt.timedelta(days=1)
    return YearCalendar(calendar, year, tuple(working), frozenset(working), published)


def is_working_day(day: dt.date, calendar: str = DEFAULT_CALENDAR) -> bool:
    return day.toordinal() in year_calendar(calendar, day.year).working_set


def add_working_days(start: dt.date, n: int, calendar: str = DEFAULT_CALENDAR) -> dt.date:
    """The date ``n`` working days after ``start`` (``start`` itself does not count).

    ``n = 0``: ``start`` when it is a working day, else the next working day. ``n < 0`` counts
    backwards. Years without a published mainland schedule are logged; use
    ``add_working_days_checked`` to get the warning with the result.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError("n must be an int")
    if abs(n) > MAX_SPAN_DAYS:
        raise ValueError(
            gettext("The number of working days must be between %(low)d and %(high)d.")
            % {"low": -MAX_SPAN_DAYS, "high": MAX_SPAN_DAYS}
        )
    ordinal = start.toordinal()
    year = start.year
    days = year_calendar(calendar, year).working_ordinals
    # Day 1 is the first working day after start; day 0 the first on or after it, and a
    # negative n steps back from day 0.
    first_after = bisect_right(days, ordinal) - 1 if n > 0 else bisect_left(days, ordinal)
    index = first_after + n
    while index >= len(days):
        index -= len(days)
        year += 1
        days = year_calendar(calendar, year).working_ordinals
    while index < 0:
        year -= 1
        days = year_calendar(calendar, year).working_ordinals
        index += len(days)
    return dt.date.fromordinal(days[index])


def working_days_between(a: dt.date, b: dt.date, calendar: str = DEFAULT_CALENDAR) -> int:
    """Working days ``d`` with ``a < d <= b`` (negative when ``b`` is before ``a``).

    The same convention as ``add_working_days``: for a working day ``b`` after ``a``,
    ``add_working_days(a, working_days_between(a, b)) == b``. Day 5 after receipt is the day
    ``working_days_between(received, today) == 5``.
    """
    if b < a:
        return -working_days_between(b, a, calendar)
    total = 0
    for year in range(a.year, b.year + 1):
        days = year_calendar(calendar, year).working_ordinals
        low = bisect_right(days, a.toordinal()) if year == a.year else 0
        high = bisect_right(days, b.toordinal()) if year == b.year else len(days)
        total += high - low
    return total


def calendar_warnings(
    year: int, calendar: str = DEFAULT_CALENDAR, *, until_year: int | None = None
) -> tuple[str, ...]:
    """Translated warnings for the years ``year``..``until_year`` whose schedule is unknown."""
    messages = []
    for each in range(year, (until_year or year) + 1):
        if not year_calendar(calendar, each).published:
            messages.append(
                gettext(
                    "The mainland holiday schedule for %(year)d is not known to this version "
                    "of the holidays package (it knows up to %(known)d): working days in "
                    "%(year)d count statutory holidays but no make-up working days. Update the "
                    "holidays package once the State Council publishes the schedule."
                )
                % {"year": each, "known": mainland_published_through()}
            )
    return tuple(messages)


def add_working_days_checked(
    start: dt.date, n: int, calendar: str = DEFAULT_CALENDAR
) -> WorkingDayResult:
    """``add_working_days`` with the warnings for every year the count went through."""
    result = add_working_days(start, n, calendar)
    first, last = sorted((start.year, result.year))
    return WorkingDayResult(result, calendar_warnings(first, calendar, until_year=last))
