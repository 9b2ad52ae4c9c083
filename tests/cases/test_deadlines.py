"""Due dates in mainland working days: Spring Festival and National Day 2026 with their make-up
working days (Sat 14 Feb, Sat 28 Feb, Sun 20 Sep, Sat 10 Oct), pauses, the one extension, the
five-day rule, flags and unpublished years."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tongban.cases import deadlines, events, services
from tongban.cases.constants import CaseAction, CaseStatus, DeadlineFlag
from tongban.cases.models import Case
from tongban.catalog.constants import HandlingType, LimitUnit

from .conftest import case_in, submitted_case

D = dt.date


@pytest.fixture
def on_day(monkeypatch):
    """Pretend the services run on a given day."""

    def set_day(day: dt.date):
        monkeypatch.setattr(events, "today", lambda: day)

    return set_day


class Limits:
    def __init__(
        self, statutory=20, promised=5, unit=LimitUnit.WORKING_DAYS, handling=HandlingType.PROMISED
    ):
        self.statutory_limit, self.statutory_unit = statutory, unit
        self.promised_limit, self.promised_unit = promised, unit
        self.handling_type = handling


def test_twenty_working_days_across_spring_festival():
    dues = deadlines.due_dates(Limits(), D(2026, 2, 13))
    # Sat 14 Feb is a make-up working day (day 1); 15–23 Feb off; Sat 28 Feb works (day 6).
    assert dues.promised == D(2026, 2, 27)
    assert dues.statutory == D(2026, 3, 19)
    assert dues.warnings == ()


def test_national_day_and_its_make_up_days():
    assert deadlines.limit_due(D(2026, 9, 25), 5, LimitUnit.WORKING_DAYS).date == D(2026, 10, 9)
    # Sat 10 Oct is day 6.
    assert deadlines.limit_due(D(2026, 9, 25), 6, LimitUnit.WORKING_DAYS).date == D(2026, 10, 10)
    assert deadlines.limit_due(D(2026, 9, 25), 10, LimitUnit.WORKING_DAYS).date == D(2026, 10, 15)
    # Sun 20 Sep is a working day: one day after Fri 18 Sep.
    assert deadlines.limit_due(D(2026, 9, 18), 1, LimitUnit.WORKING_DAYS).date == D(2026, 9, 20)


def test_calendar_days_and_months_end_on_a_working_day():
    # 14 calendar days from 17 Sep is 1 Oct, a holiday: the 8th is the next working day.
    assert deadlines.limit_due(D(2026, 9, 17), 14, LimitUnit.CALENDAR_DAYS).date == D(2026, 10, 8)
    # One month from 31 Aug 2026: 30 Sep (a Wednesday, working).
    assert deadlines.limit_due(D(2026, 8, 31), 1, LimitUnit.MONTHS).date == D(2026, 9, 30)
    # Two hours: the same working day; 24 hours: three working days' hours (Fri 25 Sep is the
    # Mid-Autumn Festival).
    assert deadlines.limit_due(D(2026, 9, 24), 2, LimitUnit.HOURS).date == D(2026, 9, 24)
    assert deadlines.limit_due(D(2026, 9, 24), 24, LimitUnit.HOURS).date == D(2026, 9, 29)


def test_an_unpublished_year_warns_and_the_case_shows_it(world, on_day):
    dues = deadlines.due_dates(Limits(), D(2027, 12, 1))
    assert dues.warnings and "2027" in dues.warnings[0]
    on_day(D(2027, 12, 1))
    case = case_in(world, CaseStatus.SUBMITTED)
    case = services.accept(world.reviewer, case.number)
    assert "2027" in case.calendar_warning
    assert case.events.filter(action=CaseAction.CALENDAR_WARNING).exists()


def test_acceptance_starts_the_clock_the_day_itself_not_counting(world, on_day):
    on_day(D(2026, 2, 13))
    case = services.accept(world.reviewer, case_in(world, CaseStatus.SUBMITTED).number)
    assert (case.statutory_due, case.promised_due) == (D(2026, 3, 19), D(2026, 2, 27))


def test_a_special_procedure_moves_the_due_dates_by_the_working_days_paused(world, on_day):
    w = world
    on_day(D(2026, 9, 25))
    case = services.accept(w.reviewer, case_in(w, CaseStatus.SUBMITTED).number)
    assert case.statutory_due == D(2026, 10, 29)
    services.start_review(w.reviewer, case.number)
    on_day(D(2026, 9, 29))
    services.begin_special_procedure(w.reviewer, case.number, procedure="hearing")
    on_day(D(2026, 10, 9))
    case = services.end_special_procedure(w.reviewer, case.number)
    # 30 Sep, 8 Oct, 9 Oct: three working days stood still.
    assert case.paused_days == 3
    assert case.statutory_due == D(2026, 11, 3)
    assert not case.clock_paused


def test_a_supplement_asked_during_review_pauses_the_clock(world, on_day):
    w = world
    on_day(D(2026, 9, 25))
    case = services.accept(w.reviewer, case_in(w, CaseStatus.SUBMITTED).number)
    services.start_review(w.reviewer, case.number)
    services.request_supplement(w.reviewer, case.number, missing_other=["原件清晰扫描件"])
    assert Case.objects.get(pk=case.pk).clock_paused
    on_day(D(2026, 10, 12))
    case = services.resubmit(w.applicant, case.number)
    assert case.status == CaseStatus.IN_REVIEW
    # Stood still: 28, 29, 30 Sep, 8, 9, Sat 10 (a make-up day) and 12 Oct — as with
    # acceptance, the day the papers arrive does not count, the day of the request does.
    assert case.paused_days == 7
    assert (
        case.statutory_due == deadlines.limit_due(D(2026, 10, 29), 7, LimitUnit.WORKING_DAYS).date
    )


def test_one_extension_of_ten_working_days_with_a_reason(world, on_day):
    w = world
    on_day(D(2026, 2, 13))
    case = services.accept(w.reviewer, case_in(w, CaseStatus.SUBMITTED).number)
    with pytest.raises(ValidationError) as missing_reason:
        services.extend(w.reviewer, case.number, reason=" ")
    assert missing_reason.value.error_dict["reason"][0].code == "required"
    case = services.extend(w.reviewer, case.number, reason="需组织现场核查")
    assert case.extended and case.statutory_due == D(2026, 4, 2)
    with pytest.raises(services.AlreadyExtended):
        services.extend(w.reviewer, case.number, reason="again")
    assert Case.objects.get(pk=case.pk).statutory_due == D(2026, 4, 2)


def test_joint_items_extend_by_fifteen(world, on_day):
    world.item.handling_type = HandlingType.JOINT
    world.item.save()
    on_day(D(2026, 2, 13))
    case = services.accept(world.reviewer, case_in(world, CaseStatus.SUBMITTED).number)
    case = services.extend(world.reviewer, case.number, reason="联办")
    assert (
        case.statutory_due == deadlines.limit_due(D(2026, 3, 19), 15, LimitUnit.WORKING_DAYS).date
    )


def test_no_extension_after_the_time_ran_out(world, on_day):
    on_day(D(2026, 2, 13))
    case = services.accept(world.reviewer, case_in(world, CaseStatus.SUBMITTED).number)
    on_day(D(2026, 3, 20))
    with pytest.raises(ValidationError) as caught:
        services.extend(world.reviewer, case.number, reason="late")
    assert caught.value.error_dict["reason"][0].code == "too_late"


# --- The five-day rule and the flags (the sweep) ---------------------------------------------


def arrived(case: Case, day: dt.date) -> Case:
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))
    Case.objects.filter(pk=case.pk).update(submitted_at=moment, materials_complete_at=moment)
    return Case.objects.get(pk=case.pk)


def test_no_supplement_request_within_five_working_days_means_accepted_on_arrival(world):
    case = arrived(submitted_case(world), D(2026, 2, 13))
    from tongban.cases.sweep import sweep

    # Fri 27 Feb is the 5th working day after Fri 13 Feb: the department still has time.
    assert sweep(D(2026, 2, 27)).deemed_accepted == []
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    # Sat 28 Feb is a make-up working day, the 6th: accepted by operation of law.
    assert sweep(D(2026, 2, 28)).deemed_accepted == [case.number]
    case = Case.objects.get(pk=case.pk)
    assert case.status == CaseStatus.ACCEPTED and case.deemed_accepted
    assert timezone.localdate(case.accepted_at) == D(2026, 2, 13)
    assert case.statutory_due == D(2026, 3, 19)
    event = case.events.get(action=CaseAction.DEEMED_ACCEPTANCE)
    assert event.actor is None and event.actor_label == "task:sweep_deadlines"
    assert sweep(D(2026, 3, 2)).deemed_accepted == []  # once


def test_a_supplement_request_in_time_stops_the_five_day_rule(world):
    from tongban.cases.sweep import sweep

    case = arrived(submitted_case(world), D(2026, 2, 13))
    services.request_supplement(world.reviewer, case.number, missing_other=["签名页"])
    assert sweep(D(2026, 3, 10)).deemed_accepted == []
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUPPLEMENT_REQUESTED


def test_flags_due_soon_then_overdue(world, on_day):
    from tongban.cases.sweep import sweep

    on_day(D(2026, 2, 13))
    case = services.accept(world.reviewer, case_in(world, CaseStatus.SUBMITTED).number)
    assert case.deadline_flag == DeadlineFlag.ON_TIME
    # Promised due 27 Feb; three working days before it is 24 Feb.
    assert sweep(D(2026, 2, 13)).flagged == {}
    assert sweep(D(2026, 2, 24)).flagged == {DeadlineFlag.DUE_SOON: 1}
    assert sweep(D(2026, 2, 25)).flagged == {}  # unchanged: nothing written
    assert sweep(D(2026, 3, 2)).flagged == {DeadlineFlag.OVERDUE: 1}
    case = Case.objects.get(pk=case.pk)
    assert case.deadline_flag == DeadlineFlag.OVERDUE
    assert case.events.filter(action=CaseAction.FLAG).count() == 2
    page, _next = services.overdue_cases(world.supervisor)
    assert [c.number for c in page] == [case.number]


def test_paused_cases_are_not_flagged(world, on_day):
    from tongban.cases.sweep import sweep

    on_day(D(2026, 2, 13))
    case = services.accept(world.reviewer, case_in(world, CaseStatus.SUBMITTED).number)
    services.start_review(world.reviewer, case.number)
    services.begin_special_procedure(world.reviewer, case.number, procedure="testing")
    assert sweep(D(2026, 4, 1)).flagged == {}


def test_the_sweep_command(world, capsys):
    from django.core.management import call_command

    call_command("cases", "sweep", "--json")
    assert '"deemed_accepted": []' in capsys.readouterr().out
