"""Outgoing mail from environment variables; production refuses a backend that delivers nothing.

Imported by ``settings.py``, so it uses nothing from Django but its exceptions. Three ways:

* ``TONGBAN_EMAIL_URL``: ``smtp://user:password@host:587`` (STARTTLS), ``smtps://…:465``
  (TLS from the start) or ``smtp+plain://host:25`` (no encryption: a relay on the same host or
  network only); user and password percent-encoded.
* ``TONGBAN_EMAIL_HOST`` with ``TONGBAN_EMAIL_PORT`` (587), ``TONGBAN_EMAIL_HOST_USER``,
  ``TONGBAN_EMAIL_HOST_PASSWORD``, ``TONGBAN_EMAIL_USE_TLS`` (true) / ``TONGBAN_EMAIL_USE_SSL``.
* ``TONGBAN_EMAIL_BACKEND``: any Django e-mail backend (an API-based provider's package).

Without any of them the embedded platform prints e-mails on the terminal (Django's console
backend), confirmation and reset links included. Production must never do that — or keep mail
in memory, in files or nowhere — so it refuses to start instead.
"""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
# Backends that deliver nothing to anyone; the console and file ones write links in clear text.
NOT_DELIVERING = {
    CONSOLE_BACKEND,
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
}
URL_SCHEMES = {
    "smtp": (587, True, False),
    "smtps": (465, False, True),
    "smtp+plain": (25, False, False),
}
HELP = (
    "Set TONGBAN_EMAIL_URL (e.g. smtp://user:password@mail.example.org:587), or TONGBAN_EMAIL_HOST "
    "and its companions, or TONGBAN_EMAIL_BACKEND to a delivering backend; see docs/configuration.md."
)


class MailConfigurationError(ImproperlyConfigured):
    """The environment describes outgoing mail that cannot work (or must not, in production)."""


class MailSettings(NamedTuple):
    """Django's ``EMAIL_*`` settings, in this order."""

    backend: str
    host: str = "localhost"
    port: int = 25
    host_user: str = ""
    host_password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    timeout: int = 10


def _flag(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in URL_SCHEMES or not parts.hostname:
        raise MailConfigurationError(
            "TONGBAN_EMAIL_URL must look like smtp://user:password@host:587 "
            "(schemes: smtp, smtps, smtp+plain)."
        )
    port, use_tls, use_ssl = URL_SCHEMES[parts.scheme]
    query = parse_qs(parts.query)
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": parts.port or port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": int(query.get("timeout", ["10"])[0]),
    }


def _from_host(environ) -> dict:
    use_ssl = _flag(environ.get("TONGBAN_EMAIL_USE_SSL"), False)
    return {
        "EMAIL_BACKEND": SMTP_BACKEND,
        "EMAIL_HOST": environ["TONGBAN_EMAIL_HOST"],
        "EMAIL_PORT": int(environ.get("TONGBAN_EMAIL_PORT") or (465 if use_ssl else 587)),
        "EMAIL_HOST_USER": environ.get("TONGBAN_EMAIL_HOST_USER", ""),
        "EMAIL_HOST_PASSWORD": environ.get("TONGBAN_EMAIL_HOST_PASSWORD", ""),
        "EMAIL_USE_TLS": _flag(environ.get("TONGBAN_EMAIL_USE_TLS"), not use_ssl),
        "EMAIL_USE_SSL": use_ssl,
        "EMAIL_TIMEOUT": int(environ.get("TONGBAN_EMAIL_TIMEOUT") or 10),
    }


def mail_from_environment(environ, *, production: bool) -> dict:
    """The ``EMAIL_*`` settings; ``MailConfigurationError`` when production would not deliver."""
    url = environ.get("TONGBAN_EMAIL_URL", "")
    if url:
        settings = _from_url(url)
    elif environ.get("TONGBAN_EMAIL_HOST"):
        settings = _from_host(environ)
    else:
        settings = {"EMAIL_BACKEND": CONSOLE_BACKEND}
    backend = environ.get("TONGBAN_EMAIL_BACKEND", "")
    if backend:
        settings["EMAIL_BACKEND"] = backend
    if production and settings["EMAIL_BACKEND"] in NOT_DELIVERING:
        raise MailConfigurationError(
            f"TONGBAN_ENV=production needs real outgoing mail, not {settings['EMAIL_BACKEND']}. "
            + HELP
        )
    if production and settings["EMAIL_BACKEND"] == SMTP_BACKEND and not settings.get("EMAIL_HOST"):
        raise MailConfigurationError("The SMTP backend needs a host in production. " + HELP)
    return settings


def mail_settings(environ, *, production: bool) -> MailSettings:
    """``mail_from_environment`` as a tuple to unpack into the settings module."""
    found = mail_from_environment(environ, production=production)
    return MailSettings(
        **{key.removeprefix("EMAIL_").lower(): value for key, value in found.items()}
    )
