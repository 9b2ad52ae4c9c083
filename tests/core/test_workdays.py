import datetime as dt
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st
from structlog.testing import capture_logs

from tongban.core import workdays
from tongban.core.workdays import (
    add_working_days,
    add_working_days_checked,
    calendar_warnings,
    is_working_day,
    working_days_between,
)

D = dt.date
FAR_FUTURE = 2040  # no holidays release will know the State Council's schedule for it soon


# --- Mainland: Spring Festival and National Day with their make-up weekend days ------------


@pytest.mark.parametrize(
    "make_up_day",
    [
        D(2024, 2, 4),  # Sunday before Spring Festival 2024
        D(2024, 2, 18),  # Sunday after it
        D(2024, 9, 29),  # Sunday before National Day 2024
        D(2024, 10, 12),  # Saturday after it
        D(2025, 1, 26),  # Sunday before Spring Festival 2025
        D(2025, 2, 8),  # Saturday after it
        D(2025, 9, 28),  # Sunday before National Day and Mid-Autumn 2025
        D(2025, 10, 11),  # Saturday after it
        D(2026, 2, 14),  # Saturday before Spring Festival 2026
        D(2026, 2, 28),  # Saturday after it
        D(2026, 9, 20),  # Sunday before National Day 2026
        D(2026, 10, 10),  # Saturday after it
    ],
)
def test_make_up_weekend_days_are_mainland_working_days(make_up_day):
    assert make_up_day.weekday() >= 5
    assert is_working_day(make_up_day, "CN")


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (D(2024, 2, 10), D(2024, 2, 17)),
        (D(2024, 10, 1), D(2024, 10, 7)),
        (D(2025, 1, 28), D(2025, 2, 4)),
        (D(2025, 10, 1), D(2025, 10, 8)),
        (D(2026, 2, 15), D(2026, 2, 23)),
        (D(2026, 10, 1), D(2026, 10, 7)),
    ],
)
def test_every_day_of_the_golden_weeks_is_off_and_the_days_around_are_not(first, last):
    day = first
    while day <= last:
        assert not is_working_day(day, "CN"), day
        day += dt.timedelta(days=1)
    assert add_working_days(first - dt.timedelta(days=1), 0) == first - dt.timedelta(days=1)
    assert add_working_days(first, 0) == last + dt.timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2024, 2, 2), 1, D(2024, 2, 4)),  # Friday → the make-up Sunday
        (D(2024, 2, 9), 1, D(2024, 2, 18)),  # over Spring Festival to the make-up Sunday
        (D(2024, 9, 30), 1, D(2024, 10, 8)),
        (D(2025, 1, 24), 1, D(2025, 1, 26)),
        (D(2025, 1, 27), 1, D(2025, 2, 5)),
        (D(2025, 9, 26), 1, D(2025, 9, 28)),
        (D(2025, 9, 30), 1, D(2025, 10, 9)),
        # The law's "within 20 days" for a case received on Friday 26 September 2025.
        (D(2025, 9, 26), 20, D(2025, 10, 30)),
        (D(2026, 2, 13), 1, D(2026, 2, 14)),
        (D(2026, 2, 14), 1, D(2026, 2, 24)),
        (D(2026, 9, 18), 1, D(2026, 9, 20)),
        (D(2026, 9, 30), 1, D(2026, 10, 8)),
        # Received on a Saturday that is no make-up day: Monday is day 1.
        (D(2025, 3, 8), 1, D(2025, 3, 10)),
        (D(2025, 3, 8), 0, D(2025, 3, 10)),
        # Backwards over a golden week and across New Year.
        (D(2025, 10, 9), -1, D(2025, 9, 30)),
        (D(2025, 1, 2), -1, D(2024, 12, 31)),
        # Across a year boundary forwards.
        (D(2025, 12, 31), 2, D(2026, 1, 5)),
    ],
)
def test_add_working_days_on_the_mainland(start, n, expected):
    assert add_working_days(start, n, "CN") == expected


def test_working_days_between_counts_after_the_first_day_up_to_the_second():
    # 28, 29, 30 September and 9, 10, 11 (make-up Saturday), 13 October 2025.
    assert working_days_between(D(2025, 9, 26), D(2025, 10, 13)) == 7
    assert working_days_between(D(2025, 10, 13), D(2025, 9, 26)) == -7
    assert working_days_between(D(2025, 9, 26), D(2025, 9, 26)) == 0
    assert working_days_between(D(2024, 12, 30), D(2025, 1, 2)) == 2  # 31 Dec, 2 Jan


def test_published_years_carry_no_warning():
    for year in (2024, 2025, 2026):
        assert calendar_warnings(year) == ()
    assert add_working_days_checked(D(2025, 9, 26), 20).warnings == ()


# --- Hong Kong and Macau ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 7, 1), False),  # HKSAR Establishment Day
        (D(2025, 10, 29), False),  # Chung Yeung
        (D(2025, 12, 26), False),  # first weekday after Christmas
        (D(2025, 9, 28), False),  # a mainland make-up Sunday is still a Sunday in Hong Kong
        (D(2025, 10, 11), False),  # Saturdays are off at the zone
        (D(2025, 10, 8), True),  # a mainland holiday, a Hong Kong working day
    ],
)
def test_hong_kong_calendar(day, working):
    assert is_working_day(day, "HK") is working


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 12, 8), False),  # Immaculate Conception
        (D(2025, 12, 22), False),  # compensatory rest day for the MSAR Establishment Day
        (D(2025, 12, 24), False),  # Christmas Eve, a public administration holiday
        (D(2025, 11, 3), False),  # compensatory rest day for All Souls' Day
        (D(2025, 12, 31), True),  # only the afternoon of New Year's Eve is off
        (D(2025, 10, 8), True),
    ],
)
def test_macau_calendar(day, working):
    assert is_working_day(day, "MO") is working


