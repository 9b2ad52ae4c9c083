"""好差评 (§7): counter visits, ratings, and satisfaction statistics.

- ``record_counter_visit(clerk, person, …)``: the clerk's counter screen records a visit, which
  its visitor may then rate once (一次一评).
- ``submit_rating(user, case_number=… | visit_id=…, level=…, scores=…, comment=…)``: the
  case's own applicant rates it once after a decision (一事一评), or a visitor rates a visit.
  Voluntary: nothing ever requires a rating. A bad rating (1–2) opens a follow-up
  (``rating_followups``) in the same transaction.
- ``satisfaction(user, start, end, department=…)`` and ``satisfaction_by_department``: counts
  per level over a period, from one aggregate query over the ``rating_stats`` index; removed
  ratings do not count.
- ``bad_ratings`` (supervisors, keyset pages), ``rating_of_case``, ``may_rate``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts import services as accounts
from tongban.accounts.constants import Role
from tongban.accounts.permissions import (
    Action,
    can,
    departments_of,
    require,
    roles_of,
    zones_of,
)
from tongban.catalog import services as catalog
from tongban.core import audit

from . import rating_followups
from .constants import CaseStatus
from .lifecycle import CaseNotFound, invalid
from .models import Case
from .rating_constants import RatingDimension, RatingGrade, RatingLevel, RatingStatus, grade_for
from .rating_models import COMMENT_MAX, CounterVisit, Rating, RatingScore

# 一事一评 after a decision: the result (or the refusal) is what is rated.
RATEABLE = frozenset(
    {
        CaseStatus.APPROVED,
        CaseStatus.DENIED,
        CaseStatus.REFUSED,
        CaseStatus.DELIVERED,
        CaseStatus.CLOSED,
    }
)
MAX_PAGE = 100
VISIT_NOTE_MAX = 200
# Statistics periods stay within dates every database and time zone can hold.
FIRST_DAY, LAST_DAY = dt.date(2000, 1, 1), dt.date(2099, 12, 31)


def _actor(user) -> str:
    return audit.user_actor(user)


# --- Counter visits ---------------------------------------------------------------------------


def record_counter_visit(clerk, person, *, zone=None, case_number: str = "", note: str = ""):
    """A visit of ``person`` to the clerk's zone counter (optionally about one case)."""
    if Role.ZONE_CLERK not in roles_of(clerk):
        raise PermissionDenied(_("You are not allowed to do this."))
    my_zones = zones_of(clerk)
    if zone is None and len(my_zones) == 1:
        zone = my_zones[0]
    zone_id = getattr(zone, "pk", zone)
    if zone_id not in my_zones:
        raise invalid("zone", _("Choose the zone you work at."), "zone_required")
    text = " ".join((note or "").split())
    if len(text) > VISIT_NOTE_MAX:
        raise invalid(
            "note",
            _("Keep this under %(limit)d characters.") % {"limit": VISIT_NOTE_MAX},
            "too_long",
        )
    case = None
    if case_number:
        case = Case.objects.filter(number=case_number.strip()).first()
        if case is None or not can(clerk, Action.CASE_VIEW, case):
            raise CaseNotFound(case_number)
        if case.applicant_person_id != person.pk:
            raise invalid("case", _("This case is not the visitor's."), "not_the_visitors_case")
    with transaction.atomic():
        visit = CounterVisit.objects.create(
            zone_id=zone_id,
            clerk=clerk,
            person=person,
            case=case,
            visited_at=timezone.now(),
            note=text,
        )
        audit.record(
            "counter_visit_recorded",
            actor=_actor(clerk),
            obj_type="counter_visit",
            obj_id=visit.pk,
            payload={"zone": zone_id, "person": person.pk, "case": case.number if case else None},
        )
    return visit


# --- Rating -------------------------------------------------------------------------------------


def _level(value) -> int:
    try:
        level = int(value)
    except (TypeError, ValueError):
        level = 0
    if level not in RatingLevel.values:
        raise invalid("level", _("Choose one of the five levels."), "invalid_choice")
    return level


def _scores(scores) -> dict[str, int]:
    cleaned = {}
    for dimension, value in (scores or {}).items():
        if value in (None, ""):
            continue  # every dimension is optional
        if dimension not in RatingDimension.values:
            raise invalid("scores", _("Rate only the dimensions offered."), "unknown_dimension")
        try:
            score = int(value)
        except (TypeError, ValueError):
            score = 0
        if score not in RatingLevel.values:
            raise invalid(
                f"score_{dimension}", _("Choose one of the five levels."), "invalid_choice"
            )
        cleaned[dimension] = score
    return cleaned


