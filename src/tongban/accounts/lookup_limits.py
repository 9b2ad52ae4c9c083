"""A budget of person look-ups per staff member, and the alerts supervisors see.

A clerk looks up the person whose document is on the counter: a few an hour. Hundreds in
minutes is someone walking through numbers. Each staff member may look up
``TONGBAN_PERSON_LOOKUPS_PER_HOUR`` persons per clock hour (pages and API share the budget);
the first look-up over it is refused and recorded once as ``staff_lookup_volume_flagged`` on
the audit chain, which the supervision page lists.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import ngettext

from tongban.accounts import trail
from tongban.accounts.permissions import Action, can
from tongban.core import audit, ratelimit

WINDOW_SECONDS = 60 * 60
FLAG_EVENT = "staff_lookup_volume_flagged"


class LookupLimitReached(ValidationError):
    """The staff member used up this hour's look-ups; ``wait`` is the seconds left in it."""

    def __init__(self, wait: int):
        minutes = max(1, (wait + 59) // 60)
        super().__init__(
            ngettext(
                "You have made too many look-ups this hour. Try again in %(minutes)d minute; "
                "your supervisor has been told.",
                "You have made too many look-ups this hour. Try again in %(minutes)d minutes; "
                "your supervisor has been told.",
                minutes,
            )
            % {"minutes": minutes},
            code="rate_limited",
        )
        self.wait = wait


def lookups_per_hour() -> int:
    return int(getattr(settings, "TONGBAN_PERSON_LOOKUPS_PER_HOUR", 60))


def spend_lookup(actor) -> None:
    """Count one look-up by ``actor``; ``LookupLimitReached`` past the hour's budget."""
    limit = lookups_per_hour()
    now = int(time.time())
    window = now // WINDOW_SECONDS
    used = ratelimit.count(f"person-lookup:{actor.pk}:{window}", WINDOW_SECONDS)
    if used <= limit:
        return
    if used == limit + 1:  # the counter is atomic: exactly one request sees this number
        with transaction.atomic():
            trail.record(
                FLAG_EVENT,
                actor,
                "accounts.staff",
                actor.pk,
                limit=limit,
                window_minutes=WINDOW_SECONDS // 60,
            )
    raise LookupLimitReached(max(1, WINDOW_SECONDS - now % WINDOW_SECONDS))


@dataclass(frozen=True)
class VolumeAlert:
    at: dt.datetime
    staff: object | None  # the staff member's user, when it still exists
    staff_id: str
    limit: int
    window_minutes: int


def volume_alerts(viewer, *, limit: int = 20) -> list[VolumeAlert]:
    """The newest flags of unusual look-up volume, for those who may read the audit trail."""
    if not can(viewer, Action.AUDIT_VIEW):
        return []
    events = audit.latest(FLAG_EVENT, limit=limit)
    users = get_user_model()._default_manager.in_bulk(
        [int(event.object_id) for event in events if event.object_id.isdigit()]
    )
    return [
        VolumeAlert(
            at=event.created_at,
            staff=users.get(int(event.object_id)) if event.object_id.isdigit() else None,
            staff_id=event.object_id,
            limit=int(event.payload.get("limit", 0)),
            window_minutes=int(event.payload.get("window_minutes", 0)),
        )
        for event in events
    ]
