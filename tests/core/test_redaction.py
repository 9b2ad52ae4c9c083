"""The redaction net: secret shapes are hidden wherever a log line is written, innocent lines
are left alone, and the suite-wide watch fails a run that logs a secret."""

import logging
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
import structlog

from tongban.core import logs
from tongban.core.redaction import REDACTED, RedactingFilter, redact_text, secrets_in

ROOT = Path(__file__).resolve().parents[2]
SECRETS = {
    "GET /accounts/confirm-email/MQ:1tXyz9:abcDEF123/ HTTP/1.1": "MQ:1tXyz9:abcDEF123",
    "/accounts/password/reset/key/1-cz5kl8-7c0f1e2d3a4b/": "1-cz5kl8-7c0f1e2d3a4b",
    "/accounts/oidc/iamsmart/login/callback/?code=Sp1xAu7h&state=q8Zt": "Sp1xAu7h",
    "Authorization: Bearer tb_AbCdEfGhIjKlMnOpQrStUv": "tb_AbCdEfGhIjKlMnOpQrStUv",
    "token tb_Z9y8X7w6V5u4T3s2R1q0 created": "tb_Z9y8X7w6V5u4T3s2R1q0",
    "Your Tongban verification code is QX7K-M2PD.": "QX7K-M2PD",
    "Tongban kiosk code: 482913. It expires in 5 minutes.": "482913",
    "您的通办验证码是 903117。": "903117",
    "O seu código de verificação é 551208": "551208",
}
INNOCENT = [
    "case JM-2026-000001 accepted at 2026-12-04T17:42:33.878969Z",
    "to=+853******56 127.0.0.1:8000 GET /me/cases/JM-2026-000001/ 200",
    "error code 413 too_large implementation_code=11440700MB2C94212000",
    "catalog_imported hash=6d11c82d14f6d5dbde7dcf7b4049ef50 created=492",
]


@pytest.mark.parametrize("line", sorted(SECRETS))
def test_secret_shapes_are_hidden(line):
    redacted = redact_text(line)
    assert SECRETS[line] not in redacted and REDACTED in redacted
    assert secrets_in(line) and not secrets_in(redacted)


@pytest.mark.parametrize("line", INNOCENT)
def test_innocent_lines_are_left_alone(line):
    assert redact_text(line) == line and not secrets_in(line)


@pytest.mark.logs_secrets_on_purpose
def test_structlog_output_is_redacted(settings, capsys):
    structlog.reset_defaults()
    logs.configure_structlog()
    try:
        structlog.get_logger("tongban.test").info(
            "link_made",
            url="https://x.example/accounts/confirm-email/MQ:1tXyz9:abcDEF123/",
            password="hunter2-but-longer",
            nested={"code": "482913", "note": "kiosk code: 482913"},
            object_id=482913,  # numbers that are not text stay numbers
        )
        err = capsys.readouterr().err
    finally:
        structlog.reset_defaults()
        logs.configure_structlog()
    assert "abcDEF123" not in err and "hunter2" not in err and "'482913'" not in err
    assert "kiosk code: 482913" not in err and "object_id=482913" in err


@pytest.mark.logs_secrets_on_purpose
def test_the_console_handler_redacts_standard_library_records():
    [console] = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactingFilter) for f in h.filters)
    ]
    record = logging.LogRecord(
        "django.request",
        logging.WARNING,
        __file__,
        1,
        "Not Found: %s",
        ("/accounts/password/reset/key/1-cz5kl8-7c0f1e2d3a4b/",),
        None,
    )
    assert console.filter(record)
    assert "cz5kl8" not in record.getMessage() and REDACTED in record.getMessage()


def test_runservers_request_lines_go_through_the_net_too():
    # Only the stream handlers print; pytest's capture handlers sit beside them.
    printing = [
        h for h in logging.getLogger("django.server").handlers if type(h) is logging.StreamHandler
    ]
    assert printing and all(
        any(isinstance(f, RedactingFilter) for f in handler.filters) for handler in printing
    )


def test_gunicorn_access_log_hides_keys_in_paths_and_credentials():
    from gunicorn.config import Config

    from tongban.web.gunicorn_logging import RedactingAccessLogger

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/accounts/confirm-email/MQ:1tXyz9:abcDEF123/?next=/me/",
        "PATH_INFO": "/accounts/confirm-email/MQ:1tXyz9:abcDEF123/",
        "QUERY_STRING": "code=Sp1xAu7h&state=q8Zt",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://x.example/accounts/password/reset/key/1-cz5kl8-7c0f1e2d3a4b/",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[("COOKIE", "sessionid=s3cr3t"), ("USER-AGENT", "x")])
    atoms = RedactingAccessLogger(Config()).atoms(response, request, environ, timedelta(0))
    line = " ".join(str(value) for value in atoms.values())
    for secret in ("abcDEF123", "Sp1xAu7h", "q8Zt", "cz5kl8", "s3cr3t"):
        assert secret not in line, secret
    assert atoms["r"].startswith("GET /accounts/confirm-email/[redacted]/")


def test_the_suite_fails_when_a_test_logs_a_secret(tmp_path):
    (tmp_path / "test_leak.py").write_text(
        "import logging, structlog\n"
        "def test_clean():\n"
        "    logging.getLogger('x').warning('nothing to see')\n"
        "def test_leaks():\n"
        "    structlog.get_logger().info('mail', link='/accounts/confirm-email/MQ:1:abc/')\n"
    )
    environment = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.log_secrets",
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            "test_leak.py",
        ],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 passed" in result.stdout
    assert "test_leak.py::test_leaks: e-mail confirmation link" in result.stdout
    assert "test_clean" not in result.stdout.split("secrets in logs")[1]