def _comment(comment: str) -> str:
    text = (comment or "").strip()
    if "\x00" in text:
        raise invalid("comment", _("The comment contains characters that cannot be stored."), "nul")
    if len(text) > COMMENT_MAX:
        raise invalid(
            "comment",
            _("Keep your comment under %(limit)d characters.") % {"limit": COMMENT_MAX},
            "too_long",
        )
    return text


def _rater(user):
    person = accounts.person_for(user)
    if person is None:
        raise PermissionDenied(_("Only the applicant can rate this."))
    return person


def _rated_case(user, person, case_number: str) -> Case:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("department")
        .filter(number=(case_number or "").strip())
        .first()
    )
    if case is None or not can(user, Action.CASE_VIEW, case):
        raise CaseNotFound(case_number)
    if case.applicant_person_id != person.pk:
        raise PermissionDenied(_("Only the applicant can rate this."))
    require(user, Action.CASE_RATE, case)
    if case.status not in RATEABLE:
        raise invalid("case", _("A case can be rated once it is decided."), "not_decided")
    if Rating.objects.filter(case=case, counter_visit__isnull=True).exists():
        raise invalid("case", _("You have already rated this case."), "already_rated")
    return case


def _rated_visit(person, visit_id) -> CounterVisit:
    visit = (
        CounterVisit.objects.select_for_update(of=("self",))
        .select_related("case")
        .filter(pk=visit_id if str(visit_id).isdigit() else 0)
        .first()
    )
    if visit is None or visit.person_id != person.pk:
        raise invalid("visit", _("There is no such visit of yours to rate."), "unknown_visit")
    if Rating.objects.filter(counter_visit=visit).exists():
        raise invalid("visit", _("You have already rated this visit."), "already_rated")
    return visit


def submit_rating(
    user,
    *,
    case_number: str = "",
    visit_id: int | None = None,
    level,
    scores: dict | None = None,
    comment: str = "",
) -> Rating:
    """The rater's own rating of a decided case, or of a counter visit; once each."""
    if bool(case_number) == (visit_id is not None):
        raise invalid("case", _("Rate either a case or a counter visit."), "case_or_visit")
    level, cleaned_scores, text = _level(level), _scores(scores), _comment(comment)
    person = _rater(user)
    try:
        with transaction.atomic():
            if case_number:
                case, visit = _rated_case(user, person, case_number), None
                department_id, zone_id = case.department_id, case.received_at_zone_id
            else:
                visit = _rated_visit(person, visit_id)
                case = None
                department_id = visit.case.department_id if visit.case else None
                zone_id = visit.zone_id
            rating = Rating.objects.create(
                case=case,
                counter_visit=visit,
                department_id=department_id,
                zone_id=zone_id,
                person=person,
                rated_by=user,
                level=level,
                grade=grade_for(level),
                comment=text,
                submitted_at=timezone.now(),
            )
            RatingScore.objects.bulk_create(
                RatingScore(rating=rating, dimension=d, score=s) for d, s in cleaned_scores.items()
            )
            audit.record(
                "rating_submitted",
                actor=_actor(user),
                obj_type="rating",
                obj_id=rating.pk,
                payload={
                    "case": case.number if case else None,
                    "visit": visit.pk if visit else None,
                    "level": level,
                    "grade": rating.grade,
                    "scores": cleaned_scores,
                    "has_comment": bool(text),
                },
            )
            if rating.grade == RatingGrade.BAD:
                rating_followups.open_follow_up(rating)
    except IntegrityError as error:  # the same rating sent twice at the same moment
        raise invalid("case", _("This has already been rated."), "already_rated") from error
    return rating


def may_rate(user, case: Case) -> bool:
    """Whether ``user`` may rate ``case`` now (for the faces: show the form or not)."""
    person = accounts.person_for(user)
    return (
        person is not None
        and case.applicant_person_id == person.pk
        and case.status in RATEABLE
        and can(user, Action.CASE_RATE, case)
        and not Rating.objects.filter(case=case, counter_visit__isnull=True).exists()
    )


