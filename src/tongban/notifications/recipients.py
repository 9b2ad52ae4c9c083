"""Who a message goes to: a user with an inbox, a person (perhaps without an account), or both.

A person registered at a counter may have no account: they get e-mail and SMS but no inbox.
The language is the person's preferred one when there is a person, else the user's.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from tongban.accounts.constants import Role
from tongban.accounts.models import Person, StaffAssignment
from tongban.accounts.user import Language


@dataclass(frozen=True)
class Recipient:
    user: object | None
    person: Person | None

    @property
    def key(self) -> str:
        if self.person is not None:
            return f"person:{self.person.pk}"
        return f"user:{self.user.pk}"

    @property
    def language(self) -> str:
        for holder in (self.person, self.user):
            language = getattr(holder, "preferred_language", "")
            if language in Language.values:
                return language
        return settings.LANGUAGE_CODE

    @property
    def email(self) -> str:
        return (getattr(self.person, "email", "") or getattr(self.user, "email", "") or "").strip()

    @property
    def phone(self) -> str:
        return (getattr(self.person, "phone", "") or getattr(self.user, "phone", "") or "").strip()


def recipient(who) -> Recipient | None:
    """A Recipient for a user, a person or a Recipient; None for nobody (an inactive user)."""
    if who is None or isinstance(who, Recipient):
        return who
    if isinstance(who, Person):
        user = who.user if who.user_id else None
        if user is not None and not user.is_active:
            user = None
        return Recipient(user=user, person=who)
    if not getattr(who, "is_active", False):
        return None
    person = Person.objects.filter(user=who).first()
    return Recipient(user=who, person=person)


def recipients(people) -> list[Recipient]:
    """Each distinct recipient once, in the order given."""
    seen, result = set(), []
    for who in people:
        found = recipient(who)
        if found is not None and found.key not in seen:
            seen.add(found.key)
            result.append(found)
    return result


def department_reviewers(department_id: int | None) -> list:
    """The active reviewers of a department (staff told about its deadlines)."""
    if department_id is None:
        return []
    assignments = (
        StaffAssignment.objects.filter(
            role=Role.DEPARTMENT_REVIEWER, department_id=department_id, user__is_active=True
        )
        .select_related("user")
        .order_by("user_id")[:50]
    )
    return [assignment.user for assignment in assignments]