def test_zone_calendars_count_their_own_holidays():
    # From Monday 22 December 2025: 23, 24 and 25 are off in Macau.
    assert add_working_days(D(2025, 12, 22), 1, "MO") == D(2025, 12, 26)
    # Hong Kong: 25 and 26 December off, 24 December open.
    assert add_working_days(D(2025, 12, 23), 2, "HK") == D(2025, 12, 29)
    assert add_working_days(D(2025, 12, 23), 2, "CN") == D(2025, 12, 25)


def test_unknown_calendar_is_refused():
    with pytest.raises(ValueError, match="Unknown calendar"):
        add_working_days(D(2025, 1, 1), 1, "TW")


def test_out_of_range_is_refused_clearly():
    with pytest.raises(ValueError, match="known only from"):
        add_working_days(D(2099, 12, 30), 5)
    with pytest.raises(ValueError, match="number of working days"):
        add_working_days(D(2025, 1, 1), 10**6)


# --- A year whose mainland schedule is not published ----------------------------------------


def test_unpublished_year_gives_a_visible_warning():
    warnings = calendar_warnings(FAR_FUTURE)
    assert len(warnings) == 1
    assert str(FAR_FUTURE) in warnings[0]
    result = add_working_days_checked(D(FAR_FUTURE, 3, 2), 10)
    assert result.date == add_working_days(D(FAR_FUTURE, 3, 2), 10)
    assert result.warnings == warnings


def test_a_count_crossing_into_an_unpublished_year_warns_for_it():
    last_known = workdays.mainland_published_through()
    result = add_working_days_checked(D(last_known, 12, 20), 20)
    assert result.date.year == last_known + 1
    assert [str(last_known + 1) in warning for warning in result.warnings] == [True]


def test_first_use_of_an_unpublished_year_is_logged():
    workdays.year_calendar.cache_clear()
    with capture_logs() as logs:
        add_working_days(D(FAR_FUTURE, 5, 4), 3)
        add_working_days(D(FAR_FUTURE, 6, 4), 3)
    unpublished = [log for log in logs if log["event"] == "workdays_calendar_unpublished"]
    assert [log["year"] for log in unpublished] == [FAR_FUTURE]


# --- Properties -----------------------------------------------------------------------------

calendars = st.sampled_from(workdays.CALENDARS)
known_dates = st.dates(min_value=D(2002, 1, 1), max_value=D(2026, 6, 30))
counts = st.integers(min_value=-400, max_value=400)


@given(known_dates, counts, calendars)
def test_result_is_always_a_working_day(start, n, calendar):
    assert is_working_day(add_working_days(start, n, calendar), calendar)


@given(known_dates, counts, counts, calendars)
def test_monotonic_in_n(start, a, b, calendar):
    low, high = sorted((a, b))
    assert add_working_days(start, low, calendar) <= add_working_days(start, high, calendar)
    if low < high:
        assert add_working_days(start, low, calendar) < add_working_days(start, high, calendar)


@given(known_dates, counts, counts, calendars)
def test_adding_composes_from_a_working_day(any_day, a, b, calendar):
    start = add_working_days(any_day, 0, calendar)
    assert add_working_days(add_working_days(start, a, calendar), b, calendar) == (
        add_working_days(start, a + b, calendar)
    )


@given(known_dates, counts, calendars)
def test_between_inverts_add_from_a_working_day(any_day, n, calendar):
    start = add_working_days(any_day, 0, calendar)
    assert working_days_between(start, add_working_days(start, n, calendar), calendar) == n


@given(known_dates, st.integers(min_value=1, max_value=400))
def test_positive_n_never_returns_the_start_day(start, n):
    assert add_working_days(start, n) > start


# --- The command ----------------------------------------------------------------------------


def test_command_prints_the_iso_date():
    out = StringIO()
    call_command("workdays", "add", "2025-09-26", "20", stdout=out)
    assert out.getvalue().strip() == "2025-10-30"
    out = StringIO()
    call_command("workdays", "add", "2025-12-22", "1", "--calendar", "MO", stdout=out)
    assert out.getvalue().strip() == "2025-12-26"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["2025-02-30", "3"], "not a date"),
        (["yesterday", "3"], "not a date"),
        (["2025-02-03", "three"], "whole number"),
        (["2025-02-03", "3", "--calendar", "XX"], "Unknown calendar"),
    ],
)
def test_command_refuses_bad_input_with_exit_status_1(arguments, message):
    with pytest.raises(CommandError, match=message) as raised:
        call_command("workdays", "add", *arguments)
    assert raised.value.returncode == 1


def run_cli(tmp_path, *arguments):
    env = {**os.environ, "TONGBAN_VAR_DIR": str(tmp_path), "LANG": "en_US.UTF-8"}
    env.pop("LANGUAGE", None)
    env.pop("LC_ALL", None)
    tongban = [sys.executable, "-m", "tongban.cli"]
    return subprocess.run(
        [*tongban, "workdays", *arguments], capture_output=True, text=True, env=env, check=False
    )


def test_cli_warns_on_stderr_and_keeps_stdout_a_date(tmp_path):
    done = run_cli(tmp_path, "add", f"{FAR_FUTURE}-03-02", "5")
    assert done.returncode == 0
    assert dt.date.fromisoformat(done.stdout.strip()).year == FAR_FUTURE
    assert f"{FAR_FUTURE}" in done.stderr and "Warning" in done.stderr


def test_cli_exits_1_on_a_bad_date(tmp_path):
    done = run_cli(tmp_path, "add", "2025-13-01", "5")
    assert done.returncode == 1
    assert "not a date" in done.stderr
    assert done.stdout == ""
