"""Text messages for sign-in, through the development outbox (no SMS gateway yet).

The log records that a text went to a masked number — never the text, which holds a one-time
code. Outside production the text is printed on the terminal, like the console e-mail backend
(``core.dev_outbox``); in production it is dropped until a gateway is configured.
"""

import structlog

from tongban.core import dev_outbox

log = structlog.get_logger("tongban.signin.sms")


def mask_phone(phone: str) -> str:
    """``+85291234567`` → ``+852******67``: enough to tell numbers apart, not to dial one."""
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:4] + "*" * (len(phone) - 6) + phone[-2:]


def send_text(phone: str, message: str, *, purpose: str) -> None:
    delivered = dev_outbox.deliver(phone, message)
    log.info("sms_sent", channel="log", to=mask_phone(phone), purpose=purpose, delivered=delivered)
