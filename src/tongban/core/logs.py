"""structlog, configured once for the whole platform unless someone configured it already.

JSON lines in production (for a log shipper), readable lines otherwise; always on stderr, so
commands that print results on stdout stay pipeable. Personal identifiers are never logged:
callers pass ids and masked values only. Secrets (links with keys, one-time codes, tokens) are
never passed either, and ``core.redaction`` hides any that slip through.
"""

import logging
import sys

import structlog
from django.conf import settings

from .redaction import redact_secrets


def _stderr_logger(*_args) -> structlog.PrintLogger:
    # Resolved per logger, not at configuration time, so a replaced sys.stderr is honoured.
    return structlog.PrintLogger(sys.stderr)


def configure_structlog() -> None:
    if structlog.is_configured():
        return
    production = getattr(settings, "PRODUCTION", False)
    level = logging.getLevelName(str(getattr(settings, "LOG_LEVEL", "INFO")).upper())
    renderer = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if production
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            redact_secrets,  # no one-time link, code or token in a log line (core.redaction)
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(
            level if isinstance(level, int) else logging.INFO
        ),
        logger_factory=_stderr_logger,
        cache_logger_on_first_use=False,
    )


def logging_settings(level: str) -> dict:
    """Django's ``LOGGING``: readable lines on stderr for the standard library's records, through
    a filter that hides secrets (Django's own warnings name request paths, which can hold reset
    and confirmation keys)."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            # Django's own, for runserver's request lines (which name every path).
            "django.server": {
                "()": "django.utils.log.ServerFormatter",
                "format": "[{server_time}] {message}",
                "style": "{",
            },
        },
        "filters": {"redact": {"()": "tongban.core.redaction.RedactingFilter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "filters": ["redact"],
            },
            "django.server": {
                "class": "logging.StreamHandler",
                "formatter": "django.server",
                "filters": ["redact"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        },
    }
