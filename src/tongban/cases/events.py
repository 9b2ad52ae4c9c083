"""A case's timeline and audit trail, and the small pieces every case operation shares.

``record_event`` writes the timeline row and the audit event in the caller's transaction and
queues the notification for after the commit; ``locked_case`` is the row lock every change
takes; ``today`` is the one clock the deadline code reads (tests replace it).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.permissions import Action, can
from tongban.core import audit

from .constants import CaseAction
from .models import Case, CaseEvent

MAX_TEXT = 4000
MAX_FILES_AUDITED = 30  # an audit payload holds at most 4 KB


class CaseNotFound(LookupError):
    """No case with this number that the user may see."""


def invalid(field_name: str, message: str, code: str) -> ValidationError:
    return ValidationError({field_name: ValidationError(message, code=code)})


def actor_label(actor) -> str:
    if actor is None:
        return "task:sweep_deadlines"
    return f"user:{actor.pk}"


def today() -> dt.date:
    return timezone.localdate()


def locked_case(actor, number: str) -> Case:
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("item", "department", "applicant_person", "received_at_zone")
        .filter(number=number)
        .first()
    )
    if case is None or (actor is not None and not can(actor, Action.CASE_VIEW, case)):
        raise CaseNotFound(number)
    return case


def record_event(
    case: Case,
    action: str,
    actor,
    *,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    reasons: str = "",
    data: dict | None = None,
    audit_verb: str | None,
    notify: bool = True,
) -> CaseEvent:
    """Timeline row + audit row in the caller's transaction; the notification after commit.

    ``audit_verb=None`` writes the timeline only (a file added to a draft: its hash goes into
    the audit trail with the submission that hands it in, see ``services.submit``).
    """
    event = CaseEvent.objects.create(
        case=case,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_label="" if actor is not None else actor_label(None),
        at=timezone.now(),
        note=note,
        reasons=reasons,
        data=data or {},
    )
    if audit_verb is not None:
        audit.record(
            f"case_{audit_verb}",
            actor=actor_label(actor),
            obj_type="case",
            obj_id=case.number,
            payload={"from": from_status, "to": to_status, "event": event.pk, **(data or {})},
        )
    if notify:
        from .tasks import notify_case_event

        transaction.on_commit(lambda: notify_case_event.enqueue(event.pk))
    return event


def handed_in(case: Case, supplement_round: int = 0) -> list[list]:
    """[[attachment id, SHA-256], …] of one round's files: what the audit trail vouches for."""
    files = case.attachments.filter(supplement_round=supplement_round).order_by("pk")
    return [list(pair) for pair in files.values_list("pk", "sha256")[:MAX_FILES_AUDITED]]


def note_calendar_warnings(case: Case, warnings: tuple[str, ...], actor) -> None:
    """An unpublished holiday schedule is shown on the case and in its timeline, never silent."""
    new = [w for w in warnings if w not in case.calendar_warning]
    if not new:
        return
    case.calendar_warning = "\n".join(filter(None, [case.calendar_warning, *new]))
    record_event(
        case,
        CaseAction.CALENDAR_WARNING,
        actor,
        note="\n".join(new),
        audit_verb="calendar_warning",
        notify=False,
    )


def _text(value: str | None, field_name: str, *, required: bool, message: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise invalid(field_name, message or _("This field is required."), "required")
    if len(text) > MAX_TEXT:
        raise invalid(
            field_name,
            _("Keep this under %(limit)d characters.") % {"limit": MAX_TEXT},
            "too_long",
        )
    return text
