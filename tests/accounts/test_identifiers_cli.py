"""``tongban identifiers check KIND VALUE``: exit codes, output and language."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tongban.core.locale import supported_language


def run_check(*args):
    """(exit code, stdout, stderr) of the command run in this process."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("identifiers", "check", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = exit_.code
    return code, out.getvalue().strip(), err.getvalue().strip()


@pytest.fixture(autouse=True)
def _no_locale_environment(monkeypatch):
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)


def test_valid_number_prints_the_normalised_form_and_exits_0():
    assert run_check("hkid", "a 123456 3") == (0, "A123456(3)", "")


def test_invalid_number_prints_the_reason_and_exits_1():
    assert run_check("hkid", "A123456(4)", "--language", "en") == (
        1,
        "",
        "The check digit in brackets should be 3, not 4.",
    )


@pytest.mark.parametrize(
    ("kind", "value", "normalized"),
    [
        ("mo-bir", "12345678", "1234567(8)"),
        ("hmt-permit", "m12345678", "M12345678"),
        ("hkmo-residence-permit", "82000019851231007x", "82000019851231007X"),
        ("cn-id", "360426199101010071", "360426199101010071"),
        ("uscc", "91110000600037341l", "91110000600037341L"),
        ("hk-br", "12345678", "12345678"),
        ("passport", "e1234567", "E1234567"),
    ],
)
def test_every_kind(kind, value, normalized):
    assert run_check(kind, value) == (0, normalized, "")


def test_reason_language_comes_from_lang_when_not_given(monkeypatch):
    monkeypatch.setenv("LANG", "pt_PT.UTF-8")
    code, _out, err = run_check("hkid", "A123456(4)")
    with translation.override("pt"):
        expected = translation.gettext(
            "The check digit in brackets should be %(expected)s, not %(given)s."
        ) % {"expected": "3", "given": "4"}
    assert (code, err) == (1, expected)


def test_unknown_language_is_refused():
    with pytest.raises(CommandError, match="Unknown language fr"):
        run_check("hkid", "A123456(3)", "--language", "fr")


@pytest.mark.parametrize(
    ("locale_name", "language"),
    [
        ("zh_CN.UTF-8", "zh-hans"),
        ("zh_HK.UTF-8", "zh-hant"),
        ("zh_MO", "zh-hant"),
        ("zh_TW.Big5", "zh-hant"),
        ("en_US.UTF-8", "en"),
        ("pt_PT.UTF-8@euro", "pt"),
        ("C.UTF-8", None),
        ("POSIX", None),
        ("fr_FR.UTF-8", None),
        ("", None),
    ],
)
def test_locale_names_map_to_site_languages(locale_name, language):
    assert supported_language(locale_name) == language


@pytest.mark.parametrize(
    ("value", "code", "stdout"),
    [("A123456(3)", 0, "A123456(3)\n"), ("A123456(4)", 1, "")],
)
def test_the_installed_command_exits_with_the_verdict(tmp_path, value, code, stdout):
    env = {**os.environ, "TONGBAN_VAR_DIR": str(tmp_path), "LANG": "en_US.UTF-8"}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    completed = subprocess.run(
        [sys.executable, "-m", "tongban.cli", "identifiers", "check", "hkid", value],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert completed.returncode == code
    assert completed.stdout == stdout
    if code:
        assert "should be 3, not 4" in completed.stderr
