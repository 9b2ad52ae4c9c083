"""申诉 (§7): a department appeals a rating; a supervisor upholds it or removes it.

A reviewer of the rated department files an appeal with a reason (one waiting at a time); a
supervisor decides, with reasons. A removed rating stops counting in statistics and its pending
follow-up is cancelled, but the rating itself is never deleted: the audit trail keeps both.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.constants import Role
from tongban.accounts.permissions import Action, can, departments_of, roles_of
from tongban.core import audit

from .rating_constants import FOLLOW_UP_PENDING, AppealStatus, FollowUpStatus, RatingStatus
from .rating_followups import FollowUpNotFound, WrongState, _actor, _note, may_handle
from .rating_models import Rating, RatingAppeal, RatingFollowUp

MAX_PAGE = 100


def file_appeal(user, rating_id, *, reason: str) -> RatingAppeal:
    """申诉: a reviewer of the rated department asks for the rating to be removed."""
    with transaction.atomic():
        rating = (
            Rating.objects.select_for_update()
            .filter(pk=rating_id if str(rating_id).isdigit() else 0)
            .first()
        )
        if rating is None or not may_handle(user, rating):
            raise FollowUpNotFound(rating_id)
        if rating.department_id is None or rating.department_id not in departments_of(user):
            raise PermissionDenied(_("Only the rated department can appeal a rating."))
        if rating.status != RatingStatus.COUNTED:
            raise WrongState(_("This rating has already been removed."))
        text = _note(reason, "reason", required=True, message=_("Give the reason for the appeal."))
        if rating.appeals.filter(status=AppealStatus.PENDING).exists():
            raise WrongState(_("An appeal against this rating is already waiting."))
        try:
            with transaction.atomic():
                appeal = RatingAppeal.objects.create(
                    rating=rating, reason=text, filed_by=user, filed_at=timezone.now()
                )
        except IntegrityError as error:
            raise WrongState(_("An appeal against this rating is already waiting.")) from error
        audit.record(
            "rating_appeal_filed",
            actor=_actor(user),
            obj_type="rating",
            obj_id=rating.pk,
            payload={"appeal": appeal.pk},
        )
    return appeal


def decide_appeal(user, appeal_id, *, remove: bool, note: str) -> RatingAppeal:
    """A supervisor upholds the rating or removes it (kept on record, no longer counted)."""
    if Role.SUPERVISOR not in roles_of(user):
        raise PermissionDenied(_("Only a supervisor decides appeals."))
    with transaction.atomic():
        appeal = (
            RatingAppeal.objects.select_for_update()
            .filter(pk=appeal_id if str(appeal_id).isdigit() else 0)
            .first()
        )
        if appeal is None:
            raise FollowUpNotFound(appeal_id)
        if appeal.status != AppealStatus.PENDING:
            raise WrongState(_("This appeal has already been decided."))
        text = _note(note, "note", required=True, message=_("Give the reasons for the decision."))
        rating = Rating.objects.select_for_update().get(pk=appeal.rating_id)
        now = timezone.now()
        appeal.status = AppealStatus.REMOVED if remove else AppealStatus.UPHELD
        appeal.decided_by, appeal.decided_at, appeal.decision_note = user, now, text
        appeal.save()
        audit.record(
            "rating_appeal_decided",
            actor=_actor(user),
            obj_type="rating",
            obj_id=rating.pk,
            payload={"appeal": appeal.pk, "decision": appeal.status},
        )
        if remove:
            rating.status, rating.removed_at = RatingStatus.REMOVED, now
            rating.save(update_fields=["status", "removed_at"])
            RatingFollowUp.objects.filter(rating=rating, status__in=FOLLOW_UP_PENDING).update(
                status=FollowUpStatus.CANCELLED
            )
            audit.record(
                "rating_removed",
                actor=_actor(user),
                obj_type="rating",
                obj_id=rating.pk,
                payload={"appeal": appeal.pk},
            )
    return appeal


def pending_appeals(user, *, after: int | None = None, limit: int = 50):
    """Appeals waiting for a supervisor, oldest first."""
    if not can(user, Action.CASE_SUPERVISE) or Role.SUPERVISOR not in roles_of(user):
        raise PermissionDenied(_("You are not allowed to do this."))
    rows = RatingAppeal.objects.select_related("rating", "rating__case").filter(
        status=AppealStatus.PENDING
    )
    if after:
        rows = rows.filter(pk__gt=int(after))
    size = max(1, min(int(limit or 50), MAX_PAGE))
    page = list(rows.order_by("pk")[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].pk if more else None)
