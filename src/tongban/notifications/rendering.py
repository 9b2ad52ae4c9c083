"""Messages rendered from one template per event, in the recipient's language.

``notifications/events/<event>.txt`` renders to a title (its first line) and a body (the
rest). Output is plain text (auto-escaping is off inside the templates); the inbox page escapes
it again on display, so text typed by staff (reasons, notes) can never become markup.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from .channels import Message
from .models import TITLE_MAX

SHORT_TEXT_MAX = 300


def absolute(link: str) -> str:
    if not link or link.startswith(("http://", "https://")):
        return link
    base = getattr(settings, "TONGBAN_PUBLIC_URL", "").rstrip("/")
    return f"{base}{link}"


def render(event: str, language: str, context: dict, *, link: str = "") -> Message:
    with translation.override(language):
        text = render_to_string(f"notifications/events/{event}.txt", context)
        brand = gettext("Tongban")
    title, _newline, body = text.strip().partition("\n")
    title = " ".join(title.split())[:TITLE_MAX]
    lines = [line.rstrip() for line in body.strip().splitlines()]
    body = "\n".join(line for line in lines if line)
    email_body = f"{body}\n\n{absolute(link)}" if link else body
    short_text = f"[{brand}] {title}"
    if link:
        short_text = f"{short_text} {absolute(link)}"
    return Message(subject=title, body=email_body, short_text=short_text[:SHORT_TEXT_MAX])


def inbox_body(message: Message, link: str) -> str:
    """The inbox shows the link as a button, so the body drops the trailing address."""
    suffix = f"\n\n{absolute(link)}"
    if link and message.body.endswith(suffix):
        return message.body[: -len(suffix)]
    return message.body
