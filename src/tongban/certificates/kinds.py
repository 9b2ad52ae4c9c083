"""The four certificate types (证明): what record each is built from, who issues it, how long
it stays valid, and its document kind (numbered ``SIC-2026-000123`` …) in ``documents``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tongban.catalog import services as catalog
from tongban.documents import services as documents
from tongban.records.constants import RecordKind


class CertificateKind(models.TextChoices):
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance certificate")
    TAX = "tax", _("Individual income tax record")
    REAL_ESTATE = "real_estate", _("Real estate register extract")
    COMPANY = "company", _("Company credit report")


class Channel(models.TextChoices):
    """Where a certificate was asked for (kept in the audit trail)."""

    ONLINE = "online", _("Online")
    API = "api", _("API")
    KIOSK = "kiosk", _("Self-service kiosk")
    COMMAND = "command", _("Operator command")


class Language2(models.TextChoices):
    """The optional second language printed beside the Chinese."""

    TRADITIONAL = "zh-hant", "繁體中文"
    ENGLISH = "en", "English"
    PORTUGUESE = "pt", "Português"


@dataclass(frozen=True)
class KindSpec:
    kind: str
    record_kind: str
    document_kind: str
    number_prefix: str
    title_zh: str  # the certificate's authoritative Chinese title
    issuer_zh: str  # the department whose data it certifies (its staff may revoke it)
    issuer_credit_code: str  # that department in the catalog
    valid_days: int
    company: bool = False
    # The catalog items (by basic code, 基本编码) this certificate is: their pages lead here.
    catalog_basic_codes: tuple[str, ...] = ()

    @property
    def label(self):
        return CertificateKind(self.kind).label


SPECS: dict[str, KindSpec] = {
    spec.kind: spec
    for spec in (
        KindSpec(
            CertificateKind.SOCIAL_INSURANCE, RecordKind.SOCIAL_INSURANCE,
            "social_insurance_certificate", "SIC", "个人参保证明",
            "江门市人力资源和社会保障局", "11440700MB2C010016", valid_days=90,
            catalog_basic_codes=("110080001000",),  # 个人参保证明查询打印
        ),
        KindSpec(
            CertificateKind.TAX, RecordKind.TAX, "tax_payment_record", "TAXR",
            "个人所得税纳税记录", "国家税务总局江门市税务局", "11440700MB2C02001D", valid_days=90,
            catalog_basic_codes=("110150001000",),  # 个人所得税纳税记录开具
        ),
        KindSpec(
            CertificateKind.REAL_ESTATE, RecordKind.REAL_ESTATE, "real_estate_extract", "RES",
            "不动产登记信息查询结果", "江门市自然资源局", "11440700MB2C03001L", valid_days=30,
            catalog_basic_codes=("110100001000",),  # 不动产登记资料权利人查询
        ),
        KindSpec(
            CertificateKind.COMPANY, RecordKind.COMPANY, "company_credit_report", "CCR",
            "企业信用报告", "江门市市场监督管理局", "11440700MB2C02002G", valid_days=30, company=True,
            catalog_basic_codes=("110110024000",),  # 企业信用报告打印
        ),
    )
}  # fmt: skip
BY_DOCUMENT_KIND = {spec.document_kind: spec for spec in SPECS.values()}


def spec_for(kind: str) -> KindSpec:
    return SPECS[CertificateKind(kind)]


def register_catalog_links() -> None:
    """The catalog pages of these certificates offer the one-click certificate, not a case."""
    for spec in SPECS.values():
        link = catalog.SelfService(
            label=_("Get the certificate"),
            url=format_lazy("{}?kind={}", reverse_lazy("certificates:home"), spec.kind),
            note=_("Issued at once from the department's records: signed, verifiable, free."),
        )
        for basic_code in spec.catalog_basic_codes:
            catalog.register_self_service(basic_code, link)


def register_document_kinds(describe=None) -> None:
    """``describe(facts)`` gives /verify the lines a certificate's signed facts stand for."""
    for spec in SPECS.values():
        documents.register_kind(
            documents.DocumentKind(
                spec.document_kind, spec.label, spec.number_prefix, describe=describe
            )
        )
