"""Who may do what: one policy table, role × action → scope, and the object-level rules.

``can(user, action, obj=None)`` answers; ``require(user, action, obj=None)`` raises
``PermissionDenied``. Without ``obj`` the question is "may this user ever do this" (to show a
menu entry or a staff page); with ``obj`` the scope decides:

- ``OWN``: the object belongs to the user's person; or it belongs to a company and the person
  holds a valid authorisation for it in a scope that ``COMPANY_SCOPES`` lists for the action
  (the same table for pages and the API: a company's object is never the person's own, even
  for the person who started it);
- ``ZONE``: the object was received at (or the person registered at) the clerk's zone;
- ``DEPARTMENT``: the object belongs to the reviewer's department;
- ``ALL``: any object.

Other apps' objects take part by attributes: ``person_id`` / ``applicant_person_id`` and
``company_id`` / ``applicant_company_id`` for ownership, ``received_at_zone_id`` (or
``zone_id``) for zones, ``department_id`` for departments. Missing attributes deny.

Identifier numbers are shown in full only to their holder (``identifier.view_full``): no staff
role needs more than the masked form, because a clerk confirms a document by typing the
number the applicant shows, which is matched by its keyed hash.
"""

from __future__ import annotations

import enum

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.constants import APPLICANT, AuthorisationScope, Role


class Scope(enum.StrEnum):
    OWN = "own"
    ZONE = "zone"
    DEPARTMENT = "department"
    ALL = "all"


class Action(enum.StrEnum):
    PERSON_VIEW = "person.view"
    PERSON_EDIT = "person.edit"
    PERSON_CREATE = "person.create"  # at the counter, for someone without an account
    PERSON_LOOKUP = "person.lookup"  # find by document number
    PERSON_EXPORT = "person.export"
    PERSON_REQUEST_DELETION = "person.request_deletion"
    IDENTIFIER_VIEW_FULL = "identifier.view_full"
    DOCUMENT_ADD = "document.add"
    DOCUMENT_REMOVE = "document.remove"
    COMPANY_VIEW = "company.view"
    COMPANY_CREATE = "company.create"
    COMPANY_AUTHORISE = "company.authorise"
    CONSENT_GIVE = "consent.give"
    CONSENT_WITHDRAW = "consent.withdraw"
    CONSENT_VIEW = "consent.view"
    CASE_VIEW = "case.view"
    CASE_SUBMIT = "case.submit"
    CASE_REVIEW = "case.review"
    CASE_WITHDRAW = "case.withdraw"
    CASE_CHOOSE_DELIVERY = "case.choose_delivery"
    CASE_RATE = "case.rate"
    CASE_DELIVER = "case.deliver"
    CASE_SUPERVISE = "case.supervise"  # deadlines and overdue lists across departments
    CATALOG_EDIT = "catalog.edit"
    AUDIT_VIEW = "audit.view"
    DATA_REQUEST_PROCESS = "data_request.process"
    STAFF_MANAGE = "staff.manage"


A = APPLICANT
CLERK = Role.ZONE_CLERK
REVIEWER = Role.DEPARTMENT_REVIEWER
SUPERVISOR = Role.SUPERVISOR
EDITOR = Role.CATALOG_EDITOR
AUDITOR = Role.AUDITOR
ADMIN = Role.ADMINISTRATOR
OWN, ZONE, DEPT, ALL = Scope.OWN, Scope.ZONE, Scope.DEPARTMENT, Scope.ALL

