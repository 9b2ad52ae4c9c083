"""The one table of a case's allowed transitions: action → from-states, to-state, who.

Every state change goes through ``services`` which looks its action up here, so the table is
the life cycle (DOMAIN.md §3, Administrative Licensing Law Arts. 32, 42, 45):

    draft → submitted → (refused | supplement_requested → submitted) → accepted → in_review
    [⇄ special_procedure, clock paused] → approved | denied → delivered → closed;
    withdrawn by the applicant before a decision; on-the-spot items decided at acceptance.

A supplement request may also come during review (the clock pauses until the papers arrive);
``resubmit`` then returns the case to review rather than to the acceptance desk.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tongban.accounts.permissions import Action as Permission

from .constants import CaseAction as A
from .constants import CaseStatus as S


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state does not change (an extension)
    permission: Permission
    audit_verb: str  # the audit event is ``case_<audit_verb>``


BEFORE_DECISION = frozenset(
    {S.DRAFT, S.SUBMITTED, S.SUPPLEMENT_REQUESTED, S.ACCEPTED, S.IN_REVIEW, S.SPECIAL_PROCEDURE}
)
REVIEWING = frozenset({S.ACCEPTED, S.IN_REVIEW})


def _t(action, sources, target, permission, verb) -> tuple[str, Transition]:
    return action, Transition(action, frozenset(sources), target, permission, verb)


TABLE: dict[str, Transition] = dict(
    [
        _t(A.SUBMIT, {S.DRAFT}, S.SUBMITTED, Permission.CASE_SUBMIT, "submitted"),
        _t(
            A.REQUEST_SUPPLEMENT,
            {S.SUBMITTED, S.IN_REVIEW},
            S.SUPPLEMENT_REQUESTED,
            Permission.CASE_REVIEW,
            "supplement_requested",
        ),
        # → submitted, or back to in_review when the request came during review.
        _t(
            A.RESUBMIT, {S.SUPPLEMENT_REQUESTED}, S.SUBMITTED, Permission.CASE_SUBMIT, "resubmitted"
        ),
        _t(A.ACCEPT, {S.SUBMITTED}, S.ACCEPTED, Permission.CASE_REVIEW, "accepted"),
        _t(
            A.ACCEPT_AND_DECIDE,
            {S.SUBMITTED},
            S.APPROVED,
            Permission.CASE_REVIEW,
            "accepted_and_decided",
        ),
        _t(A.REFUSE, {S.SUBMITTED}, S.REFUSED, Permission.CASE_REVIEW, "refused"),
        _t(A.START_REVIEW, {S.ACCEPTED}, S.IN_REVIEW, Permission.CASE_REVIEW, "review_started"),
        _t(
            A.BEGIN_SPECIAL_PROCEDURE,
            {S.IN_REVIEW},
            S.SPECIAL_PROCEDURE,
            Permission.CASE_REVIEW,
            "special_procedure_begun",
        ),
        _t(
            A.END_SPECIAL_PROCEDURE,
            {S.SPECIAL_PROCEDURE},
            S.IN_REVIEW,
            Permission.CASE_REVIEW,
            "special_procedure_ended",
        ),
        _t(
            A.EXTEND,
            {S.ACCEPTED, S.IN_REVIEW, S.SPECIAL_PROCEDURE},
            None,
            Permission.CASE_REVIEW,
            "extended",
        ),
        _t(A.APPROVE, REVIEWING, S.APPROVED, Permission.CASE_REVIEW, "approved"),
        _t(A.DENY, REVIEWING, S.DENIED, Permission.CASE_REVIEW, "denied"),
        _t(A.DELIVER, {S.APPROVED, S.DENIED}, S.DELIVERED, Permission.CASE_DELIVER, "delivered"),
        _t(A.CLOSE, {S.DELIVERED, S.REFUSED}, S.CLOSED, Permission.CASE_REVIEW, "closed"),
        _t(A.WITHDRAW, BEFORE_DECISION, S.WITHDRAWN, Permission.CASE_WITHDRAW, "withdrawn"),
    ]
)
# Done by the deadline sweep, not by a person: Art. 32's acceptance by operation of law.
DEEMED_ACCEPTANCE = Transition(
    A.DEEMED_ACCEPTANCE, frozenset({S.SUBMITTED}), S.ACCEPTED, Permission.CASE_REVIEW, "accepted"
)


class IllegalTransition(Exception):
    """An action that the case's current state does not allow; ``message`` is translated."""

    def __init__(self, action: str, status: str):
        self.action = action
        self.status = status
        labels = dict(A.choices)
        self.message = _("This case is “%(status)s”: “%(action)s” is not possible now.") % {
            "status": dict(S.choices).get(status, status),
            "action": labels.get(action, action),
        }
        super().__init__(self.message)


def transition_for(action: str, status: str) -> Transition:
    """The transition ``action`` from ``status``; ``IllegalTransition`` when the table has none."""
    transition = TABLE.get(action)
    if transition is None and action == A.DEEMED_ACCEPTANCE:
        transition = DEEMED_ACCEPTANCE
    if transition is None or status not in transition.sources:
        raise IllegalTransition(action, status)
    return transition


def allowed_actions(status: str) -> list[str]:
    """The actions the table allows from ``status`` (before any permission check)."""
    return [action for action, t in TABLE.items() if status in t.sources]
