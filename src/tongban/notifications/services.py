"""The notifications app's public face.

- ``notify(event, case, recipients, context=…, link=…, source=…)``: renders the event's message
  in each recipient's language, writes it to their inbox and queues one delivery per enabled
  channel (e-mail, SMS, …); the send tasks are queued after the surrounding transaction
  commits, so a rolled-back change tells nobody. With ``source`` it is idempotent.
- The inbox: ``inbox``, ``unread_count``, ``mark_read``, ``mark_all_read``.
- For supervisors: ``failed_deliveries``, ``resend``, ``channel_health``.
- ``sweep_stuck_now``: settles deliveries a killed worker left half-done (``sending``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.accounts.permissions import Action, can
from tongban.core import audit

from . import channels, rendering, sending
from .channels import ChannelHealth
from .constants import SMS_EVENTS, DeliveryStatus, Event
from .models import Delivery, Notification
from .recipients import Recipient, department_reviewers, recipients  # noqa: F401

MAX_PAGE = 100
UNREAD_CAP = 99


def notify(
    event: str,
    case=None,
    to=(),
    *,
    context: dict | None = None,
    link: str = "",
    source: str = "",
) -> list[Notification]:
    """Tell ``to`` (users, persons or Recipients) about ``event`` concerning ``case``.

    ``case`` is any object the event's template reads (``case.number``, ``case.item``); it may
    be None for events about something else (ratings pass theirs in ``context``). ``source``
    names the cause (``case_event:42``): the same source never notifies the same person twice.
    """
    if event not in Event.values:
        raise ValueError(f"unknown notification event {event!r}")
    made = []
    with transaction.atomic():
        for recipient in recipients(to):
            made.extend(_notify_one(event, case, recipient, context or {}, link, source))
    return made


def _notify_one(event, case, recipient: Recipient, context, link, source) -> list[Notification]:
    language = recipient.language
    message = rendering.render(event, language, {**context, "case": case}, link=link)
    notification = None
    try:
        with transaction.atomic():
            if recipient.user is not None:
                notification = Notification.objects.create(
                    user=recipient.user,
                    event=event,
                    title=message.subject,
                    body=rendering.inbox_body(message, link),
                    link=link,
                    source=source,
                )
            for channel in channels.enabled():
                if channel.uses_short_text and event not in SMS_EVENTS:
                    continue
                address = channel.address(recipient)
                if not address:
                    continue
                delivery = Delivery.objects.create(
                    notification=notification,
                    user=recipient.user,
                    person=recipient.person,
                    channel=channel.name,
                    event=event,
                    language=language,
                    subject=message.subject,
                    body=message.body,
                    short_text=message.short_text,
                    address_masked=channel.mask(address),
                    source=source,
                    recipient_key=recipient.key,
                )
                sending.enqueue(delivery.pk)
    except IntegrityError:
        if not source:
            raise
        return []  # told already: this source reached this recipient before
    return [notification] if notification is not None else []


# --- The inbox ---------------------------------------------------------------------------------


def _page_size(limit: int) -> int:
    return max(1, min(int(limit or 20), MAX_PAGE))


def _cursor(after) -> int | None:
    if after in (None, ""):
        return None
    try:
        value = int(after)
    except (TypeError, ValueError) as error:
        raise ValidationError(
            {"after": _("This page link is damaged; start again.")}, code="bad_cursor"
        ) from error
    if value < 1:
        raise ValidationError({"after": _("This page link is damaged; start again.")})
    return value


def inbox(user, *, after=None, limit: int = 20) -> tuple[list[Notification], int | None]:
    """The user's notifications, newest first; ``after`` is the last id of the previous page."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("You are not allowed to do this."))
    rows = Notification.objects.filter(user=user)
    last = _cursor(after)
    if last is not None:
        rows = rows.filter(pk__lt=last)
    size = _page_size(limit)
    page = list(rows.order_by("-pk")[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].pk if more else None)


def unread_count(user) -> int:
    """Unread notifications, counted up to 100 (shown as "99+"): never a whole-table count."""
    if not getattr(user, "is_authenticated", False):
        return 0
    ids = Notification.objects.filter(user=user, read_at__isnull=True).values_list("pk", flat=True)
    return len(ids[: UNREAD_CAP + 1])


def mark_read(user, notification_id) -> Notification:
    """Marks one of the user's own notifications read (another user's is "not found")."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .filter(pk=_cursor(notification_id) or 0, user=user)
            .first()
        )
        if notification is None:
            raise Notification.DoesNotExist
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def mark_all_read(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# --- For supervisors ---------------------------------------------------------------------------


def _require_supervisor(user) -> None:
    if not can(user, Action.CASE_SUPERVISE):
        raise PermissionDenied(_("You are not allowed to do this."))


def failed_deliveries(user, *, after=None, limit: int = 50) -> tuple[list[Delivery], int | None]:
    """Deliveries that failed for good, newest first (keyset: ``after`` is the last id)."""
    _require_supervisor(user)
    rows = Delivery.objects.filter(status=DeliveryStatus.FAILED)
    last = _cursor(after)
    if last is not None:
        rows = rows.filter(pk__lt=last)
    size = _page_size(limit)
    page = list(rows.order_by("-pk")[: size + 1])
    more = len(page) > size
    page = page[:size]
    return page, (page[-1].pk if more else None)


def resend(user, delivery_id: int) -> Delivery:
    """A supervisor sends a failed delivery again (a fresh round of attempts)."""
    _require_supervisor(user)
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None:
            raise Delivery.DoesNotExist
        if delivery.status != DeliveryStatus.FAILED:
            raise ValidationError(
                {"delivery": _("Only a failed message can be sent again.")}, code="not_failed"
            )
        delivery.status, delivery.attempts, delivery.next_attempt_at = (
            DeliveryStatus.QUEUED,
            0,
            None,
        )
        delivery.save()
        audit.record(
            "notification_resent",
            actor=audit.user_actor(user),
            obj_type="notification_delivery",
            obj_id=delivery.pk,
            payload={"channel": delivery.channel, "event": delivery.event},
        )
        sending.enqueue(delivery.pk)
    return delivery


def channel_health() -> list[ChannelHealth]:
    """Each registered channel's ``check()``, for a health page; a crashing check is a failure."""
    results = []
    for name, channel in channels.registry.items():
        try:
            results.append(channel.check())
        except Exception as error:
            results.append(ChannelHealth(name, False, f"{type(error).__name__}: {error}"))
    return results


def channel_health_for(user) -> list[ChannelHealth]:
    """``channel_health`` for a supervisors' health page (others: ``PermissionDenied``)."""
    _require_supervisor(user)
    return channel_health()


def sweep_stuck_now() -> dict[str, int]:
    return sending.sweep_stuck()
