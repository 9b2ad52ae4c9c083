"""好差评: every level, one rating per case and per visit, the bad-rating follow-up with its
working-day deadline, appeals decided by a supervisor, who may do what, and statistics."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from tests.cases.conftest import case_in
from tongban.cases import rating_followups, services
from tongban.cases.constants import CaseStatus
from tongban.cases.rating_constants import (
    AppealStatus,
    FollowUpOutcome,
    FollowUpStatus,
    RatingGrade,
    RatingStatus,
)
from tongban.cases.rating_models import Rating, RatingFollowUp
from tongban.core.models import AuditEvent

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (their msgids); the default language is 简体."""
    with translation.override("en"):
        yield


def decided(w, **fields):
    return case_in(w, CaseStatus.APPROVED, decided_at=timezone.now(), **fields)


def audit_events(obj_type: str, obj_id) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj_type, object_id=str(obj_id))
        .order_by("sequence")
        .values_list("event", flat=True)
    )


@pytest.mark.parametrize(
    ("level", "grade"),
    [(5, RatingGrade.GOOD), (4, RatingGrade.GOOD), (3, RatingGrade.NEUTRAL),
     (2, RatingGrade.BAD), (1, RatingGrade.BAD)],
)  # fmt: skip
def test_every_level_is_graded_and_only_bad_ones_are_followed_up(world, level, grade):
    case = decided(world)
    rating = services.submit_rating(
        world.applicant,
        case_number=case.number,
        level=str(level),
        scores={"attitude": level, "speed": "3", "clarity": ""},
        comment="  Thank you  ",
    )
    rating.refresh_from_db()
    assert (rating.level, rating.grade, rating.comment) == (level, grade, "Thank you")
    assert rating.department_id == world.housing.pk
    assert {s.dimension: s.score for s in rating.scores.all()} == {"attitude": level, "speed": 3}
    assert RatingFollowUp.objects.filter(rating=rating).exists() == (grade == RatingGrade.BAD)
    assert "rating_submitted" in audit_events("rating", rating.pk)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"level": 6}, "level"),
        ({"level": "x"}, "level"),
        ({"level": 4, "scores": {"beauty": 5}}, "scores"),
        ({"level": 4, "scores": {"speed": 0}}, "score_speed"),
        ({"level": 4, "comment": "很" * 501}, "comment"),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(world, values, field):
    case = decided(world)
    with pytest.raises(ValidationError) as error:
        services.submit_rating(world.applicant, case_number=case.number, **values)
    assert field in error.value.message_dict
    assert not Rating.objects.exists()


def test_one_rating_per_case(world):
    case = decided(world)
    services.submit_rating(world.applicant, case_number=case.number, level=5)
    assert not services.may_rate(world.applicant, case)
    with pytest.raises(ValidationError, match="already rated"):
        services.submit_rating(world.applicant, case_number=case.number, level=1)
    assert Rating.objects.count() == 1


def test_only_the_cases_applicant_rates_and_only_after_a_decision(world):
    case = decided(world)
    with pytest.raises(services.CaseNotFound):
        services.submit_rating(world.other_applicant, case_number=case.number, level=1)
    with pytest.raises(PermissionDenied):  # staff have no applicant profile to rate with
        services.submit_rating(world.reviewer, case_number=case.number, level=1)
    pending = case_in(world, CaseStatus.IN_REVIEW)
    assert not services.may_rate(world.applicant, pending)
    with pytest.raises(ValidationError, match="once it is decided"):
        services.submit_rating(world.applicant, case_number=pending.number, level=5)
    assert services.may_rate(world.applicant, case)
    assert not Rating.objects.exists()