# action → {role: scope}; a role missing from an entry is denied.
POLICY: dict[Action, dict[str, Scope]] = {
    # A clerk opens persons registered at their zone; anyone else only through a document
    # lookup (services.counter_lookup), so ids cannot be walked to list every applicant.
    Action.PERSON_VIEW: {A: OWN, CLERK: ZONE, SUPERVISOR: ALL, AUDITOR: ALL, ADMIN: ALL},
    Action.PERSON_EDIT: {A: OWN, CLERK: ZONE, ADMIN: ALL},
    Action.PERSON_CREATE: {CLERK: ALL, ADMIN: ALL},
    Action.PERSON_LOOKUP: {CLERK: ALL, SUPERVISOR: ALL, ADMIN: ALL},
    Action.PERSON_EXPORT: {A: OWN, ADMIN: ALL},
    Action.PERSON_REQUEST_DELETION: {A: OWN},
    Action.IDENTIFIER_VIEW_FULL: {A: OWN},
    Action.DOCUMENT_ADD: {A: OWN, CLERK: ZONE, ADMIN: ALL},
    Action.DOCUMENT_REMOVE: {A: OWN, ADMIN: ALL},
    Action.COMPANY_VIEW: {A: OWN, CLERK: ALL, SUPERVISOR: ALL, AUDITOR: ALL, ADMIN: ALL},
    Action.COMPANY_CREATE: {A: ALL, CLERK: ALL, ADMIN: ALL},
    Action.COMPANY_AUTHORISE: {A: OWN, ADMIN: ALL},
    # A clerk records consent given in person (on paper) by someone registered at their zone.
    Action.CONSENT_GIVE: {A: OWN, CLERK: ZONE},
    Action.CONSENT_WITHDRAW: {A: OWN},
    Action.CONSENT_VIEW: {
        A: OWN,
        CLERK: ALL,
        REVIEWER: ALL,
        SUPERVISOR: ALL,
        AUDITOR: ALL,
        ADMIN: ALL,
    },
    Action.CASE_VIEW: {
        A: OWN,
        CLERK: ZONE,
        REVIEWER: DEPT,
        SUPERVISOR: ALL,
        AUDITOR: ALL,
        ADMIN: ALL,
    },
    Action.CASE_SUBMIT: {A: OWN, CLERK: ZONE},
    Action.CASE_REVIEW: {REVIEWER: DEPT, SUPERVISOR: ALL},
    Action.CASE_WITHDRAW: {A: OWN, CLERK: ZONE},
    # A clerk records the choice for someone at the counter of their zone.
    Action.CASE_CHOOSE_DELIVERY: {A: OWN, CLERK: ZONE},
    Action.CASE_RATE: {A: OWN},
    Action.CASE_DELIVER: {CLERK: ZONE, REVIEWER: DEPT, SUPERVISOR: ALL},
    Action.CASE_SUPERVISE: {SUPERVISOR: ALL, AUDITOR: ALL, ADMIN: ALL},
    Action.CATALOG_EDIT: {EDITOR: ALL, ADMIN: ALL},
    Action.AUDIT_VIEW: {SUPERVISOR: ALL, AUDITOR: ALL, ADMIN: ALL},
    Action.DATA_REQUEST_PROCESS: {ADMIN: ALL},
    Action.STAFF_MANAGE: {ADMIN: ALL},
}

# action → the authorisation scopes that let a person do it for a company (scope ``OWN`` on a
# company's object). An action missing here is never done for a company. The case actions:
# whoever applies (``apply``) follows the whole application; whoever only receives results
# (``receive_results``) sees the case, its files and letters, chooses how the result reaches
# the company and rates the service, but never edits, submits, supplements or withdraws it.
# ``certificates`` concerns self-service certificates, not cases. ``manage`` is in every row:
# a manager may grant themselves any scope, so refusing them would only be a detour.
APPLY, RESULTS, MANAGE = (
    AuthorisationScope.APPLY,
    AuthorisationScope.RECEIVE_RESULTS,
    AuthorisationScope.MANAGE,
)
COMPANY_SCOPES: dict[Action, frozenset[str]] = {
    Action.COMPANY_VIEW: frozenset(AuthorisationScope.values),
    Action.COMPANY_AUTHORISE: frozenset({MANAGE}),
    # The case, its timeline, uploaded files, letters (vouchers, decisions), delivery, rating.
    Action.CASE_VIEW: frozenset({APPLY, RESULTS, MANAGE}),
    # Start a draft, edit its form, upload files, submit, hand in supplements.
    Action.CASE_SUBMIT: frozenset({APPLY, MANAGE}),
    Action.CASE_WITHDRAW: frozenset({APPLY, MANAGE}),
    Action.CASE_CHOOSE_DELIVERY: frozenset({APPLY, RESULTS, MANAGE}),
    Action.CASE_RATE: frozenset({APPLY, RESULTS, MANAGE}),
}


def company_scopes(action: Action | str) -> frozenset[str]:
    """The authorisation scopes that let a person do ``action`` for a company (maybe none)."""
    return COMPANY_SCOPES.get(Action(action), frozenset())


def _assignments(user) -> list:
    cached = getattr(user, "_tongban_assignments", None)
    if cached is None:
        cached = list(user.staff_assignments.all()) if user.pk else []
        user._tongban_assignments = cached
    return cached


def forget_cached_roles(user) -> None:
    user.__dict__.pop("_tongban_assignments", None)
    user.__dict__.pop("_tongban_person", None)


def roles_of(user) -> set[str]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    roles = {assignment.role for assignment in _assignments(user)}
    # Anyone with a profile acts for themselves; an account without one (often staff) doesn't.
    if _person_id(user) is not None:
        roles.add(APPLICANT)
    return roles


