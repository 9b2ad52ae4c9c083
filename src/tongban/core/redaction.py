"""No one-time link, code, token or password in a log line, whoever wrote the line.

The code does not log such things in the first place; this is the net under it, applied to every
structlog event (``redact_secrets``), every standard-library record reaching the console handler
(``RedactingFilter``) and gunicorn's access log (``web.gunicorn_logging``), because request paths
themselves carry secrets: ``/accounts/confirm-email/<key>/``, ``/accounts/password/reset/key/…``.

``SECRET_PATTERNS`` are shapes that are never anything but a secret; the test suite fails if
any of them reaches a log record (``tests/log_secrets.py``). ``redact_text`` also hides likely
one-time codes (six digits standing alone, allauth's ``ABCD-EFGH`` codes), which may
rarely hide an innocent number too: a price paid for never showing a real one.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[redacted]"

# Never anything but a secret.
SECRET_PATTERNS: dict[str, re.Pattern] = {
    "e-mail confirmation link": re.compile(r"(/confirm-email/)(?!\[redacted\])[^/\s?#\"'<>]+"),
    "password reset link": re.compile(r"(/password/reset/key/)(?!\[redacted\])[^/\s?#\"'<>]+"),
    "secret in a query string": re.compile(
        r"([?&](?:key|token|code|secret|password|signature|sig|otp|state|access_token|"
        r"id_token|refresh_token|sessionid|csrfmiddlewaretoken)=)(?!\[redacted\])[^&\s#\"'<>]+",
        re.IGNORECASE,
    ),
    "API token": re.compile(r"(\btb_)(?!\[redacted\])[A-Za-z0-9_\-]{12,}"),
    "bearer credential": re.compile(r"(\bBearer\s+)(?!\[redacted\])[^\s\"',]+", re.IGNORECASE),
    "one-time code in a message": re.compile(
        r"((?:\bcode|\bc[óo]digo|验证码|驗證碼|代码|代碼)[^\d\n]{0,30}?)(?<![\w-])"
        r"(?!\[redacted\])([A-Z0-9]{3,5}(?:-[A-Z0-9]{3,5}){1,2}|\d{4,9})(?![\w-])",
        re.IGNORECASE,
    ),
}
# Probably a one-time code when standing alone; not used to fail the test suite.
LIKELY_CODE_PATTERNS = (
    re.compile(r"()(?<![\w.:/+*#-])(?:[A-Z0-9]{4}-[A-Z0-9]{4}|\d{3}-\d{3}-\d{3})(?![\w-])"),
    re.compile(r"()(?<![\w.:/+*#-])\d{6}(?![\w.:/-])"),
)
# Values of these keys are secrets whatever they look like.
SECRET_KEYS = frozenset(
    {"code", "otp", "pin", "password", "token", "secret", "key", "authorization", "cookie"}
)
SECRET_KEY_PARTS = ("password", "secret", "token", "otp_", "api_key", "recovery_code")


def _hide(match: re.Match) -> str:
    return match.group(1) + REDACTED


def redact_text(text: str) -> str:
    for pattern in SECRET_PATTERNS.values():
        text = pattern.sub(_hide, text)
    for pattern in LIKELY_CODE_PATTERNS:
        text = pattern.sub(_hide, text)
    return text


def secret_key_name(name: str) -> bool:
    lowered = name.lower()
    return lowered in SECRET_KEYS or any(part in lowered for part in SECRET_KEY_PARTS)


def redact_value(value, *, key: str = ""):
    if key and secret_key_name(key) and value not in (None, "", True, False):
        return REDACTED
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: redact_value(v, key=str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(redact_value(item) for item in value)
    return value


def redact_secrets(_logger, _method_name, event_dict: dict) -> dict:
    """structlog processor: every value of the event, the event text included."""
    return {key: redact_value(value, key=key) for key, value in event_dict.items()}


def secrets_in(text: str) -> list[str]:
    """The kinds of ``SECRET_PATTERNS`` found in ``text`` (for tests and the suite's check)."""
    return [name for name, pattern in SECRET_PATTERNS.items() if pattern.search(text)]


class RedactingFilter(logging.Filter):
    """On a handler: rewrites each record's message (arguments merged in) without secrets."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        record.msg, record.args = redact_text(message), None
        if record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        return True