def test_one_rating_per_counter_visit(world):
    visit = services.record_counter_visit(world.clerk_mo, world.person, note="asked about tax")
    assert visit.zone == world.zones["mo"]
    assert [v.pk for v in services.rateable_visits(world.applicant)] == [visit.pk]
    with pytest.raises(ValidationError):
        services.submit_rating(world.other_applicant, visit_id=visit.pk, level=5)
    rating = services.submit_rating(world.applicant, visit_id=visit.pk, level=4)
    assert (rating.zone_id, rating.case_id, rating.department_id) == (visit.zone_id, None, None)
    with pytest.raises(ValidationError, match="already rated"):
        services.submit_rating(world.applicant, visit_id=visit.pk, level=1)
    assert services.rateable_visits(world.applicant) == []
    assert "counter_visit_recorded" in audit_events("counter_visit", visit.pk)


def test_only_clerks_record_counter_visits_at_their_own_zone(world):
    with pytest.raises(PermissionDenied):
        services.record_counter_visit(world.reviewer, world.person)
    with pytest.raises(ValidationError):
        services.record_counter_visit(world.clerk_mo, world.person, zone=world.zones["hk"])


def test_bad_rating_follow_up_deadline_counts_mainland_working_days(world, monkeypatch, settings):
    # Rated on 30 September 2025: National Day holidays 1–8 October, make-up Saturday 11 October.
    rated = dt.datetime(2025, 9, 30, 10, 0, tzinfo=SHANGHAI)
    monkeypatch.setattr(rating_followups.timezone, "now", lambda: rated)
    case = decided(world)
    rating = services.submit_rating(world.applicant, case_number=case.number, level=2)
    assert rating.follow_up.due == dt.date(2025, 10, 14)  # 9, 10, 11 (Sat), 13, 14 October
    settings.TONGBAN_RATING_FOLLOWUP_DAYS = 10
    other = decided(world)
    follow_up = services.submit_rating(world.applicant, case_number=other.number, level=1).follow_up
    assert follow_up.due == dt.date(2025, 10, 21)


def test_bad_rating_follow_up_from_call_back_to_the_applicants_feedback(world):
    case = decided(world)
    rating = services.submit_rating(
        world.applicant, case_number=case.number, level=1, comment="Nobody answered the phone"
    )
    follow_up = rating.follow_up
    assert (follow_up.owner, follow_up.status) == (world.reviewer, FollowUpStatus.OPEN)

    # Another department's reviewer and a clerk cannot touch it.
    for outsider in (world.reviewer_tax, world.clerk_mo, world.applicant):
        with pytest.raises(services.FollowUpNotFound):
            services.record_call_back(outsider, follow_up.pk, reached=True, note="hello")

    with pytest.raises(services.WrongState, match="Call the applicant back"):
        services.record_outcome(world.reviewer, follow_up.pk, outcome="fixed", note="done")
    services.record_call_back(world.reviewer, follow_up.pk, reached=False, note="no answer")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN
    with pytest.raises(ValidationError):
        services.record_call_back(world.reviewer, follow_up.pk, reached=True, note="  ")
    services.record_call_back(world.reviewer, follow_up.pk, reached=True, note="Apologised")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.CALLED_BACK
    assert follow_up.call_backs.count() == 2

    with pytest.raises(ValidationError) as error:
        services.record_outcome(
            world.reviewer, follow_up.pk, outcome=FollowUpOutcome.LEDGER, note="New phone line"
        )
    assert "ledger_reason" in error.value.message_dict
    next_month = timezone.localdate() + dt.timedelta(days=30)
    services.record_outcome(
        world.reviewer,
        follow_up.pk,
        outcome=FollowUpOutcome.LEDGER,
        note="A second phone line",
        ledger_reason="Needs a budget decision",
        ledger_due=next_month,
    )
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.ledger_due) == (FollowUpStatus.RESOLVED, next_month)

    with pytest.raises(services.FollowUpNotFound):
        services.give_feedback(world.other_applicant, follow_up.pk, feedback="satisfied")
    with pytest.raises(ValidationError):
        services.give_feedback(world.applicant, follow_up.pk, feedback="meh")
    services.give_feedback(world.applicant, follow_up.pk, feedback="satisfied", note="Thanks")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.CLOSED
    with pytest.raises(services.WrongState):
        services.give_feedback(world.applicant, follow_up.pk, feedback="not_satisfied")
    assert audit_events("rating_followup", follow_up.pk) == [
        "rating_followup_opened",
        "rating_callback_recorded",
        "rating_callback_recorded",
        "rating_followup_resolved",
        "rating_feedback_given",
    ]


