"""``tongban document verify FILE.pdf [--keys keys.json]``: exit 0 when valid, 1 with the reason."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from tongban.documents import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def pdf_file(issue, tmp_path):
    document = issue()
    path = tmp_path / "voucher.pdf"
    path.write_bytes(services.read_pdf(document))
    return document, path


def verify(*args) -> str:
    out = StringIO()
    with translation.override("en"):
        call_command("document", "verify", *map(str, args), stdout=out)
    return out.getvalue()


def failure(*args) -> CommandError:
    with pytest.raises(CommandError) as raised:
        verify(*args)
    assert raised.value.returncode == 1
    return raised.value


def test_valid_pdf_passes_and_says_what_it_is(pdf_file):
    document, path = pdf_file
    output = verify(path)
    assert output.startswith("VALID") and document.number in output and "A12****(3)" in output


def test_one_changed_byte_fails_with_the_reason(pdf_file):
    _document, path = pdf_file
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    assert "changed" in str(failure(path))


def test_revoked_pdf_fails_online_and_passes_offline(pdf_file):
    document, path = pdf_file
    services.revoke(document, "mistake", "staff:1")
    assert "revoked" in str(failure(path))
    assert "offline" in verify(path, "--offline")


def test_truncated_and_missing_files_fail(pdf_file, tmp_path):
    _document, path = pdf_file
    path.write_bytes(path.read_bytes()[:-100])
    assert "truncated" in str(failure(path))
    assert "Cannot read" in str(failure(tmp_path / "nope.pdf"))


def test_keys_file_verifies_offline_and_a_bad_keys_file_fails(pdf_file, tmp_path):
    _document, path = pdf_file
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(services.published_keys()))
    assert "offline" in verify(path, "--keys", keys_file)
    keys_file.write_text('{"keys": []}')
    failure(path, "--keys", keys_file)
    keys_file.write_text("not json")
    failure(path, "--keys", keys_file)


def test_the_cli_exits_0_for_valid_and_1_for_tampered(pdf_file, tmp_path, settings):
    """The real ``tongban`` entry point, offline, with a published key file."""
    _document, path = pdf_file
    keys_file = tmp_path / "keys.json"
    keys_file.write_text(json.dumps(services.published_keys()))
    tongban = Path(sys.executable).parent / "tongban"
    environment = {
        **os.environ,
        "TONGBAN_VAR_DIR": str(tmp_path / "cli-var"),
        "LANG": "en_US.UTF-8",
    }
    environment.pop("LANGUAGE", None)
    environment.pop("LC_ALL", None)
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    command = [str(tongban), "document", "verify", str(path), "--keys", str(keys_file)]
    ok = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert ok.returncode == 0, ok.stderr
    assert "VALID" in ok.stdout
    data = bytearray(path.read_bytes())
    data[300] ^= 0x01
    path.write_bytes(bytes(data))
    tampered = subprocess.run(command, capture_output=True, text=True, env=environment)
    assert tampered.returncode == 1
    assert "NOT VALID" in tampered.stderr


def test_revoke_command_revokes_once_and_explains_refusals(issue):
    document = issue()
    out = StringIO()
    call_command("document", "revoke", document.number, "--reason", "wrong person", stdout=out)
    assert document.number in out.getvalue()
    document.refresh_from_db()
    assert document.status == "revoked" and document.revoked_by == "command:document"
    for arguments in ([document.number, "--reason", "again"], ["TSV-1999-000001", "--reason", "x"]):
        with pytest.raises(CommandError) as raised:
            call_command("document", "revoke", *arguments)
        assert raised.value.returncode == 1
