"""Sending one delivery, retrying with a cap, and the sweep of interrupted sendings.

Guarantee: **at most once** per delivery, with retries only where nothing went out.

- ``send`` marks the row ``sending`` under a row lock *and commits* before it talks to the
  channel; a second run of the task (a retry, a duplicate enqueue) finds ``sending`` or
  ``sent`` and does nothing. So a task run twice never sends twice.
- A channel error means "not sent": the row goes back to ``queued`` with a backoff
  (``TONGBAN_NOTIFICATION_RETRY_SECONDS`` doubled per attempt, at most one hour) until
  ``TONGBAN_NOTIFICATION_MAX_ATTEMPTS`` (5) attempts, then ``failed``.
- A send task that never ran (lost by the queue) leaves the row ``queued``: the sweep queues it
  again after ``TONGBAN_NOTIFICATION_STUCK_MINUTES``; a late task finding it sent does nothing.
- A worker killed between "sending" and "sent" leaves the row in ``sending``, with the id of
  the worker that claimed it. Once that worker is gone (``core.tasklease``: it stopped beating
  for a lease) or after ``TONGBAN_NOTIFICATION_STUCK_MINUTES`` (15) for a claim made outside a
  database worker, the claim is settled by asking the channel: *delivered* → ``sent``; *not
  delivered* → sent again; *unknown* (SMTP and the logging SMS channel cannot tell) →
  ``failed`` with a note, never resent automatically. A supervisor sees it in the failed list
  and may send it again. The task re-queued by the lease sweep settles it when it runs again;
  the sweep here (``sweep_stuck``) settles those whose task is gone too.

We chose at-most-once over at-least-once because the same message also sits in the in-app
inbox (written in the same transaction as the event, so it is never lost) and a duplicated
text about a government decision confuses more than a missing one; a gateway that can report
delivery by our idempotency key gets exactly-once through ``delivery_status``.
"""

from __future__ import annotations

import datetime as dt

import structlog
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from tongban.core import tasklease

from . import channels
from .channels import Message
from .constants import ChannelReport, DeliveryStatus
from .models import Delivery
from .recipients import Recipient

log = structlog.get_logger("tongban.notifications")
MAX_ERROR = 500
MAX_BACKOFF_SECONDS = 3600
SWEEP_BATCH = 200


def max_attempts() -> int:
    return int(getattr(settings, "TONGBAN_NOTIFICATION_MAX_ATTEMPTS", 5))


def retry_seconds() -> int:
    return int(getattr(settings, "TONGBAN_NOTIFICATION_RETRY_SECONDS", 60))


