"""The in-app inbox and the record of every message sent through a channel."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .constants import DeliveryStatus, Event

TITLE_MAX = 200
LINK_MAX = 300
SOURCE_MAX = 120


class Notification(models.Model):
    """通知: one message in a user's inbox, rendered in their language when it was sent.

    ``source`` names what caused it (``case_event:123``); with it, telling the same thing twice
    (a task run again) finds the row already there instead of adding a second.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    body = models.TextField(_("message"))
    link = models.CharField(_("link"), max_length=LINK_MAX, blank=True)
    source = models.CharField(_("source"), max_length=SOURCE_MAX, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "-id"], name="notification_inbox"),
            models.Index(
                fields=["user", "id"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "source"], condition=~Q(source=""), name="notification_once"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    """One message to one recipient through one channel (e-mail, SMS, …) and its attempts.

    The address is looked up when sending, so it is never copied here; ``address_masked`` is
    for the supervisors' list. ``status`` moves queued → sending → sent, or back to queued with
    ``next_attempt_at`` after an error, or to failed after the last attempt.
    """

    notification = models.ForeignKey(
        Notification, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    person = models.ForeignKey(
        "accounts.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    channel = models.CharField(_("channel"), max_length=32)
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    language = models.CharField(_("language"), max_length=8)
    subject = models.CharField(_("subject"), max_length=TITLE_MAX)
    body = models.TextField(_("message"))
    short_text = models.CharField(_("short text"), max_length=500, blank=True)
    address_masked = models.CharField(_("to (masked)"), max_length=120, blank=True)
    source = models.CharField(_("source"), max_length=SOURCE_MAX, blank=True)
    recipient_key = models.CharField(_("recipient"), max_length=40)
    status = models.CharField(
        _("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sending_since = models.DateTimeField(_("sending since"), null=True, blank=True)
    # The database worker that claimed it (core.tasklease): once that worker is gone, the
    # claim is settled at once instead of after TONGBAN_NOTIFICATION_STUCK_MINUTES.
    sending_worker = models.CharField(_("sending worker"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_reference = models.CharField(_("provider reference"), max_length=200, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("notification delivery")
        verbose_name_plural = _("notification deliveries")
        indexes = [
            # The supervisors' list of failures, newest first; the sweep of stuck sendings.
            models.Index(fields=["status", "-id"], name="delivery_by_status"),
            models.Index(
                fields=["sending_since"],
                condition=Q(status=DeliveryStatus.SENDING),
                name="delivery_sending",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "channel", "recipient_key"],
                condition=~Q(source=""),
                name="delivery_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} ({self.status})"
