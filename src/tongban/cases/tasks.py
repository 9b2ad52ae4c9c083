"""Background work of cases: notifications, letters and the deadline sweep.

All three are enqueued after the transaction that caused them commits, so a rolled-back
transition never notifies anyone; each is safe to run twice.
"""

from __future__ import annotations

import structlog
from django_tasks import task

log = structlog.get_logger("tongban.cases")


@task()
def notify_case_event(event_id: int) -> dict:
    """Hands one timeline event to every registered notifier (``hooks.case_notifiers``)."""
    from .hooks import case_notifiers
    from .models import CaseEvent

    event = CaseEvent.objects.select_related("case").filter(pk=event_id).first()
    if event is None:
        return {"status": "gone"}
    if not len(case_notifiers):
        log.info("case_notification_skipped", case_event=event_id, reason="no notifier registered")
        return {"status": "no_notifier"}
    for name, notifier in case_notifiers.items():
        notifier(event)
        log.info("case_notification_sent", case_event=event_id, notifier=name)
    return {"status": "sent", "notifiers": case_notifiers.names()}


@task()
def issue_case_letter(case_id: int, letter_kind: str) -> dict:
    """Issues the letter a transition owes (acceptance, refusal, supplement notice, decision)."""
    from .hooks import letter_builders
    from .models import Case

    try:
        from tongban.documents import services as documents
    except ImportError:  # a deployment without the documents app
        log.warning("case_letter_pending", case=case_id, kind=letter_kind, reason="no documents")
        return {"status": "no_documents_app"}
    if letter_kind not in letter_builders:
        log.warning("case_letter_pending", case=case_id, kind=letter_kind, reason="no builder")
        return {"status": "no_builder"}
    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return {"status": "gone"}
    document = letter_builders.get(letter_kind)(case, letter_kind, documents)
    return {"status": "issued", "number": getattr(document, "number", None)}


@task()
def sweep_deadlines() -> dict:
    """Deemed acceptances and deadline flags; run periodically (``tongban cases sweep``)."""
    from .sweep import sweep

    return sweep().as_dict()
