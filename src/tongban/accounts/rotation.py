"""Re-encrypting every encrypted field with the current key, and recomputing lookup hashes."""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.db import transaction

from tongban.accounts.fields import EncryptedTextField

BATCH = 500


@dataclass
class RotationReport:
    rows: int = 0
    fields: int = 0


def encrypted_fields() -> list[tuple[type, list[str]]]:
    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if names:
            found.append((model, names))
    return found


def _recompute_hashes(model, row) -> dict:
    from tongban.accounts.applicants import Company, IdentityDocument
    from tongban.accounts.companies import company_lookup_hash
    from tongban.accounts.services import document_lookup_hash

    if model is IdentityDocument:
        return {"number_hash": document_lookup_hash(row.kind, row.number)}
    if model is Company:
        return {"identifier_hash": company_lookup_hash(row.identifier_kind, row.identifier)}
    return {}


def rotate_field_keys(*, rehash: bool = False) -> RotationReport:
    """Reads each encrypted value (any configured key decrypts) and writes it back with the
    first key. With ``rehash``, the keyed lookup hashes are recomputed with the current
    ``TONGBAN_LOOKUP_KEY`` too."""
    report = RotationReport()
    for model, names in encrypted_fields():
        report.fields += len(names)
        pks = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), BATCH):
            with transaction.atomic():
                rows = model._default_manager.select_for_update().filter(
                    pk__in=pks[start : start + BATCH]
                )
                for row in rows:
                    values = {name: getattr(row, name) for name in names}
                    if rehash:
                        values.update(_recompute_hashes(model, row))
                    # update() runs get_prep_value, which encrypts with the first key.
                    model._default_manager.filter(pk=row.pk).update(**values)
                    report.rows += 1
    return report
