from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .codes import format_code, kind_label
from .constants import DocumentStatus


def pdf_upload_path(document: IssuedDocument, filename: str) -> str:
    issued = timezone.localtime(document.issued_at)
    return f"documents/{document.kind}/{issued:%Y/%m}/{document.number}.pdf"


class IssuedDocument(models.Model):
    """A signed PDF the platform issued (出具的文书): voucher, letter or certificate.

    ``payload`` is exactly what the token signs: kind, number, holder hash and mask, dates and
    the SHA-256 of ``record_data``, the data the document was rendered from. The stored PDF
    ends with a second signature over the digest of everything before it (``pdf_sha256``);
    ``docs/document-signing.md`` explains the scheme. Never holds an identifier in clear:
    ``holder_hash`` is a keyed hash computed by the caller, ``holder_masked`` is for display.
    """

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    number = models.CharField(_("number"), max_length=32, unique=True)
    verification_code = models.CharField(_("verification code"), max_length=12, unique=True)
    payload = models.JSONField(_("signed payload"))
    record_data = models.JSONField(_("record data"), default=dict)
    token = models.TextField(_("token"))
    key_id = models.CharField(_("key id"), max_length=64)
    pdf = models.FileField(_("PDF"), upload_to=pdf_upload_path, max_length=255)
    pdf_sha256 = models.CharField(_("PDF SHA-256 (signed part)"), max_length=64)
    holder_hash = models.CharField(_("holder hash"), max_length=128, db_index=True)
    holder_masked = models.CharField(_("holder (masked)"), max_length=128)
    issued_at = models.DateTimeField(_("issued at"))
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    issued_by = models.CharField(_("issued by"), max_length=120)
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.VALID
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)
    revoked_by = models.CharField(_("revoked by"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["kind", "-issued_at"], name="documents_kind_issued")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=DocumentStatus.values),
                name="documents_status_known",
            ),
            models.CheckConstraint(
                condition=models.Q(status=DocumentStatus.VALID, revoked_at__isnull=True)
                | models.Q(status=DocumentStatus.REVOKED, revoked_at__isnull=False),
                name="documents_revoked_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def display_code(self) -> str:
        return format_code(self.verification_code)

    def is_expired(self, at: dt.datetime | None = None) -> bool:
        return self.valid_until is not None and (at or timezone.now()) >= self.valid_until
