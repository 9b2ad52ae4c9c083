"""Notification channels: a registry of ways to reach people, and the two built in.

- ``email``: Django's e-mail (the console backend in the embedded default, SMTP in production
  via ``TONGBAN_EMAIL_BACKEND``).
- ``sms``: a logging channel that writes the masked number and the text to the structured log.
  A real SMS gateway registers its own ``Channel`` under a name and is listed in
  ``TONGBAN_NOTIFICATION_CHANNELS`` instead.

A channel raises on failure (the sender retries), returns the provider's reference on success,
and answers ``delivery_status`` for a message whose sender was interrupted: only a channel that
can ask its provider ("did message X go out?") returns anything but UNKNOWN.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.utils import make_msgid

import structlog
from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from tongban.core import dev_outbox
from tongban.core.registries import Registry

from .constants import ChannelReport
from .recipients import Recipient

log = structlog.get_logger("tongban.notifications")
DEFAULT_CHANNELS = ("email", "sms")
IDEMPOTENCY_HEADER = "X-Tongban-Delivery"


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    short_text: str


@dataclass(frozen=True)
class ChannelHealth:
    name: str
    ok: bool
    detail: str


class ChannelError(Exception):
    """The channel could not send; ``str()`` is kept as the delivery's last error."""


class Channel:
    """Override ``address``, ``send`` and ``check``; ``delivery_status`` if the provider can tell."""

    name = ""
    uses_short_text = False  # SMS-like channels send ``short_text`` rather than the body

    def address(self, recipient: Recipient) -> str:
        raise NotImplementedError

    def mask(self, address: str) -> str:
        return mask(address)

    def send(self, address: str, message: Message, *, idempotency_key: str) -> str:
        raise NotImplementedError

    def delivery_status(self, idempotency_key: str) -> str:
        return ChannelReport.UNKNOWN

    def check(self) -> ChannelHealth:
        raise NotImplementedError


registry: Registry[Channel] = Registry("notification channel")


def mask(address: str) -> str:
    """``chan@example.com`` → ``c***@example.com``; ``+85291234567`` → ``+852******67``."""
    if "@" in address:
        local, _, domain = address.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(address) <= 6:
        return "*" * len(address)
    return address[:4] + "*" * (len(address) - 6) + address[-2:]


def enabled() -> list[Channel]:
    """The channels named in ``TONGBAN_NOTIFICATION_CHANNELS`` (default: e-mail and SMS)."""
    names = getattr(settings, "TONGBAN_NOTIFICATION_CHANNELS", DEFAULT_CHANNELS)
    if isinstance(names, str):
        names = [name.strip() for name in names.split(",") if name.strip()]
    return [registry.get(name) for name in names]


class EmailChannel(Channel):
    name = "email"

    def address(self, recipient: Recipient) -> str:
        return recipient.email

    def send(self, address: str, message: Message, *, idempotency_key: str) -> str:
        # The same Message-ID on a resend lets mail clients show one message, not two.
        message_id = make_msgid(idstring=idempotency_key, domain="tongban.invalid")
        email = EmailMessage(
            subject=message.subject,
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers={"Message-ID": message_id, IDEMPOTENCY_HEADER: idempotency_key},
        )
        try:
            email.send(fail_silently=False)
        except Exception as error:  # SMTP, socket and backend errors all mean "not sent"
            raise ChannelError(f"{type(error).__name__}: {error}") from error
        return message_id

    def delivery_status(self, idempotency_key: str) -> str:
        # SMTP cannot say whether a message went out; a backend that can look one up by its
        # idempotency header (a provider's API) offers ``delivery_status`` and is asked.
        lookup = getattr(get_connection(), "delivery_status", None)
        return ChannelReport.UNKNOWN if lookup is None else lookup(idempotency_key)

    def check(self) -> ChannelHealth:
        backend = settings.EMAIL_BACKEND.rsplit(".", 2)[-2]
        if backend != "smtp":
            return ChannelHealth(
                self.name, True, f"{backend} backend (no mail leaves this machine)"
            )
        try:
            connection = get_connection(timeout=5)
            connection.open()
            connection.close()
        except Exception as error:
            return ChannelHealth(self.name, False, f"SMTP: {type(error).__name__}: {error}")
        return ChannelHealth(self.name, True, f"SMTP {settings.EMAIL_HOST}:{settings.EMAIL_PORT}")


class LoggingSmsChannel(Channel):
    """Development only: prints the text on the terminal and logs the masked number; no message
    leaves the machine. In production it refuses (the delivery fails visibly)."""

    name = "sms"
    uses_short_text = True

    def address(self, recipient: Recipient) -> str:
        return recipient.phone

    def send(self, address: str, message: Message, *, idempotency_key: str) -> str:
        # The text goes to the terminal outside production (core.dev_outbox), never to the log:
        # texts may carry links or codes.
        delivered = dev_outbox.deliver(address, message.short_text)
        if not delivered:
            raise ChannelError("no SMS gateway is configured (the log channel sends nothing)")
        log.info(
            "sms_sent",
            channel="log",
            to=mask(address),
            delivered=delivered,
            reference=idempotency_key,
        )
        return idempotency_key

    def check(self) -> ChannelHealth:
        if settings.PRODUCTION:
            return ChannelHealth(self.name, False, "logging channel: no SMS gateway configured")
        return ChannelHealth(self.name, True, "logging channel: texts go to the terminal only")


registry.register("email", EmailChannel())
registry.register("sms", LoggingSmsChannel())
