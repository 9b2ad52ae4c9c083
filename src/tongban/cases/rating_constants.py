"""Vocabularies of 好差评 (citizen ratings, GB/T 39734-2020) and their follow-ups."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    DISSATISFIED = 2, _("Dissatisfied")
    VERY_DISSATISFIED = 1, _("Very dissatisfied")


class RatingGrade(models.TextChoices):
    """4–5 good, 3 neutral, 1–2 bad: what statistics and follow-ups look at."""

    GOOD = "good", _("Good")
    NEUTRAL = "neutral", _("Neutral")
    BAD = "bad", _("Bad")


def grade_for(level: int) -> str:
    if level >= 4:
        return RatingGrade.GOOD
    if level == 3:
        return RatingGrade.NEUTRAL
    return RatingGrade.BAD


class RatingDimension(models.TextChoices):
    ATTITUDE = "attitude", _("Staff attitude")
    SPEED = "speed", _("Speed")
    CLARITY = "clarity", _("Clear information")
    CONVENIENCE = "convenience", _("Convenience")


class RatingStatus(models.TextChoices):
    COUNTED = "counted", _("Counted")
    REMOVED = "removed", _("Removed after an appeal")


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a call-back")
    CALLED_BACK = "called_back", _("Called back")
    RESOLVED = "resolved", _("Outcome given")
    CLOSED = "closed", _("Closed with the applicant's feedback")
    CANCELLED = "cancelled", _("Cancelled: the rating was removed")


# A follow-up still owes the applicant something in these states.
FOLLOW_UP_PENDING = frozenset({FollowUpStatus.OPEN, FollowUpStatus.CALLED_BACK})


class FollowUpOutcome(models.TextChoices):
    FIXED = "fixed", _("Fixed at once")
    LEDGER = "ledger", _("Entered in the problem ledger, with a deadline")
    UNFOUNDED = "unfounded", _("Unfounded, with an explanation")


class ApplicantFeedback(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied with the outcome")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied with the outcome")


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a supervisor")
    UPHELD = "upheld", _("Rating kept")
    REMOVED = "removed", _("Rating removed")
