"""The public status of a case, for people without an account: by case number and the status
code printed on their receipt. Masked data only; guessing is rate-limited per client and per
case, and a wrong number and a wrong code get the same answer.

Claiming: a person registered at a counter who later signs up attaches that profile (and so
all their counter cases) to the new account with the same number and code.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from django.db import transaction
from django.utils.translation import gettext as _

from tongban.accounts import services as accounts
from tongban.core import ratelimit

from .models import Case
from .running_clock import RunningClock
from .status_codes import code_matches

log = structlog.get_logger("tongban.cases")

PER_CLIENT = 20  # look-ups per client address per window
PER_CASE = 10  # wrong or right, per case number per window
WINDOW_SECONDS = 600


class StatusRefused(Exception):
    """``message`` is translated and safe to show; ``wait`` is set when rate-limited."""

    def __init__(self, message: str, *, wait: int = 0):
        self.message, self.wait = message, wait
        super().__init__(message)


@dataclass(frozen=True)
class PublicStatus:
    number: str
    item: str
    department: str
    status: str
    tone: str
    clock: RunningClock
    submitted_at: object
    applicant: str  # masked
    has_account: bool


def mask_name(name: str) -> str:
    """陈大文 → 陈*文, Chan Tai Man → C*** T** M**: enough to recognise, not to identify."""
    if not name:
        return ""
    if name.isascii():
        return " ".join(word[0] + "*" * (len(word) - 1) for word in name.split())
    return name[0] + "*" * max(1, len(name) - 2) + (name[-1] if len(name) > 1 else "")


def _spend(client: str, number: str) -> None:
    for bucket, key, limit in (
        ("status-client", client, PER_CLIENT),
        ("status-case", number, PER_CASE),
    ):
        wait = ratelimit.wait_seconds(bucket, key, limit=limit, window_seconds=WINDOW_SECONDS)
        if wait:
            raise StatusRefused(
                _("Too many attempts. Try again in %(minutes)d minutes.")
                % {"minutes": max(1, wait // 60)},
                wait=wait,
            )


def _checked_case(number: str, code: str, client: str) -> Case:
    number = (number or "").strip().upper()[:20]
    _spend(client, number)
    case = (
        Case.objects.select_related("item", "department", "applicant_person")
        .filter(number=number)
        .first()
    )
    if case is None or not code_matches(case, code):
        log.info("case_status_refused", reason="no_match")
        raise StatusRefused(
            _("No case matches this number and status code. Check both on your receipt.")
        )
    return case


def public_status(number: str, code: str, *, client: str) -> PublicStatus:
    case = _checked_case(number, code, client)
    person = case.applicant_person
    return PublicStatus(
        number=case.number,
        item=case.item.localized("name"),
        department=case.department.localized("name"),
        status=case.get_status_display(),
        tone=case.clock.tone,
        clock=case.clock,
        submitted_at=case.submitted_at,
        applicant=mask_name(person.name_zh or person.name_en),
        has_account=person.user_id is not None,
    )


def claim_counter_case(user, number: str, code: str, *, client: str) -> Case:
    """Attaches the profile a clerk registered for this case's applicant to ``user``."""
    case = _checked_case(number, code, client)
    with transaction.atomic():
        accounts.claim_person(user, case.applicant_person, evidence=f"case:{case.number}")
    return case
