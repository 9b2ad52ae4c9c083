"""A send claimed by a worker that died is settled once, by asking the channel (issue 8 §6).

The claim records the database worker's id; once that worker stops beating (core.tasklease), a
re-run of the send task, or the sweep, asks the channel whether the message went out: sent
again only if it did not, marked sent if it did, failed (never repeated) if nobody can tell.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from tests.notifications.test_notifications import make_delivery
from tongban.core import tasklease
from tongban.core.models import TaskWorker
from tongban.notifications import channels, sending
from tongban.notifications.constants import DeliveryStatus
from tongban.notifications.models import Delivery

LOOKUP_BACKEND = "tests.notifications.mail_backends.LookupMemoryBackend"
DEAD, ALIVE = "worker-killed", "worker-busy"


@pytest.fixture
def workers(settings):
    settings.TONGBAN_TASK_LEASE_SECONDS = 60
    long_ago = timezone.now() - dt.timedelta(minutes=5)
    TaskWorker.objects.create(worker_id=DEAD, beat_at=long_ago)
    TaskWorker.objects.create(worker_id=ALIVE, beat_at=timezone.now())


def claimed_by(delivery: Delivery, worker_id: str) -> None:
    """The state a worker leaves when it is killed inside ``channel.send``."""
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING,
        attempts=1,
        sending_since=timezone.now() - dt.timedelta(minutes=2),
        sending_worker=worker_id,
    )


def test_a_claim_records_the_database_worker_running_the_send(world, queued, monkeypatch):
    delivery = make_delivery(world, queued)
    seen = []

    def send_and_look(channel, address, message, *, idempotency_key):
        seen.append(Delivery.objects.get(pk=delivery.pk).sending_worker)
        return "ref"

    monkeypatch.setattr(channels.EmailChannel, "send", send_and_look)
    monkeypatch.setattr(tasklease, "current_worker", lambda: "worker-7")
    assert sending.send(delivery.pk) == DeliveryStatus.SENT
    assert seen == ["worker-7"]
    assert Delivery.objects.get(pk=delivery.pk).sending_worker == ""


def test_a_rerun_sends_once_what_a_dead_worker_claimed_but_never_sent(
    world, queued, workers, settings
):
    settings.EMAIL_BACKEND = LOOKUP_BACKEND
    delivery = make_delivery(world, queued)
    claimed_by(delivery, DEAD)
    assert sending.send(delivery.pk) == DeliveryStatus.SENT
    assert sending.send(delivery.pk) == "skipped:sent"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.sending_worker) == (2, "")


def test_a_rerun_does_not_resend_what_a_dead_worker_already_sent(world, queued, workers, settings):
    settings.EMAIL_BACKEND = LOOKUP_BACKEND
    delivery = make_delivery(world, queued)
    assert sending.send(delivery.pk) == DeliveryStatus.SENT  # went out; then the worker died
    claimed_by(delivery, DEAD)
    assert sending.send(delivery.pk) == "skipped:sent"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.sent_at is not None


def test_a_dead_workers_claim_is_failed_not_repeated_when_smtp_cannot_tell(world, queued, workers):
    delivery = make_delivery(world, queued)  # the tests' locmem backend: no delivery_status
    claimed_by(delivery, DEAD)
    assert sending.send(delivery.pk) == "skipped:failed"
    assert mail.outbox == []
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "may already have gone out" in (
        delivery.last_error
    )


def test_a_claim_by_a_worker_still_beating_is_left_alone(world, queued, workers, settings):
    settings.EMAIL_BACKEND = LOOKUP_BACKEND
    delivery = make_delivery(world, queued)
    claimed_by(delivery, ALIVE)
    assert sending.send(delivery.pk) == "skipped:sending"
    assert sending.sweep_stuck() == {"sent": 0, "requeued": 0, "failed": 0}
    assert mail.outbox == []
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.SENDING


def test_the_sweep_settles_a_dead_workers_claim_before_the_stuck_minutes(
    world, queued, workers, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = LOOKUP_BACKEND
    settings.TONGBAN_NOTIFICATION_STUCK_MINUTES = 15
    delivery = make_delivery(world, queued)
    queued.clear()
    claimed_by(delivery, DEAD)  # two minutes ago: not stuck by the clock, but its worker is gone
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.sweep_stuck() == {"sent": 0, "requeued": 1, "failed": 0}
    assert [result.args for result in queued] == [[delivery.pk]]
    assert sending.send(delivery.pk) == DeliveryStatus.SENT
    assert sending.send(delivery.pk) == "skipped:sent"
    assert len(mail.outbox) == 1


def test_a_worker_paused_past_its_lease_does_not_overwrite_the_new_claim(world, queued, workers):
    delivery = make_delivery(world, queued)
    claimed_by(delivery, ALIVE)  # settled and claimed again by a live worker meanwhile
    late = sending._finish(delivery.pk, DEAD, error="SMTPServerDisconnected")
    assert (late.status, late.sending_worker, late.last_error) == (
        DeliveryStatus.SENDING,
        ALIVE,
        "",
    )