def rating_of_case(user, case_number: str) -> Rating | None:
    """The case's online rating with its scores and follow-up, if ``user`` may see the case."""
    case = Case.objects.filter(number=case_number).first()
    if case is None or not can(user, Action.CASE_VIEW, case):
        raise CaseNotFound(case_number)
    return (
        Rating.objects.select_related("follow_up")
        .prefetch_related("scores")
        .filter(case=case, counter_visit__isnull=True)
        .first()
    )


def rateable_visits(user, *, limit: int = 10) -> list[CounterVisit]:
    """The user's recent counter visits not yet rated (for a "rate your visit" prompt)."""
    person = accounts.person_for(user)
    if person is None:
        return []
    return list(
        CounterVisit.objects.filter(person=person, rating__isnull=True)
        .select_related("zone")
        .order_by("-pk")[: max(1, min(limit, MAX_PAGE))]
    )


# --- Statistics -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Satisfaction:
    """Counted ratings over a period; ``rate`` is good / all (None without ratings)."""

    department_id: int | None
    total: int
    by_level: dict[int, int]
    good: int
    neutral: int
    bad: int

    @property
    def rate(self) -> float | None:
        return self.good / self.total if self.total else None


def _period(start: dt.date, end: dt.date) -> Q:
    for name, day in (("start", start), ("end", end)):
        if not FIRST_DAY <= day <= LAST_DAY:
            raise invalid(
                name,
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": FIRST_DAY.isoformat(), "last": LAST_DAY.isoformat()},
                "out_of_range",
            )
    if end < start:
        raise invalid("end", _("The end of the period is before its start."), "bad_period")
    begin = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    finish = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return Q(submitted_at__gte=begin, submitted_at__lt=finish, status=RatingStatus.COUNTED)


def _aggregates() -> dict:
    counts = {f"level_{level}": Count("pk", filter=Q(level=level)) for level in RatingLevel.values}
    return {"total": Count("pk"), **counts}


def _satisfaction(department_id, row: dict) -> Satisfaction:
    by_level = {level: row.get(f"level_{level}") or 0 for level in RatingLevel.values}
    return Satisfaction(
        department_id=department_id,
        total=row.get("total") or 0,
        by_level=by_level,
        good=by_level[5] + by_level[4],
        neutral=by_level[3],
        bad=by_level[2] + by_level[1],
    )


def _may_see_department(user, department_id) -> bool:
    if can(user, Action.CASE_SUPERVISE):
        return True
    return department_id is not None and department_id in departments_of(user)


def satisfaction(user, start: dt.date, end: dt.date, *, department=None) -> Satisfaction:
    """One department's (or, for supervisors with ``department=None``, everyone's) ratings."""
    department_id = getattr(department, "pk", department)
    if not _may_see_department(user, department_id) or (
        department_id is None and not can(user, Action.CASE_SUPERVISE)
    ):
        raise PermissionDenied(_("You are not allowed to do this."))
    ratings = Rating.objects.filter(_period(start, end))
    if department_id is not None:
        ratings = ratings.filter(department_id=department_id)
    return _satisfaction(department_id, ratings.aggregate(**_aggregates()))


def satisfaction_by_department(user, start: dt.date, end: dt.date) -> list[Satisfaction]:
    """Every department with ratings in the period (one grouped query), best rate first."""
    if not can(user, Action.CASE_SUPERVISE):
        raise PermissionDenied(_("You are not allowed to do this."))
    rows = (
        Rating.objects.filter(_period(start, end), department__isnull=False)
        .values("department_id")
        .annotate(**_aggregates())
        .order_by("department_id")[: len(catalog.list_departments()) + 1]
    )
    results = [_satisfaction(row["department_id"], row) for row in rows]
    return sorted(results, key=lambda s: (-(s.rate or 0), s.department_id))


def bad_ratings(user, *, after: int | None = None, limit: int = 50):
    """Bad ratings newest first, with their follow-ups (supervisors: all; reviewers: theirs)."""
    ratings = Rating.objects.select_related("case", "follow_up", "department", "zone").filter(
        grade=RatingGrade.BAD
    )
    if not can(user, Action.CASE_SUPERVISE):
        mine = departments_of(user)
        if not mine:
            raise PermissionDenied(_("You are not allowed to do this."))
        ratings = ratings.filter(department_id__in=mine)
    if after:
        ratings = ratings.filter(pk__lt=int(after))
    size = max(1, min(int(limit or 50), MAX_PAGE))
    page = list(ratings.order_by("-pk")[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].pk if more else None)
