"""Personal data exporters: every app contributes what it keeps about a person to one archive.

PIPL art. 45 gives a person the right to a copy of their data. No single app knows all of it,
and a lower app may not import a higher one, so each app registers an exporter in its
``AppConfig.ready()``: a function of an ``ExportScope`` (the person) that yields ``Section`` (JSON-ready data) and
``ExportFile`` (a stored file, opened only when it is written). ``write_archive`` builds the
zip: ``data/<section>.json`` per section, the files under their own paths, and
``manifest.json`` listing every entry with its SHA-256 and size. It writes to a file object
(a temporary file in practice), one chunk at a time, so a person with gigabytes of uploads
never sits in memory.

Issued documents (letters, certificates) are found by the keyed hash of their holder, which
only the issuing app can compute: such apps register a function in ``document_holders`` that
yields the holder hashes of a person, and the documents app exports them all.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from .registries import Registry

FORMAT = "tongban.my-data/2"
CHUNK = 1024 * 1024
SAFE_NAME_MAX = 120


@dataclass(frozen=True)
class Section:
    """One app's data about the person, written to ``data/<name>.json``."""

    name: str
    data: Any


@dataclass(frozen=True)
class ExportFile:
    """A stored file to copy into the archive; ``open`` is called only when it is written."""

    path: str
    open: Callable[[], IO[bytes]]
    about: dict[str, Any] = field(default_factory=dict)  # extra manifest fields (kind, number)


@dataclass(frozen=True)
class ExportScope:
    """Whose data, and whether the reader may see full identifiers (the holder: yes)."""

    person: Any
    full_identifiers: bool


Exporter = Callable[[ExportScope], Iterable[Section | ExportFile]]
HolderHashes = Callable[[Any], Iterable[str]]

exporters: Registry[Exporter] = Registry("personal data exporter")
document_holders: Registry[HolderHashes] = Registry("personal document holder")


def when(value) -> str | None:
    """ISO 8601 for a date or time, None for None: the one date format of the archive."""
    return value.isoformat() if value else None


def safe_name(name: str) -> str:
    """A file name that stays one path segment inside a zip on every system."""
    name = re.sub(r"[\x00-\x1f\x7f/\\:*?\"<>|]+", "_", (name or "").strip()).strip(". ")
    return name[-SAFE_NAME_MAX:] or "file"


def holder_hashes_of(person) -> set[str]:
    hashes: set[str] = set()
    for _name, holders in document_holders.items():
        hashes.update(holders(person))
    return hashes


class _Archive:
    def __init__(self, destination: IO[bytes]):
        self.zip = zipfile.ZipFile(destination, "w", compression=zipfile.ZIP_DEFLATED)
        self.entries: list[dict[str, Any]] = []
        self.missing: list[dict[str, Any]] = []
        self.paths: set[str] = set()

    def _unique(self, path: str) -> str:
        candidate, number = path, 1
        while candidate in self.paths:
            number += 1
            stem, dot, extension = path.rpartition(".")
            candidate = f"{stem}-{number}.{extension}" if dot else f"{path}-{number}"
        self.paths.add(candidate)
        return candidate

    def entry_info(self, path: str, compress_type: int) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(path, date_time=timezone.localtime().timetuple()[:6])
        info.compress_type = compress_type
        info.external_attr = 0o600 << 16  # unpacked, readable by the person only
        return info

    def add_bytes(self, path: str, content: bytes, exporter: str) -> None:
        path = self._unique(path)
        self.zip.writestr(self.entry_info(path, zipfile.ZIP_DEFLATED), content)
        self.entries.append(
            {
                "path": path,
                "exporter": exporter,
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
            }
        )

    def add_file(self, item: ExportFile, exporter: str) -> None:
        try:
            source = item.open()
        except OSError:
            # Stored file gone (deleted by retention, object store down): say so in the manifest.
            self.missing.append({"path": item.path, "exporter": exporter, **item.about})
            return
        path = self._unique(item.path)
        digest, size = hashlib.sha256(), 0
        info = self.entry_info(path, zipfile.ZIP_STORED)  # PDFs and images are compressed already
        with source, self.zip.open(info, "w", force_zip64=True) as target:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                target.write(chunk)
        self.entries.append(
            {
                "path": path,
                "exporter": exporter,
                "size": size,
                "sha256": digest.hexdigest(),
                **item.about,
            }
        )


def _json(data: Any) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def write_archive(
    scope: ExportScope, destination: IO[bytes], *, registry: Registry[Exporter] = exporters
) -> dict[str, Any]:
    """Writes the person's archive to ``destination``; returns the manifest it holds."""
    archive = _Archive(destination)
    sections: list[dict[str, Any]] = []
    for exporter_name, exporter in registry.items():
        for item in exporter(scope):
            if isinstance(item, ExportFile):
                archive.add_file(item, exporter_name)
                continue
            path = f"data/{safe_name(item.name)}.json"
            archive.add_bytes(path, _json(item.data), exporter_name)
            sections.append({"name": item.name, "path": path, "exporter": exporter_name})
    manifest = {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(),
        "sections": sections,
        "files": archive.entries,
        "missing_files": archive.missing,
    }
    archive.zip.writestr(archive.entry_info("manifest.json", zipfile.ZIP_DEFLATED), _json(manifest))
    archive.zip.close()
    return manifest


def iter_chunks(items: Iterable[Any], size: int = 500) -> Iterator[list[Any]]:
    """Groups ``items`` for ``__in`` look-ups that stay under the database's parameter limit."""
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