@pytest.mark.parametrize("outcome", [FollowUpOutcome.FIXED, FollowUpOutcome.UNFOUNDED])
def test_outcomes_need_an_explanation(world, outcome):
    case = decided(world)
    follow_up = services.submit_rating(world.applicant, case_number=case.number, level=1).follow_up
    services.record_call_back(world.supervisor, follow_up.pk, reached=True, note="Talked")
    with pytest.raises(ValidationError):
        services.record_outcome(world.supervisor, follow_up.pk, outcome=outcome, note="")
    services.record_outcome(world.supervisor, follow_up.pk, outcome=outcome, note="Explained")
    follow_up.refresh_from_db()
    assert (follow_up.outcome, follow_up.outcome_by) == (outcome, world.supervisor)


def test_a_supervisor_reassigns_a_follow_up_to_staff_who_may_handle_it(world):
    follow_up = services.submit_rating(
        world.applicant, case_number=decided(world).number, level=1
    ).follow_up
    with pytest.raises(PermissionDenied):
        services.assign_owner(world.reviewer, follow_up.pk, world.supervisor)
    with pytest.raises(ValidationError):
        services.assign_owner(world.supervisor, follow_up.pk, world.reviewer_tax)
    services.assign_owner(world.supervisor, follow_up.pk, world.supervisor)
    follow_up.refresh_from_db()
    assert follow_up.owner == world.supervisor


def test_appeal_removed_by_a_supervisor_stops_counting_but_stays_on_record(world):
    rating = services.submit_rating(world.applicant, case_number=decided(world).number, level=1)
    services.submit_rating(world.applicant, case_number=decided(world).number, level=5)
    today = timezone.localdate()
    before = services.satisfaction(world.supervisor, today, today, department=world.housing)
    assert (before.total, before.good, before.bad, before.rate) == (2, 1, 1, 0.5)

    with pytest.raises(services.FollowUpNotFound):
        services.file_appeal(world.reviewer_tax, rating.pk, reason="Not ours")
    with pytest.raises(ValidationError):
        services.file_appeal(world.reviewer, rating.pk, reason="")
    appeal = services.file_appeal(
        world.reviewer, rating.pk, reason="The caller meant another office"
    )
    with pytest.raises(services.WrongState):
        services.file_appeal(world.reviewer, rating.pk, reason="Again")
    with pytest.raises(PermissionDenied):
        services.decide_appeal(world.reviewer, appeal.pk, remove=True, note="Mine")
    assert [a.pk for a in services.pending_appeals(world.supervisor)[0]] == [appeal.pk]

    services.decide_appeal(world.supervisor, appeal.pk, remove=True, note="Checked the call log")
    rating.refresh_from_db()
    appeal.refresh_from_db()
    assert (rating.status, appeal.status) == (RatingStatus.REMOVED, AppealStatus.REMOVED)
    assert rating.follow_up.status == FollowUpStatus.CANCELLED
    after = services.satisfaction(world.supervisor, today, today, department=world.housing)
    assert (after.total, after.bad, after.rate) == (1, 0, 1.0)
    assert Rating.objects.filter(pk=rating.pk).exists()
    assert audit_events("rating", rating.pk)[-3:] == [
        "rating_appeal_filed",
        "rating_appeal_decided",
        "rating_removed",
    ]
    with pytest.raises(services.WrongState):
        services.decide_appeal(world.supervisor, appeal.pk, remove=False, note="Changed my mind")


def test_an_upheld_rating_keeps_counting(world):
    rating = services.submit_rating(world.applicant, case_number=decided(world).number, level=2)
    appeal = services.file_appeal(world.reviewer, rating.pk, reason="Unfair")
    services.decide_appeal(world.supervisor, appeal.pk, remove=False, note="The delay was real")
    rating.refresh_from_db()
    assert rating.status == RatingStatus.COUNTED
    assert services.bad_ratings(world.supervisor)[0] == [rating]


