import json

import structlog

from tongban.core import logs


def reconfigure(settings, *, production: bool) -> None:
    settings.PRODUCTION = production
    structlog.reset_defaults()
    logs.configure_structlog()


def test_production_logs_are_json_lines_on_stderr(settings, capsys):
    try:
        reconfigure(settings, production=True)
        structlog.get_logger("tongban.audit").info("case_accepted", object_id="42", 案="件")
        captured = capsys.readouterr()
        line = json.loads(captured.err.strip())
        assert (line["event"], line["object_id"], line["案"], line["level"]) == (
            "case_accepted",
            "42",
            "件",
            "info",
        )
        assert captured.out == ""
    finally:
        reconfigure(settings, production=False)


def test_embedded_logs_are_readable_lines(settings, capsys):
    reconfigure(settings, production=False)
    structlog.get_logger("tongban.audit").info("case_accepted", object_id="42")
    err = capsys.readouterr().err
    assert "case_accepted" in err and "object_id=42" in err


def test_an_existing_configuration_is_left_alone():
    structlog.configure(processors=[structlog.processors.JSONRenderer()])
    try:
        before = structlog.get_config()["processors"]
        logs.configure_structlog()
        assert structlog.get_config()["processors"] is before
    finally:
        structlog.reset_defaults()
        logs.configure_structlog()
