"""Steps the worker-kill test runs in subprocesses (``tongban shell -c``), each printing JSON."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from tests.notifications.mail_backends import outbox_messages
from tests.notifications.test_notifications import fake_context
from tongban.notifications import sending
from tongban.notifications import services as notifications
from tongban.notifications.constants import Event
from tongban.notifications.models import Delivery, Notification

SOURCE = "worker-kill-test:1"
SWEEP_TIMEOUT = 60  # seconds; the lease in the test is one second


def notify_applicant() -> None:
    """The applicant is told their case was approved: an inbox row and one e-mail task."""
    user = get_user_model().objects.create_user(email="applicant@example.test", password=None)
    context = fake_context()
    notifications.notify(
        Event.CASE_APPROVED, context["case"], [user], context=context, source=SOURCE
    )
    print(json.dumps({"deliveries": Delivery.objects.count()}))


def _state(outbox: str) -> dict:
    delivery = Delivery.objects.get(source=SOURCE)
    return {
        "tasks": sorted(DBTaskResult.objects.values_list("status", flat=True)),
        "delivery": [delivery.status, delivery.attempts, delivery.sending_worker],
        "inbox": Notification.objects.filter(source=SOURCE).count(),
        "outbox": outbox_messages(Path(outbox), sending.idempotency_key(delivery)),
    }


def _command(*args: str) -> dict:
    out = io.StringIO()
    call_command(*args, "--json", stdout=out)
    return json.loads(out.getvalue())


def sweep_after_kill(outbox: str) -> None:
    """What the kill left, then ``tongban tasks sweep`` until the lease has expired, and again."""
    killed = _state(outbox)
    deadline = time.monotonic() + SWEEP_TIMEOUT
    first = _command("tasks", "sweep")
    while not first["requeued"] and time.monotonic() < deadline:
        time.sleep(0.1)
        first = _command("tasks", "sweep")
    print(json.dumps({"killed": killed, "sweeps": [first, _command("tasks", "sweep")]}))


def settle_and_report(outbox: str) -> None:
    """``tongban notifications sweep`` (nothing should be left to settle), then the state."""
    print(json.dumps({"sweep": _command("notifications", "sweep"), **_state(outbox)}))
