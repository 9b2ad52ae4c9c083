"""Notifications: rendered in the recipient's language, queued only after commit, sent at most
once, retried with a cap, failures listed for supervisors, interrupted sends settled."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tests.cases.conftest import case_in
from tests.notifications.conftest import run_queued
from tongban.cases import services as cases
from tongban.cases.constants import CaseAction, CaseStatus
from tongban.cases.models import CaseEvent
from tongban.notifications import channels, rendering, sending
from tongban.notifications import services as notifications
from tongban.notifications.constants import ChannelReport, DeliveryStatus, Event
from tongban.notifications.models import Delivery, Notification

LANGUAGES = ["zh-hans", "zh-hant", "en", "pt"]
PHONE = "+85291234567"


def fake_context():
    item = SimpleNamespace(name="ITEM-NAME")
    case = SimpleNamespace(
        number="JM-2026-000042",
        item=item,
        statutory_due=dt.date(2026, 12, 1),
        promised_due=dt.date(2026, 11, 25),
        decision_reasons="REASONS",
        remedy_notice="REMEDY",
    )
    follow_up = SimpleNamespace(
        pk=7,
        due=dt.date(2026, 12, 3),
        ledger_due=dt.date(2027, 1, 5),
        outcome_note="OUTCOME-NOTE",
        get_outcome_display=lambda: "LEDGER",
    )
    rating = SimpleNamespace(get_level_display=lambda: "LEVEL")
    return {
        "case": case,
        "follow_up": follow_up,
        "rating": rating,
        "method": "EMS",
        "tracking_number": "EA123456785CN",
    }


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("event", Event.values)
def test_every_event_renders_in_every_language(event, language):
    message = rendering.render(event, language, fake_context(), link="/me/cases/JM-2026-000042/")
    assert message.subject and "\n" not in message.subject and len(message.subject) <= 200
    assert message.body and "{" not in message.body and "{" not in message.subject
    assert message.body.endswith("/me/cases/JM-2026-000042/")
    assert message.short_text.startswith("[") and len(message.short_text) <= 300
    if event.startswith(("case_", "supplement_", "deadline_")):
        assert "JM-2026-000042" in message.subject
        assert "ITEM-NAME" in message.body


def test_reasons_typed_by_staff_stay_plain_text(world):
    context = fake_context()
    context["case"].decision_reasons = "<b>bold</b> & co"
    message = rendering.render(Event.CASE_DENIED, "en", context)
    assert "<b>bold</b> & co" in message.body


@pytest.mark.parametrize("language", LANGUAGES)
def test_messages_are_in_the_recipients_language(world, language, queued):
    world.person.preferred_language = language
    world.person.save()
    case = case_in(world, CaseStatus.APPROVED)
    notifications.notify(Event.CASE_APPROVED, case, [world.person], link="/x/")
    notification = Notification.objects.get(user=world.applicant)
    assert world.item.localized("name", language) in notification.body
    delivery = Delivery.objects.get(channel="email")
    assert delivery.language == language
    assert world.item.localized("name", language) in delivery.body


def test_notify_fills_the_inbox_and_queues_a_send_per_channel_after_commit(
    world, queued, django_capture_on_commit_callbacks
):
    world.person.phone = PHONE
    world.person.save()
    case = case_in(world, CaseStatus.APPROVED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notifications.notify(Event.CASE_APPROVED, case, [world.person, world.applicant])
        assert queued == []  # nothing before the commit
    deliveries = {d.channel: d for d in Delivery.objects.all()}
    assert set(deliveries) == {"email", "sms"}  # the person and their account are one recipient
    assert deliveries["sms"].address_masked == "+852******67"
    assert deliveries["email"].address_masked == "c***@example.com"
    assert len(callbacks) == 2
    assert sorted(r.args[0] for r in queued) == sorted(d.pk for d in deliveries.values())
    assert Notification.objects.filter(user=world.applicant).count() == 1


def test_staff_events_go_to_the_departments_reviewers_without_sms(world, queued):
    world.reviewer.phone = PHONE
    world.reviewer.save()
    case = case_in(world, CaseStatus.IN_REVIEW)
    notifications.notify(
        Event.DEADLINE_DUE_SOON, case, notifications.department_reviewers(case.department_id)
    )
    assert [n.user for n in Notification.objects.all()] == [world.reviewer]
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["email"]


def test_a_rolled_back_transition_tells_nobody(world, queued, django_capture_on_commit_callbacks):
    case = case_in(world, CaseStatus.IN_REVIEW)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        cases.approve(world.reviewer, case.number)
        raise RuntimeError("the database went away")
    assert callbacks == [] and queued == []
    assert not CaseEvent.objects.filter(case=case, action=CaseAction.APPROVE).exists()
    assert not Notification.objects.exists() and not Delivery.objects.exists()


def test_a_transition_notifies_the_applicant_once_even_if_the_task_runs_twice(
    world, queued, django_capture_on_commit_callbacks
):
    world.person.phone = PHONE
    world.person.save()
    case = case_in(world, CaseStatus.IN_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        cases.approve(world.reviewer, case.number)
    with django_capture_on_commit_callbacks(execute=True):
        run_queued(queued, "notify_case_event")
        run_queued(queued, "notify_case_event")
    notification = Notification.objects.get(user=world.applicant)
    assert case.number in notification.title and notification.event == Event.CASE_APPROVED
    assert notification.link == f"/me/cases/{case.number}/"
    assert Delivery.objects.count() == 2
    run_queued(queued)
    run_queued(queued)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["chan@example.com"] and case.number in mail.outbox[0].subject
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def make_delivery(world, queued) -> Delivery:
    case = case_in(world, CaseStatus.APPROVED)
    notifications.notify(Event.CASE_APPROVED, case, [world.person])
    return Delivery.objects.filter(channel="email").latest("pk")


def test_a_delivery_is_sent_once_when_the_task_runs_twice(world, queued):
    delivery = make_delivery(world, queued)
    assert sending.send(delivery.pk) == DeliveryStatus.SENT
    assert sending.send(delivery.pk) == "skipped:sent"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.attempts, delivery.provider_reference != "") == (1, True)


def test_a_delivery_being_sent_by_another_worker_is_left_alone(world, queued):
    delivery = make_delivery(world, queued)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, sending_since=timezone.now()
    )
    assert sending.send(delivery.pk) == "skipped:sending"
    assert sending.sweep_stuck() == {"sent": 0, "requeued": 0, "failed": 0}
    assert mail.outbox == []


def failing_send(self, address, message, *, idempotency_key):
    raise channels.ChannelError("SMTPServerDisconnected: Connection unexpectedly closed")


def test_failures_are_retried_with_backoff_up_to_the_cap(
    world, queued, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(channels.EmailChannel, "send", failing_send)
    delivery = make_delivery(world, queued)
    queued.clear()
    waits = []
    for attempt in range(1, 6):
        before = timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            status = sending.send(delivery.pk)
        delivery.refresh_from_db()
        assert delivery.attempts == attempt
        if attempt < 5:
            assert status == DeliveryStatus.QUEUED
            waits.append(round((delivery.next_attempt_at - before).total_seconds() / 60))
            assert queued[-1].args == [delivery.pk] and queued[-1].task.run_after is not None
    assert waits == [1, 2, 4, 8]
    assert (
        delivery.status == DeliveryStatus.FAILED and "SMTPServerDisconnected" in delivery.last_error
    )
    assert len(queued) == 4  # no retry is queued after the last attempt
    assert sending.send(delivery.pk) == "skipped:failed"

    page, more = notifications.failed_deliveries(world.supervisor)
    assert ([d.pk for d in page], more) == ([delivery.pk], None)
    with pytest.raises(PermissionDenied):
        notifications.failed_deliveries(world.reviewer)
    with pytest.raises(PermissionDenied):
        notifications.resend(world.reviewer, delivery.pk)

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.resend(world.supervisor, delivery.pk)
    run_queued(queued[4:])
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and len(mail.outbox) == 1
    assert notifications.failed_deliveries(world.supervisor)[0] == []


def test_failed_list_pages_by_keyset(world, queued):
    for _ in range(3):
        make_delivery(world, queued)
        Delivery.objects.filter(status=DeliveryStatus.QUEUED).update(status=DeliveryStatus.FAILED)
    first, cursor = notifications.failed_deliveries(world.supervisor, limit=2)
    second, end = notifications.failed_deliveries(world.supervisor, after=cursor, limit=2)
    ids = sorted(
        Delivery.objects.filter(status="failed").values_list("pk", flat=True), reverse=True
    )
    assert [d.pk for d in first + second] == ids and end is None


def stuck(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING,
        attempts=1,
        sending_since=timezone.now() - dt.timedelta(hours=1),
    )


def test_an_interrupted_send_is_not_repeated_when_the_channel_cannot_tell(world, queued):
    delivery = make_delivery(world, queued)
    stuck(delivery)
    assert sending.sweep_stuck() == {"sent": 0, "requeued": 0, "failed": 1}
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.last_error
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("report", "status", "mails"),
    [(ChannelReport.NOT_DELIVERED, DeliveryStatus.SENT, 1), (ChannelReport.DELIVERED, DeliveryStatus.SENT, 0)],
)  # fmt: skip
def test_an_interrupted_send_follows_what_the_channel_reports(
    world, queued, monkeypatch, django_capture_on_commit_callbacks, report, status, mails
):
    monkeypatch.setattr(channels.EmailChannel, "delivery_status", lambda self, key: report)
    delivery = make_delivery(world, queued)
    queued.clear()
    stuck(delivery)
    with django_capture_on_commit_callbacks(execute=True):
        sending.sweep_stuck()
    run_queued(queued)
    run_queued(queued)
    delivery.refresh_from_db()
    assert delivery.status == status and len(mail.outbox) == mails


def test_channels_report_their_health():
    health = {h.name: h for h in notifications.channel_health()}
    assert set(health) >= {"email", "sms"}
    assert health["email"].ok and health["sms"].ok


def test_the_sms_log_channel_logs_a_masked_number_and_never_the_text(world, queued):
    from structlog.testing import capture_logs

    from tongban.core import dev_outbox

    world.person.phone = PHONE
    world.person.save()
    case = case_in(world, CaseStatus.APPROVED)
    notifications.notify(Event.CASE_APPROVED, case, [world.person])
    sms = Delivery.objects.get(channel="sms")
    with capture_logs() as logs:
        assert sending.send(sms.pk) == DeliveryStatus.SENT
    assert PHONE not in str(logs) and sms.short_text not in str(logs)
    assert case.number in sms.short_text
    assert dev_outbox.last_text_to(PHONE) == sms.short_text


def test_the_sms_log_channel_refuses_in_production(world, queued, settings):
    settings.PRODUCTION = True
    world.person.phone = PHONE
    world.person.save()
    notifications.notify(Event.CASE_APPROVED, case_in(world, CaseStatus.APPROVED), [world.person])
    sms = Delivery.objects.get(channel="sms")
    assert sending.send(sms.pk) != DeliveryStatus.SENT
    assert "no SMS gateway" in Delivery.objects.get(pk=sms.pk).last_error
    assert not {h.name: h for h in notifications.channel_health()}["sms"].ok


def test_a_send_task_the_queue_lost_is_queued_again_and_sends_once(
    world, queued, django_capture_on_commit_callbacks
):
    delivery = make_delivery(world, queued)
    queued.clear()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Delivery.objects.filter(pk=delivery.pk).update(updated_at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.sweep_stuck()["requeued"] == 1
    assert [r.args for r in queued] == [[delivery.pk]]
    run_queued(queued)
    run_queued(queued)
    assert len(mail.outbox) == 1
    assert sending.sweep_stuck()["requeued"] == 0


@pytest.mark.parametrize(
    ("language", "subject"),
    [
        ("zh-hans", "申请JM-2026-000042已准予许可"),
        ("zh-hant", "申請JM-2026-000042已准予許可"),
        ("en", "Application JM-2026-000042 approved"),
        ("pt", "Requerimento n.º JM-2026-000042 deferido"),
    ],
)
def test_the_approval_subject_in_each_language(language, subject):
    assert rendering.render(Event.CASE_APPROVED, language, fake_context()).subject == subject
