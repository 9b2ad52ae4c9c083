"""The archive builder of "download my data": names that stay inside the zip, one entry per
path, hashes of what was written, and stored files that are gone listed instead of failing."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

from tongban.core.personal_data import (
    ExportFile,
    ExportScope,
    Section,
    safe_name,
    write_archive,
)
from tongban.core.registries import Registry

SCOPE = ExportScope(person=None, full_identifiers=True)


def gone():
    raise FileNotFoundError("deleted by retention")


def build(*exporters) -> tuple[zipfile.ZipFile, dict]:
    registry = Registry("test exporter")
    for number, exporter in enumerate(exporters):
        registry.register(f"app{number}", exporter)
    out = io.BytesIO()
    manifest = write_archive(SCOPE, out, registry=registry)
    return zipfile.ZipFile(out), manifest


def test_names_from_people_stay_one_segment():
    for hostile in ("../../etc/passwd", "C:\\Windows\\x.pdf", "..", "a\x00b/../c"):
        name = safe_name(hostile)
        assert name and "/" not in name and "\\" not in name and "\x00" not in name
        assert not name.startswith(".")
    assert safe_name("  ") == "file"
    assert safe_name("身份證.pdf") == "身份證.pdf"


def test_sections_and_files_with_their_hashes():
    content = b"%PDF-1.7 stored bytes"

    def exporter(scope):
        yield Section("things", {"a": 1})
        yield ExportFile("files/a.pdf", lambda: io.BytesIO(content), {"kind": "attachment"})
        yield ExportFile("files/a.pdf", lambda: io.BytesIO(b"second"))

    archive, manifest = build(exporter)
    assert json.loads(archive.read("data/things.json")) == {"a": 1}
    assert archive.read("files/a.pdf") == content
    assert archive.read("files/a-2.pdf") == b"second"  # same name twice: both kept
    for entry in manifest["files"]:
        assert hashlib.sha256(archive.read(entry["path"])).hexdigest() == entry["sha256"]
        assert entry["exporter"] == "app0"
    assert json.loads(archive.read("manifest.json")) == manifest
    assert [s["name"] for s in manifest["sections"]] == ["things"]


def test_a_stored_file_that_is_gone_is_listed_not_fatal():
    def exporter(scope):
        yield ExportFile("files/lost.pdf", gone, {"case": "JM-2026-000001"})
        yield Section("rest", [])

    archive, manifest = build(exporter)
    assert manifest["missing_files"] == [
        {"path": "files/lost.pdf", "exporter": "app0", "case": "JM-2026-000001"}
    ]
    assert "files/lost.pdf" not in archive.namelist()
    assert "data/rest.json" in archive.namelist()