def test_satisfaction_per_department_and_who_may_see_it(world):
    for level in (5, 4, 3, 1):
        services.submit_rating(world.applicant, case_number=decided(world).number, level=level)
    tax_case = decided(world, item=world.tax_item)
    services.submit_rating(world.applicant, case_number=tax_case.number, level=5)
    today = timezone.localdate()
    housing = services.satisfaction(world.reviewer, today, today, department=world.housing)
    assert housing.by_level == {5: 1, 4: 1, 3: 1, 2: 0, 1: 1}
    assert (housing.good, housing.neutral, housing.bad, housing.rate) == (2, 1, 1, 0.5)
    rows = services.satisfaction_by_department(world.supervisor, today, today)
    assert [(row.department_id, row.total) for row in rows] == [
        (world.tax.pk, 1),
        (world.housing.pk, 4),
    ]
    yesterday = today - dt.timedelta(days=1)
    assert services.satisfaction(world.supervisor, yesterday, yesterday).total == 0
    with pytest.raises(PermissionDenied):
        services.satisfaction(world.reviewer_tax, today, today, department=world.housing)
    with pytest.raises(PermissionDenied):
        services.satisfaction_by_department(world.reviewer, today, today)
    with pytest.raises(PermissionDenied):
        services.satisfaction(world.applicant, today, today, department=world.housing)
    with pytest.raises(ValidationError):
        services.satisfaction(world.supervisor, today, yesterday)
    assert [r.level for r in services.bad_ratings(world.reviewer)[0]] == [1]
    assert services.bad_ratings(world.reviewer_tax)[0] == []


def test_owners_are_reminded_once_a_day_of_follow_ups_due(world):
    follow_up = services.submit_rating(
        world.applicant, case_number=decided(world).number, level=1
    ).follow_up
    RatingFollowUp.objects.filter(pk=follow_up.pk).update(due=timezone.localdate())
    assert rating_followups.remind_due() == 1
    assert rating_followups.remind_due() == 0
    titles = list(world.reviewer.notifications.values_list("event", flat=True))
    assert titles.count("rating_followup_due") == 1


def test_the_owner_hears_of_a_bad_rating_and_the_rater_of_its_outcome(world):
    case = decided(world)
    follow_up = services.submit_rating(world.applicant, case_number=case.number, level=1).follow_up
    opened = world.reviewer.notifications.get()
    assert (
        opened.event == "rating_followup_opened" and opened.link == f"/staff/cases/{case.number}/"
    )
    services.record_call_back(world.reviewer, follow_up.pk, reached=True, note="Apologised")
    services.record_outcome(
        world.reviewer, follow_up.pk, outcome=FollowUpOutcome.FIXED, note="Fee refunded"
    )
    outcome = world.applicant.notifications.get()
    assert outcome.event == "rating_followup_outcome" and "Fee refunded" in outcome.body


def test_statistics_periods_outside_the_calendar_are_refused(world):
    with pytest.raises(ValidationError) as error:
        services.satisfaction(world.supervisor, dt.date(1, 1, 1), dt.date(1, 1, 4))
    assert "start" in error.value.message_dict


def test_overdue_follow_ups_are_flagged_and_listed(world):
    follow_up = services.submit_rating(
        world.applicant, case_number=decided(world).number, level=1
    ).follow_up
    assert not follow_up.overdue
    assert services.follow_ups(world.supervisor, overdue=True)[0] == []
    RatingFollowUp.objects.filter(pk=follow_up.pk).update(
        due=timezone.localdate() - dt.timedelta(days=1)
    )
    listed = services.follow_ups(world.reviewer, overdue=True)[0]
    assert [f.pk for f in listed] == [follow_up.pk] and listed[0].overdue
    assert services.follow_ups(world.reviewer_tax, overdue=True)[0] == []
