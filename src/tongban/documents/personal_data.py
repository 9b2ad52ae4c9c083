"""The documents app's part of "download my data": every signed PDF issued about the person.

Documents name their holder only by a keyed hash that the issuing app computes (a case for a
letter, an identity document for a certificate), so those apps register their hashes of a
person in ``core.personal_data.document_holders``; this exporter gathers them and adds each
document's record and its stored PDF, byte for byte as issued (its signatures still verify).
"""

from __future__ import annotations

from tongban.core.personal_data import (
    ExportFile,
    ExportScope,
    Section,
    exporters,
    holder_hashes_of,
    iter_chunks,
    when,
)

from .models import IssuedDocument


def _pdf_path(document: IssuedDocument) -> str:
    return f"documents/{document.number}.pdf"


def _record(document: IssuedDocument) -> dict:
    return {
        "number": document.number,
        "kind": document.kind,
        "kind_label": str(document.kind_label),
        "verification_code": document.display_code,
        "holder_masked": document.holder_masked,
        "issued_at": when(document.issued_at),
        "valid_until": when(document.valid_until),
        "issued_by": document.issued_by,
        "status": document.status,
        "revoked_at": when(document.revoked_at),
        "revoked_reason": document.revoked_reason,
        "record_data": document.record_data,
        "file": _pdf_path(document),
    }


def _opener(document: IssuedDocument):
    return lambda: document.pdf.storage.open(document.pdf.name, "rb")


def export_documents(scope: ExportScope):
    documents: list[IssuedDocument] = []
    for hashes in iter_chunks(sorted(holder_hashes_of(scope.person))):
        documents += IssuedDocument.objects.filter(holder_hash__in=hashes)
    documents.sort(key=lambda document: (document.issued_at, document.pk))
    yield Section("documents", [_record(document) for document in documents])
    for document in documents:
        yield ExportFile(
            _pdf_path(document),
            _opener(document),
            {"kind": document.kind, "number": document.number},
        )


def register() -> None:
    """Called once from ``DocumentsConfig.ready``."""
    if "documents" not in exporters:
        exporters.register("documents", export_documents)
