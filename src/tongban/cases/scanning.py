"""Malware scanners for uploaded files: a registry, and a built-in that scans nothing.

A scanner is an object with ``name`` and ``scan(data: bytes, display_name: str) -> ScanResult``
(and optionally ``check() -> str | None`` for a health page: None when healthy, else what is
wrong). ``TONGBAN_UPLOAD_SCANNER`` picks one by name; the default ``none`` records every file as
"not scanned" so nobody mistakes the absence of a scanner for a clean result.

A ClamAV plugin would register itself in its ``AppConfig.ready``::

    from tongban.cases.scanning import ScanResult, scanners

    class ClamAV:
        name = "clamav"
        def scan(self, data, display_name):
            verdict = clamd_instream(data)          # e.g. the clamd INSTREAM command
            if verdict.found:
                return ScanResult(infected=True, detail=verdict.signature)
            return ScanResult(clean=True)
        def check(self):
            return None if clamd_ping() else "clamd does not answer"

    scanners.register("clamav", ClamAV())

A scanner that cannot reach its engine must raise ``ScannerUnavailable``: the upload is then
refused with a "try again later" message rather than stored unscanned.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from tongban.core.registries import Registry


@dataclass(frozen=True)
class ScanResult:
    clean: bool = False  # True: scanned, nothing found
    infected: bool = False  # True: refuse the file
    detail: str = ""


class ScannerUnavailable(RuntimeError):
    pass


class NoScanner:
    """The built-in: reports "not scanned" for every file."""

    name = "none"

    def scan(self, data: bytes, display_name: str) -> ScanResult:
        return ScanResult()

    def check(self) -> str | None:
        return None


scanners: Registry = Registry("upload scanner")
scanners.register("none", NoScanner())


def active_scanner():
    return scanners.get(getattr(settings, "TONGBAN_UPLOAD_SCANNER", "none"))