def stuck_after() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "TONGBAN_NOTIFICATION_STUCK_MINUTES", 15)))


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt: base, 2×base, 4×base, … ≤ 1 hour."""
    return dt.timedelta(seconds=min(MAX_BACKOFF_SECONDS, retry_seconds() * 2 ** (attempts - 1)))


def idempotency_key(delivery: Delivery) -> str:
    """Stable across attempts, so a provider that deduplicates sees one message."""
    return f"tongban-delivery-{delivery.pk}"


def enqueue(delivery_id: int, *, run_after: dt.datetime | None = None) -> None:
    """Queue the send task once the current transaction commits (at once outside one)."""
    from django_tasks import task_backends

    from .tasks import send_notification

    def queue() -> None:
        task = send_notification
        if run_after is not None and task_backends[task.backend].supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(delivery_id)

    transaction.on_commit(queue)


def _claim(delivery_id: int) -> Delivery | None:
    """Marks a queued delivery ``sending`` and commits; None if it is not ours to send.

    A delivery still ``sending`` for a worker that is gone is settled first (``_settle``): sent
    again only when the channel knows the first attempt did not go out.
    """
    with transaction.atomic():
        delivery = (
            # of=self: PostgreSQL cannot lock the nullable side of the outer joins.
            Delivery.objects.select_for_update(of=("self",))
            .select_related("user", "person")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        if delivery.status == DeliveryStatus.SENDING and tasklease.worker_gone(
            delivery.sending_worker
        ):
            outcome = _settle(delivery, requeue=False)
            log.info("notification_orphan_settled", delivery=delivery.pk, outcome=outcome)
        if delivery.status != DeliveryStatus.QUEUED:
            return None
        delivery.status = DeliveryStatus.SENDING
        delivery.attempts += 1
        delivery.sending_since = timezone.now()
        delivery.sending_worker = tasklease.current_worker()
        delivery.save(
            update_fields=["status", "attempts", "sending_since", "sending_worker", "updated_at"]
        )
        return delivery


def _finish(delivery_id: int, worker: str, *, reference: str = "", error: str = "") -> Delivery:
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        # The sweep decided meanwhile, or (a worker paused past its lease) another worker
        # settled this claim and holds its own now.
        if delivery.status != DeliveryStatus.SENDING or delivery.sending_worker != worker:
            return delivery
        delivery.sending_since, delivery.sending_worker = None, ""
        if not error:
            delivery.status = DeliveryStatus.SENT
            delivery.sent_at = timezone.now()
            delivery.provider_reference = reference[:200]
            delivery.last_error = ""
        elif delivery.attempts >= max_attempts():
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = error[:MAX_ERROR]
        else:
            delivery.status = DeliveryStatus.QUEUED
            delivery.last_error = error[:MAX_ERROR]
            delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
            enqueue(delivery.pk, run_after=delivery.next_attempt_at)
        delivery.save()
    return delivery


def send(delivery_id: int) -> str:
    """Send one delivery at most once; returns its status afterwards (or why nothing was done)."""
    delivery = _claim(delivery_id)
    if delivery is None:
        current = Delivery.objects.filter(pk=delivery_id).values_list("status", flat=True).first()
        return f"skipped:{current or 'gone'}"
    error, reference = "", ""
    try:
        channel = channels.registry.get(delivery.channel)
        address = channel.address(Recipient(user=delivery.user, person=delivery.person))
        if not address:
            error = gettext("The recipient has no address for this channel any more.")
        else:
            message = Message(delivery.subject, delivery.body, delivery.short_text)
            reference = channel.send(address, message, idempotency_key=idempotency_key(delivery))
    except Exception as problem:  # any channel failure is "not sent"; the row says why
        error = str(problem) or type(problem).__name__
    finished = _finish(delivery.pk, delivery.sending_worker, reference=reference or "", error=error)
    log.info(
        "notification_delivery_attempted",
        delivery=delivery.pk,
        channel=delivery.channel,
        attempt=delivery.attempts,
        status=finished.status,
    )
    return finished.status


def sweep_stuck(now: dt.datetime | None = None) -> dict[str, int]:
    """Settles deliveries left in ``sending`` by a worker that died (see the module docstring)."""
    now = now or timezone.now()
    stuck = Q(sending_since__lt=now - stuck_after()) | Q(
        sending_worker__in=tasklease.gone_workers(now)
    )
    counts = {"sent": 0, "requeued": 0, "failed": 0}
    last_id = 0
    while True:
        with transaction.atomic():
            batch = list(
                Delivery.objects.select_for_update(skip_locked=True)
                .filter(stuck, status=DeliveryStatus.SENDING, pk__gt=last_id)
                .order_by("pk")[:SWEEP_BATCH]
            )
            for delivery in batch:
                last_id = delivery.pk
                counts[_settle(delivery)] += 1
        if len(batch) < SWEEP_BATCH:
            break
    counts["requeued"] += _requeue_lost(now)
    if any(counts.values()):
        log.info("notification_sweep_done", **counts)
    return counts


def _requeue_lost(now: dt.datetime) -> int:
    """Queues again deliveries whose send task never ran (a queue that lost it, a failed
    enqueue after commit). Harmless when the task is merely late: a second run skips."""
    cutoff = now - stuck_after()
    lost = Delivery.objects.filter(status=DeliveryStatus.QUEUED, updated_at__lt=cutoff).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lt=cutoff)
    )
    ids = list(lost.order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH])
    for delivery_id in ids:
        enqueue(delivery_id)
    return len(ids)


def _settle(delivery: Delivery, *, requeue: bool = True) -> str:
    """Decides a locked ``sending`` delivery whose sender is gone, by asking its channel.

    Not delivered → ``queued`` (and a send task, unless ``requeue`` is False because the
    caller sends it itself); delivered → ``sent``; unknown → ``failed``, never sent twice.
    """
    try:
        report = channels.registry.get(delivery.channel).delivery_status(idempotency_key(delivery))
    except Exception:  # an unreachable provider cannot vouch for anything
        report = ChannelReport.UNKNOWN
    delivery.sending_since, delivery.sending_worker = None, ""
    if report == ChannelReport.DELIVERED:
        delivery.status, delivery.sent_at = DeliveryStatus.SENT, timezone.now()
        outcome = "sent"
    elif report == ChannelReport.NOT_DELIVERED and delivery.attempts < max_attempts():
        delivery.status = DeliveryStatus.QUEUED
        if requeue:
            enqueue(delivery.pk)
        outcome = "requeued"
    else:
        delivery.status = DeliveryStatus.FAILED
        delivery.last_error = gettext(
            "Interrupted while sending; not sent again because it may already have gone out."
        )
        outcome = "failed"
    delivery.save()
    return outcome
