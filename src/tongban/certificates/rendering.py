"""``render_pdf``: a certificate's record in its layout, inside the documents' frame."""

from __future__ import annotations

import datetime as dt

from tongban.documents import pdf
from tongban.documents.pdf_sheet import Sheet

from . import render, render_registers
from .facts import Facts, facts_of
from .kinds import CertificateKind, KindSpec
from .labels import Label

LAYOUTS = {
    CertificateKind.SOCIAL_INSURANCE: render.social_insurance,
    CertificateKind.TAX: render.tax,
    CertificateKind.REAL_ESTATE: render_registers.real_estate,
    CertificateKind.COMPANY: render_registers.company,
}


def render_pdf(
    spec: KindSpec,
    record,
    *,
    holder_masked: str,
    language2: str | None,
    number: str,
    code: str,
    token: str,
    issued_at: dt.datetime,
    valid_until: dt.datetime | None,
    facts: Facts | None = None,
) -> bytes:
    frame = pdf.DocumentFrame(
        title=spec.title_zh,
        subtitle=Label(spec.title_zh, spec.label).second(language2),
        number=number,
        verification_code=code,
        token=token,
        issued_at=issued_at,
        valid_until=valid_until,
        languages=("zh-hans", language2) if language2 else ("zh-hans",),
        issuer=f"数据来源：{spec.issuer_zh} · 通办平台出具",
    )
    sheet = Sheet(frame, title=f"{spec.title_zh} {number}", subject=number)
    ctx = render.Context(spec, holder_masked, language2, number, issued_at, sheet)
    LAYOUTS[CertificateKind(spec.kind)](ctx, record, facts or facts_of(spec.kind, record))
    return sheet.finish()
