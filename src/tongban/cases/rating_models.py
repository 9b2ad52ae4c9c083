"""好差评: counter visits, ratings with per-dimension scores, bad-rating follow-ups, appeals."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .rating_constants import (
    FOLLOW_UP_PENDING,
    AppealStatus,
    ApplicantFeedback,
    FollowUpOutcome,
    FollowUpStatus,
    RatingDimension,
    RatingGrade,
    RatingLevel,
    RatingStatus,
)

COMMENT_MAX = 500
NOTE_MAX = 2000


class CounterVisit(models.Model):
    """一次: one visit of a person to a zone counter, recorded by the clerk who served them."""

    zone = models.ForeignKey(
        "catalog.Zone", on_delete=models.PROTECT, related_name="+", verbose_name=_("zone")
    )
    clerk = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("clerk"),
    )
    person = models.ForeignKey(
        "accounts.Person",
        on_delete=models.PROTECT,
        related_name="counter_visits",
        verbose_name=_("visitor"),
    )
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="counter_visits",
        verbose_name=_("case"),
    )
    visited_at = models.DateTimeField(_("visited at"))
    note = models.CharField(_("what was done"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("counter visit")
        verbose_name_plural = _("counter visits")
        indexes = [models.Index(fields=["person", "-id"], name="counter_visit_mine")]

    def __str__(self) -> str:
        return f"{self.zone_id} {self.visited_at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    """好差评: one rating of a case online (一事一评) or of a counter visit (一次一评).

    ``department`` and ``zone`` are copied from what was rated, so the statistics read one
    table. A removed rating (after an appeal) stays, with who removed it, but no longer counts.
    """

    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ratings",
        verbose_name=_("case"),
    )
    counter_visit = models.OneToOneField(
        CounterVisit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rating",
        verbose_name=_("counter visit"),
    )
    department = models.ForeignKey(
        "catalog.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    zone = models.ForeignKey(
        "catalog.Zone",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("zone"),
    )
    person = models.ForeignKey(
        "accounts.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("rated by")
    )
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    level = models.PositiveSmallIntegerField(_("rating"), choices=RatingLevel.choices)
    grade = models.CharField(_("grade"), max_length=8, choices=RatingGrade.choices)
    comment = models.TextField(_("comment"), max_length=COMMENT_MAX, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    status = models.CharField(
        _("status"), max_length=8, choices=RatingStatus.choices, default=RatingStatus.COUNTED
    )
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        indexes = [
            # Statistics: WHERE department AND submitted_at BETWEEN … AND status = counted.
            models.Index(fields=["department", "submitted_at", "status"], name="rating_stats"),
            # The supervisors' list of bad ratings, newest first.
            models.Index(fields=["grade", "-id"], name="rating_by_grade"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(case__isnull=False, counter_visit__isnull=True)
                | Q(case__isnull=True, counter_visit__isnull=False),
                name="rating_of_a_case_or_a_visit",
            ),
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(counter_visit__isnull=True),
                name="rating_one_per_case",
                violation_error_message=_("This case has already been rated."),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="rating_level_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} ({self.grade})"

    @property
    def counts(self) -> bool:
        return self.status == RatingStatus.COUNTED


class RatingScore(models.Model):
    """A score for one dimension of a rating (attitude, speed, …)."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="scores")
    dimension = models.CharField(_("dimension"), max_length=16, choices=RatingDimension.choices)
    score = models.PositiveSmallIntegerField(
        _("score"),
        choices=RatingLevel.choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )

    class Meta:
        verbose_name = _("rating score")
        verbose_name_plural = _("rating scores")
        constraints = [
            models.UniqueConstraint(fields=["rating", "dimension"], name="rating_score_once"),
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5), name="rating_score_1_5"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension}={self.score}"


class RatingFollowUp(models.Model):
    """差评回访整改: the call-back, the outcome and the applicant's view of it, for a bad rating."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="follow_up")
    # Null only when no reviewer of the department and no supervisor exists yet: a supervisor
    # assigns it then (the rating itself is never refused for want of staff).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    opened_at = models.DateTimeField(_("opened at"))
    due = models.DateField(_("due"))
    calendar_warning = models.TextField(_("calendar warning"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=FollowUpOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("what was done or why"), max_length=NOTE_MAX, blank=True)
    ledger_reason = models.TextField(_("ledger reason"), max_length=NOTE_MAX, blank=True)
    ledger_due = models.DateField(_("ledger deadline"), null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome_at = models.DateTimeField(_("outcome given at"), null=True, blank=True)
    feedback = models.CharField(
        _("applicant's feedback"), max_length=16, choices=ApplicantFeedback.choices, blank=True
    )
    feedback_note = models.TextField(_("applicant's comment"), max_length=NOTE_MAX, blank=True)
    feedback_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    reminded_on = models.DateField(_("owner last reminded on"), null=True, blank=True)

    class Meta:
        verbose_name = _("rating follow-up")
        verbose_name_plural = _("rating follow-ups")
        indexes = [
            models.Index(fields=["status", "due", "id"], name="followup_due"),
            models.Index(fields=["owner", "status", "due"], name="followup_mine"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=FollowUpOutcome.LEDGER)
                | (Q(ledger_due__isnull=False) & ~Q(ledger_reason="")),
                name="followup_ledger_has_reason_and_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.pk} ({self.status})"

    @property
    def overdue(self) -> bool:
        """Past its deadline with no outcome yet (the supervisors' screens flag it)."""
        return self.status in FOLLOW_UP_PENDING and self.due < timezone.localdate()


class CallBack(models.Model):
    """回访: one call to the rater — when, by whom, whether they were reached, what was said."""

    follow_up = models.ForeignKey(
        RatingFollowUp, on_delete=models.CASCADE, related_name="call_backs"
    )
    called_at = models.DateTimeField(_("called at"))
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reached = models.BooleanField(_("reached the applicant"), default=True)
    note = models.TextField(_("outcome of the call"), max_length=NOTE_MAX)

    class Meta:
        verbose_name = _("call-back")
        verbose_name_plural = _("call-backs")
        ordering = ["follow_up", "id"]

    def __str__(self) -> str:
        return f"{self.follow_up_id} {self.called_at:%Y-%m-%d}"


class RatingAppeal(models.Model):
    """申诉: a department asks for a mistaken or malicious rating to be removed."""

    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="appeals")
    reason = models.TextField(_("reason"), max_length=NOTE_MAX)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(_("filed at"))
    status = models.CharField(
        _("status"), max_length=8, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision"), max_length=NOTE_MAX, blank=True)

    class Meta:
        verbose_name = _("rating appeal")
        verbose_name_plural = _("rating appeals")
        indexes = [models.Index(fields=["status", "id"], name="rating_appeal_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["rating"],
                condition=Q(status=AppealStatus.PENDING),
                name="rating_one_pending_appeal",
                violation_error_message=_("An appeal against this rating is already waiting."),
            )
        ]

    def __str__(self) -> str:
        return f"appeal {self.pk} ({self.status})"
