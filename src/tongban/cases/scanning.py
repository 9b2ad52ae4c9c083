"""Malware scanners for uploaded files: a registry, and a built-in that scans nothing.

A scanner is an object with ``name`` and ``scan(data: bytes, display_name: str) -> ScanResult``
(and optionally ``check() -> str | None`` for a health page: None when healthy, else what is
wrong). ``TONGBAN_UPLOAD_SCANNER`` picks one by name; the default ``none`` records every file as
"not scanned" so nobody mistakes the absence of a scanner for a clean result.

Built in: ``none``, and ``clamav`` (``cases.clamav``: clamd's INSTREAM over a Unix socket or
TCP). Another engine registers itself the same way in its ``AppConfig.ready``::

    scanners.register("my-engine", MyScanner())

A scanner that cannot reach its engine must raise ``ScannerUnavailable``. What the upload does
then is ``TONGBAN_UPLOAD_SCANNER_UNAVAILABLE``: ``refuse`` (the default: "try again later",
nothing stored) or ``accept`` (stored as "not scanned", with a warning in the log).
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


def accept_when_unavailable() -> bool:
    return getattr(settings, "TONGBAN_UPLOAD_SCANNER_UNAVAILABLE", "refuse") == "accept"


@dataclass(frozen=True)
class ScannerHealth:
    name: str
    ok: bool
    warning: str = ""


def scanner_health() -> ScannerHealth:
    """The active scanner's ``check()``, for the health page; in production, no scanner at all is
    worth a warning too. Operators read it, so it is not translated."""
    scanner = active_scanner()
    if scanner.name == "none":
        if getattr(settings, "PRODUCTION", False):
            return ScannerHealth("none", False, "no malware scanner: uploads are stored unscanned")
        return ScannerHealth("none", True)
    check = getattr(scanner, "check", None)
    try:
        problem = check() if check else None
    except Exception as error:  # a crashing check is a failing check, not a failing page
        problem = f"{type(error).__name__}: {error}"
    return ScannerHealth(scanner.name, problem is None, problem or "")
