"""Watches every log record of the whole test run for secrets, as the code wrote them.

A pytest plugin (``pytest_plugins`` in ``tests/conftest.py``): a ``LogWatch`` sees each
structlog event before any processor (the redaction net included) and each record of a
``tongban`` standard-library logger before any handler, so it catches code that *logs* a secret
even though the net would hide it. Records of Django and libraries (request paths in "Not
Found: …") are judged as the net leaves them, since their code cannot be changed. Only ``core.redaction.SECRET_PATTERNS`` count — shapes that are never anything
but a secret (confirmation and reset links, ``tb_`` tokens, bearer credentials, codes in a
message) — so the check cannot fail on an innocent number. A finding fails the session with the
test that caused it. A test that logs a secret on purpose (to test the net) is marked
``logs_secrets_on_purpose``. Events inside ``structlog.testing.capture_logs`` are not seen
(that context replaces the whole pipeline); tests using it assert on what they capture.
"""

from __future__ import annotations

import logging

import pytest
import structlog

from tongban.core.redaction import redact_text, secrets_in


class LogWatch:
    """Collects what the code logs, raw: ``texts`` (all) or only ``findings`` (secrets)."""

    def __init__(self, *, keep_all: bool):
        self.keep_all = keep_all
        self.texts: list[str] = []
        self.findings: list[tuple[str, str, str]] = []  # (where, kind, excerpt)
        self.where = ""
        self.handler = _WatchHandler(self)

    def see(self, text: str) -> None:
        if self.keep_all:
            self.texts.append(text)
        for kind in secrets_in(text):
            self.findings.append((self.where, kind, text[:300]))

    def structlog_processor(self, _logger, _method_name, event_dict):
        self.see(str(event_dict))
        return event_dict

    def install(self) -> None:
        root = logging.getLogger()
        if self.handler not in root.handlers:
            # First, before the console handler's redacting filter rewrites the record.
            root.handlers.insert(0, self.handler)
        self.ensure_structlog()

    def ensure_structlog(self) -> None:
        processors = structlog.get_config()["processors"]
        if not any(getattr(p, "__self__", None) is self for p in processors):
            structlog.configure(processors=[self.structlog_processor, *processors])

    def uninstall(self) -> None:
        logging.getLogger().removeHandler(self.handler)
        processors = structlog.get_config()["processors"]
        kept = [p for p in processors if getattr(p, "__self__", None) is not self]
        if len(kept) != len(processors):
            structlog.configure(processors=kept)


class _WatchHandler(logging.Handler):
    def __init__(self, watch: LogWatch):
        super().__init__(level=logging.NOTSET)
        self.watch = watch

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = record.getMessage()
        except (TypeError, ValueError):
            text = str(record.msg)
        if record.exc_info and record.exc_info[1] is not None:
            text += f" {record.exc_info[1]}"
        if not record.name.startswith("tongban"):
            # Django and libraries log request paths, which we cannot change: for them the
            # redaction net is what stands between a path's key and the log, so judge its output.
            text = redact_text(text)
        self.watch.see(text)


_session_watch = LogWatch(keep_all=False)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "logs_secrets_on_purpose: the test logs a secret to test the redaction net"
    )


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    on_purpose = item.get_closest_marker("logs_secrets_on_purpose") is not None
    _session_watch.where = item.nodeid
    if on_purpose:
        _session_watch.uninstall()
    else:
        _session_watch.install()
    yield
    _session_watch.where = ""


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    # A test (or the code under test) may have reconfigured structlog during set-up.
    if item.get_closest_marker("logs_secrets_on_purpose") is None:
        _session_watch.ensure_structlog()
    yield


def pytest_sessionfinish(session, exitstatus):
    _session_watch.uninstall()
    if not _session_watch.findings:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    lines = [
        f"{where or '(outside a test)'}: {kind}: {excerpt}"
        for where, kind, excerpt in _session_watch.findings[:50]
    ]
    message = "Secrets were written to the log:\n  " + "\n  ".join(lines)
    if reporter is not None:
        reporter.write_sep("=", "secrets in logs", red=True)
        reporter.write_line(message)
    session.exitstatus = pytest.ExitCode.TESTS_FAILED
