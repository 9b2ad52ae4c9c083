"""Where text messages go when no SMS gateway is configured: never into the log.

Outside production a text is printed on the terminal (stdout), the way Django's console e-mail
backend prints e-mails, and kept in a short in-memory list that tests read. In production it is
dropped: one-time codes must not end up in a log or on a console, and a deployment that needs
texts configures a gateway. The log only records that a text was sent, to a masked number.
"""

from __future__ import annotations

import sys
from collections import deque

from django.conf import settings

# The last texts printed, newest last (tests and the demo read them; bounded, so a long-running
# embedded server does not grow).
sent: deque[tuple[str, str]] = deque(maxlen=50)


def deliver(phone: str, text: str) -> bool:
    """Prints the text outside production; returns whether it went anywhere."""
    if getattr(settings, "PRODUCTION", False):
        return False
    sent.append((phone, text))
    sys.stdout.write(f"--- Text message to {phone} ---\n{text}\n---\n")
    sys.stdout.flush()
    return True


def last_text_to(phone: str) -> str | None:
    for to, text in reversed(sent):
        if to == phone:
            return text
    return None
