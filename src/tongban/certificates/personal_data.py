"""Certificates in "download my data": those about the person's own identity documents.

The documents exporter adds the PDFs; this app only says how to find them, by the holder
hash it issued them under. Company certificates are about the company, not the person, and
stay out of a person's archive.
"""

from __future__ import annotations

from tongban.core.personal_data import document_holders
from tongban.records import services as records

from .services import holder_hash


def certificate_holders(person) -> list[str]:
    return [holder_hash(subject) for subject in records.person_subjects(person)]


def register() -> None:
    """Called once from ``CertificatesConfig.ready``."""
    if "certificates" not in document_holders:
        document_holders.register("certificates", certificate_holders)
