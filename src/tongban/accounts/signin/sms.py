"""Text messages for sign-in, sent through a channel that only writes to the log.

The notification channel registry does not exist yet; until it does, sign-in codes go to the
structured log (like the console e-mail backend in embedded mode). The number is masked, so the
log never holds a whole phone number. A production deployment must replace this channel.
"""

import structlog

log = structlog.get_logger("tongban.signin.sms")


def mask_phone(phone: str) -> str:
    """``+85291234567`` → ``+852******67``: enough to tell numbers apart, not to dial one."""
    if len(phone) <= 6:
        return "*" * len(phone)
    return phone[:4] + "*" * (len(phone) - 6) + phone[-2:]


def send_text(phone: str, message: str, *, purpose: str) -> None:
    log.info("sms_sent", channel="log", to=mask_phone(phone), purpose=purpose, message=message)
