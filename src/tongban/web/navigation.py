"""Each signed-in person's own places, for the header of every page and the landing after
sign-in. A place is listed only when its page would open for this person: no header link
ever leads to a 404."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongban.accounts import services as accounts
from tongban.cases import services as cases
from tongban.notifications import services as notifications


@dataclass(frozen=True)
class Place:
    key: str
    label: str
    url: str
    count: int | None = None  # e.g. unread messages


def _is_applicant(user) -> bool:
    return not accounts.is_staff_member(user) and not user.is_superuser


def places_for(user) -> list[Place]:
    if not getattr(user, "is_authenticated", False):
        return []
    places: list[Place] = []
    if _is_applicant(user):
        places += [
            Place("home", _("My home"), reverse("web:my_home")),
            Place("cases", _("My cases"), reverse("cases:mine")),
            Place("certificates", _("Certificates"), reverse("certificates:home")),
        ]
    else:
        if cases.counter_zones(user):
            places.append(Place("counter", _("Counter"), reverse("cases:counter")))
        if accounts.can(user, accounts.Action.CASE_REVIEW):
            places.append(Place("queue", _("Queue"), reverse("cases:queue")))
        if accounts.can(user, accounts.Action.CASE_SUPERVISE):
            places.append(Place("supervision", _("Supervision"), reverse("cases:supervision")))
        if user.is_staff or accounts.works_in_admin(user):
            places.append(Place("admin", _("Administration"), reverse("admin:index")))
    places.append(
        Place("inbox", _("Inbox"), reverse("notifications:inbox"), notifications.unread_count(user))
    )
    if _is_applicant(user):
        places.append(Place("profile", _("My profile"), reverse("accounts:profile")))
    return places


def landing_for(user) -> str:
    """Where a person's work is: applicants their home, clerks the counter, reviewers the
    queue, supervisors supervision."""
    by_key = {place.key: place.url for place in places_for(user)}
    for key in ("home", "counter", "supervision", "queue", "admin"):
        if key in by_key:
            return by_key[key]
    return reverse("web:home")