def _person_id(user) -> int | None:
    person = getattr(user, "_tongban_person", None)
    if person is None:
        from tongban.accounts.applicants import Person

        person = Person.objects.filter(user=user).only("pk").first() or False
        user._tongban_person = person
    return person.pk if person else None


def _owners(obj) -> tuple[int | None, int | None]:
    """(person id, company id) an object belongs to."""
    from tongban.accounts.applicants import Company, Person

    if isinstance(obj, Person):
        return obj.pk, None
    if isinstance(obj, Company):
        return None, obj.pk
    person_id = getattr(obj, "person_id", None) or getattr(obj, "applicant_person_id", None)
    company_id = getattr(obj, "company_id", None) or getattr(obj, "applicant_company_id", None)
    return person_id, company_id


def _acts_for(person_id: int, company_id: int, scopes=None) -> bool:
    """Whether the person holds a valid authorisation for the company (in one of ``scopes``)."""
    from tongban.accounts.applicants import Authorisation, valid_authorisations

    authorisations = Authorisation.objects.filter(
        valid_authorisations(timezone.now()), person_id=person_id, company_id=company_id
    )
    if scopes is not None:
        authorisations = authorisations.filter(scope__in=scopes)
    return authorisations.exists()


def _zone_of(obj) -> int | None:
    from tongban.accounts.applicants import Person

    if isinstance(obj, Person):
        return obj.registered_at_zone_id
    return getattr(obj, "received_at_zone_id", None) or getattr(obj, "zone_id", None)


def _within(user, action: Action, role: str, scope: Scope, obj) -> bool:
    if scope == Scope.ALL:
        return True
    if scope == Scope.OWN:
        mine = _person_id(user)
        if mine is None:
            return False
        person_id, company_id = _owners(obj)
        if company_id is not None:
            needed = company_scopes(action)
            return bool(needed) and _acts_for(mine, company_id, needed)
        return person_id is not None and person_id == mine
    bound = [a for a in _assignments(user) if a.role == role]
    if scope == Scope.ZONE:
        zone_id = _zone_of(obj)
        return zone_id is not None and any(a.zone_id == zone_id for a in bound)
    if scope == Scope.DEPARTMENT:
        department_id = getattr(obj, "department_id", None)
        return department_id is not None and any(a.department_id == department_id for a in bound)
    return False


def can(user, action: Action | str, obj=None) -> bool:
    action = Action(action)
    rules = POLICY[action]
    roles = roles_of(user)
    if not roles:
        return False
    for role in roles & rules.keys():
        if obj is None or _within(user, action, role, rules[role], obj):
            return True
    return False


def can_as_applicant(user, action: Action | str, obj) -> bool:
    """``can`` for the user acting for themselves or a company, whatever staff roles they hold
    (the applicant's pages: a clerk's zone does not make a case theirs)."""
    action = Action(action)
    scope = POLICY[action].get(APPLICANT)
    return (
        scope is not None
        and APPLICANT in roles_of(user)
        and _within(user, action, APPLICANT, scope, obj)
    )


def companies_for(user, action: Action | str) -> list[int]:
    """Ids of the companies the user may do ``action`` for now (their applicant-side lists)."""
    from tongban.accounts.applicants import (  # noqa: I001  (lazy like _acts_for: models load later)
        Authorisation,
        valid_authorisations,
    )

    mine = _person_id(user) if APPLICANT in roles_of(user) else None
    needed = company_scopes(action)
    if mine is None or not needed or APPLICANT not in POLICY[Action(action)]:
        return []
    return sorted(
        set(
            Authorisation.objects.filter(
                valid_authorisations(timezone.now()), person_id=mine, scope__in=needed
            ).values_list("company_id", flat=True)
        )
    )


def refusal_message(user, obj) -> str:
    """Why not: a company's agent hears that their authorisation does not reach this far."""
    _person, company_id = _owners(obj) if obj is not None else (None, None)
    mine = _person_id(user) if getattr(user, "is_authenticated", False) else None
    if company_id is not None and mine is not None and _acts_for(mine, company_id):
        return _("Your authorisation to act for this company does not allow this.")
    return _("You are not allowed to do this.")


def require(user, action: Action | str, obj=None) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(refusal_message(user, obj))


def sees_full_identifiers(user, person) -> bool:
    return can(user, Action.IDENTIFIER_VIEW_FULL, person)


def zones_of(user) -> list[int]:
    return [a.zone_id for a in _assignments(user) if a.role == Role.ZONE_CLERK]


def departments_of(user) -> list[int]:
    return [a.department_id for a in _assignments(user) if a.role == Role.DEPARTMENT_REVIEWER]


def is_staff_member(user) -> bool:
    return bool(roles_of(user) - {APPLICANT})
