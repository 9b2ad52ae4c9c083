"""The notifications app's part of "download my data": the inbox and every message sent out.

Inbox messages belong to the person's sign-in account; e-mails and text messages are kept
per recipient (the account, or the person when a clerk registered them without one). The
address itself is never stored with a message, only its masked form, so that is what the
archive shows; provider errors and references stay out (they are about the provider).
"""

from __future__ import annotations

from django.db.models import Q

from tongban.core.personal_data import ExportScope, Section, exporters, when

from .models import Delivery, Notification

MESSAGES_MAX = 20_000  # bounded like every list; years of messages fit well within it


def _inbox(person) -> list[dict]:
    if person.user_id is None:
        return []
    notifications = Notification.objects.filter(user_id=person.user_id).order_by("pk")
    return [
        {
            "event": notification.event,
            "title": notification.title,
            "body": notification.body,
            "link": notification.link,
            "created_at": when(notification.created_at),
            "read_at": when(notification.read_at),
        }
        for notification in notifications[:MESSAGES_MAX]
    ]


def _sent(person) -> list[dict]:
    addressed = Q(person=person)
    if person.user_id is not None:
        addressed |= Q(user_id=person.user_id)
    deliveries = Delivery.objects.filter(addressed).order_by("pk")
    return [
        {
            "channel": delivery.channel,
            "event": delivery.event,
            "language": delivery.language,
            "to": delivery.address_masked,
            "subject": delivery.subject,
            "body": delivery.body,
            "short_text": delivery.short_text,
            "status": delivery.status,
            "attempts": delivery.attempts,
            "created_at": when(delivery.created_at),
            "sent_at": when(delivery.sent_at),
        }
        for delivery in deliveries[:MESSAGES_MAX]
    ]


def export_notifications(scope: ExportScope):
    yield Section("notifications", {"inbox": _inbox(scope.person), "sent": _sent(scope.person)})


def register() -> None:
    """Called once from ``NotificationsConfig.ready``."""
    if "notifications" not in exporters:
        exporters.register("notifications", export_notifications)
