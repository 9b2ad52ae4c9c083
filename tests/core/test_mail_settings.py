"""Outgoing mail from the environment; production refuses mail that would only be printed."""

import os
import subprocess
import sys

import pytest

from tongban.core.mail_settings import (
    CONSOLE_BACKEND,
    SMTP_BACKEND,
    MailConfigurationError,
    mail_from_environment,
)


def test_embedded_default_prints_mail_on_the_console():
    assert mail_from_environment({}, production=False)["EMAIL_BACKEND"] == CONSOLE_BACKEND


@pytest.mark.parametrize(
    "backend",
    [
        "",
        CONSOLE_BACKEND,
        "django.core.mail.backends.locmem.EmailBackend",
        "django.core.mail.backends.filebased.EmailBackend",
        "django.core.mail.backends.dummy.EmailBackend",
    ],
)
def test_production_refuses_mail_that_goes_nowhere(backend):
    with pytest.raises(MailConfigurationError, match="TONGBAN_EMAIL_URL"):
        mail_from_environment({"TONGBAN_EMAIL_BACKEND": backend}, production=True)


def test_an_email_url_configures_smtp():
    mail = mail_from_environment(
        {"TONGBAN_EMAIL_URL": "smtp://tongban%40jm.gov:p%40ss%2Fword@mail.jm.gov:2525"},
        production=True,
    )
    assert mail["EMAIL_BACKEND"] == SMTP_BACKEND
    assert (mail["EMAIL_HOST"], mail["EMAIL_PORT"]) == ("mail.jm.gov", 2525)
    assert (mail["EMAIL_HOST_USER"], mail["EMAIL_HOST_PASSWORD"]) == ("tongban@jm.gov", "p@ss/word")
    assert mail["EMAIL_USE_TLS"] and not mail["EMAIL_USE_SSL"]
    smtps = mail_from_environment({"TONGBAN_EMAIL_URL": "smtps://mail.jm.gov"}, production=True)
    assert (smtps["EMAIL_PORT"], smtps["EMAIL_USE_SSL"], smtps["EMAIL_USE_TLS"]) == (
        465,
        True,
        False,
    )


def test_host_variables_configure_smtp():
    mail = mail_from_environment(
        {
            "TONGBAN_EMAIL_HOST": "relay.internal",
            "TONGBAN_EMAIL_PORT": "25",
            "TONGBAN_EMAIL_USE_TLS": "false",
        },
        production=True,
    )
    assert (mail["EMAIL_HOST"], mail["EMAIL_PORT"], mail["EMAIL_USE_TLS"]) == (
        "relay.internal",
        25,
        False,
    )


@pytest.mark.parametrize("url", ["http://mail.jm.gov", "smtp://", "mail.jm.gov:25"])
def test_a_malformed_url_is_refused(url):
    with pytest.raises(MailConfigurationError, match="smtp://"):
        mail_from_environment({"TONGBAN_EMAIL_URL": url}, production=False)


def production_environment(tmp_path, **extra) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TONGBAN_")}
    environment.update(
        TONGBAN_ENV="production",
        TONGBAN_SECRET_KEY="s" * 50,
        TONGBAN_ALLOWED_HOSTS="example.org",
        TONGBAN_FIELD_KEYS="Zm9vYmFyYmF6Zm9vYmFyYmF6Zm9vYmFyYmF6Zm9vYmE=",
        TONGBAN_LOOKUP_KEY="lookup",
        TONGBAN_VAR_DIR=str(tmp_path),
        **extra,
    )
    return environment


def start(environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import tongban.settings as s; print(s.EMAIL_BACKEND)"],
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_mail(tmp_path):
    result = start(production_environment(tmp_path))
    assert result.returncode != 0
    assert "needs real outgoing mail" in result.stderr and "TONGBAN_EMAIL_URL" in result.stderr
    configured = start(
        production_environment(tmp_path, TONGBAN_EMAIL_URL="smtp://mail.example.org:587")
    )
    assert configured.returncode == 0, configured.stderr
    assert configured.stdout.strip() == SMTP_BACKEND
