"""Lay a certificate out as a PDF with ``documents.pdf``: the frame (title, issuer line, footer
with number, verification code and QR) around a body of field tables and ruled tables.

Long tables of short cells (36 contribution months) are drawn as plain strings in the CJK font,
measured, and only cells too wide for their column become wrapping paragraphs: that keeps a
three-year certificate fast to render without ever clipping a long employer name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Spacer, Table, TableStyle

from tongban.documents import pdf

from . import labels as t
from .kinds import KindSpec

BODY_WIDTH = pdf.PAGE_SIZE[0] - 2 * pdf.MARGIN
CELL_SIZE = 8.5
CELL_PADDING = 6  # left + right, points
HEADER_BACKGROUND = colors.Color(0.9, 0.92, 0.95)
RULE = colors.Color(0.55, 0.55, 0.55)


@dataclass(frozen=True)
class Context:
    """What every layout needs besides the record."""

    spec: KindSpec
    holder_masked: str
    language2: str | None
    number: str
    printed_at: dt.datetime

    @property
    def font(self) -> str:
        return pdf.SIMPLIFIED_FONT

    def label(self, label: t.Label, separator: str = " ") -> str:
        return label.render(self.language2, separator)

    def header(self, label: t.Label) -> str:
        return label.render(self.language2, "\n")


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def heading(ctx: Context, label: t.Label):
    return pdf.paragraph(ctx.label(label), pdf.STYLES.heading)


def fields(ctx: Context, pairs: Sequence[tuple[t.Label, object]]):
    """Label / value rows without a header (holder, identifier, period…)."""
    label_width = 48 * mm
    rows = [[ctx.header(label), "" if value is None else str(value)] for label, value in pairs]
    return _ruled(
        ctx, rows, [label_width, BODY_WIDTH - label_width], header_rows=0, bold_first=True
    )


_cell_style = ParagraphStyle(
    "certificate-cell", parent=pdf.STYLES.cell, fontSize=CELL_SIZE, leading=CELL_SIZE * 1.3
)
_right_style = ParagraphStyle("certificate-cell-right", parent=_cell_style, alignment=2)


# Characters the CJK font draws well; Latin letters with accents (Português) and most
# punctuation need Helvetica, which only a paragraph's markup switches to.
_CJK_FONT_SAFE = frozenset("—·（）：；、，。")


def _plain_ok(text: str) -> bool:
    return all(ord(char) < 128 or char in _CJK_FONT_SAFE or pdf.is_cjk(char) for char in text)


def _fits(ctx: Context, text: str, width: float) -> bool:
    return _plain_ok(text) and all(
        stringWidth(line, ctx.font, CELL_SIZE) <= width - CELL_PADDING for line in text.split("\n")
    )


def _cell(ctx: Context, text: str, width: float, *, right: bool = False):
    # Plain strings draw several times faster than paragraphs; wrap only what must wrap.
    if _fits(ctx, text, width):
        return text
    return pdf.paragraph(text, _right_style if right else _cell_style)


def _ruled(ctx, rows, widths, *, header_rows: int, right=(), bold_first=False, total=False):
    right = set(right)
    body = [
        [
            _cell(ctx, str(value), widths[column], right=column in right and index >= header_rows)
            for column, value in enumerate(row)
        ]
        for index, row in enumerate(rows)
    ]  # fmt: skip
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), ctx.font),
        ("FONTSIZE", (0, 0), (-1, -1), CELL_SIZE),
        ("LEADING", (0, 0), (-1, -1), CELL_SIZE * 1.2),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        *[("ALIGN", (column, header_rows), (column, -1), "RIGHT") for column in right],
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_BACKGROUND))
    if bold_first:
        commands.append(("BACKGROUND", (0, 0), (0, -1), HEADER_BACKGROUND))
    if total:
        commands.append(("BACKGROUND", (0, -1), (-1, -1), HEADER_BACKGROUND))
    result = Table(body, colWidths=list(widths), repeatRows=header_rows)
    result.setStyle(TableStyle(commands))
    return result


def table(
    ctx: Context,
    header: Sequence[t.Label],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    right: Sequence[int] = (),
    total_row: Sequence[str] | None = None,
) -> Table:
    """A ruled table with a repeating bilingual header; cells wrap only when they must."""
    body = [[ctx.header(label) for label in header], *rows, *([total_row] if total_row else [])]
    return _ruled(ctx, body, widths, header_rows=1, right=right, total=bool(total_row))


def note(ctx: Context, text: str):
    return pdf.paragraph(text, pdf.STYLES.small)


def closing_notes(ctx: Context) -> list:
    source = t.HOLDER_SOURCE
    first = source.zh.format(issuer=ctx.spec.issuer_zh)
    second = source.second(ctx.language2)
    lines = [first]
    if second:
        lines.append(second.format(issuer=ctx.spec.issuer_zh))
    lines.append(t.NOT_A_SEAL.zh)
    if ctx.language2:
        lines.append(t.NOT_A_SEAL.second(ctx.language2))
    return [Spacer(1, 4 * mm), *[note(ctx, line) for line in lines if line]]


# --- Social insurance ----------------------------------------------------------------------------


def social_insurance(ctx: Context, record) -> list:
    months = record.months
    period = f"{months[0].month} — {months[-1].month}" if months else "—"
    story = [
        fields(
            ctx,
            [
                (t.NAME, record.holder_name or "—"),
                (t.SEX, t.SEX_ZH[record.sex].render(ctx.language2, " / ")),
                (t.ID_NUMBER, ctx.holder_masked),
                (t.QUERY_PERIOD, period),
                (t.PRINTED, pdf.format_time(ctx.printed_at)),
            ],
        ),
        heading(ctx, t.INSURANCE_SECTION),
    ]
    summaries = [
        [
            t.INSURANCE_TYPE_ZH[s.insurance_type].render(ctx.language2, " / "),
            t.INSURANCE_STATUS_ZH[s.status].render(ctx.language2, " / "),
            str(s.cumulative_months),
            f"{s.first_month} — {s.last_month}",
        ]
        for s in record.summaries
    ]
    if summaries:
        story.append(
            table(ctx, [t.INSURANCE_TYPE, t.STATUS, t.CUMULATIVE, t.FROM_TO], summaries,
                  [62 * mm, 40 * mm, 30 * mm, 42 * mm], right=[2])
        )  # fmt: skip
    story.append(heading(ctx, t.MONTHS_SECTION))
    if not months:
        story.append(pdf.paragraph(ctx.label(t.NO_CONTRIBUTIONS)))
        return story + closing_notes(ctx)
    rows = [
        [m.month, m.employer, money(m.contribution_base), money(m.employer_amount),
         money(m.personal_amount), m.place]
        for m in months
    ]  # fmt: skip
    total = [
        ctx.label(t.TOTAL),
        "",
        "",
        money(record.employer_total),
        money(record.personal_total),
        "",
    ]
    story.append(
        table(ctx, [t.MONTH, t.EMPLOYER, t.BASE, t.EMPLOYER_AMOUNT, t.PERSONAL_AMOUNT, t.PLACE],
              rows, [20 * mm, 56 * mm, 24 * mm, 24 * mm, 24 * mm, 26 * mm],
              right=[2, 3, 4], total_row=total)
    )  # fmt: skip
    return story + closing_notes(ctx)


# --- Tax -------------------------------------------------------------------------------------------


def tax(ctx: Context, record) -> list:
    period = record.period
    story = [
        fields(
            ctx,
            [
                (t.TAXPAYER, record.taxpayer_name or "—"),
                (t.ID_NUMBER, ctx.holder_masked),
                (t.TAX_PERIOD_ALL, f"{day(period[0])} — {day(period[1])}" if period else "—"),
                (t.PRINTED, pdf.format_time(ctx.printed_at)),
            ],
        ),
        heading(ctx, t.TAX_SECTION),
    ]
    if not record.payments:
        story.append(pdf.paragraph(ctx.label(t.NO_TAX)))
        return story + closing_notes(ctx)
    rows = [
        [p.income_item, f"{day(p.period_start)} — {day(p.period_end)}", day(p.paid_on),
         money(p.amount), p.withholding_agent or "—", p.tax_authority]
        for p in record.payments
    ]  # fmt: skip
    total = [ctx.label(t.TOTAL), "", "", money(record.total), "", ""]
    story.append(
        table(ctx, [t.INCOME_ITEM, t.TAX_PERIOD, t.PAID_ON, t.AMOUNT, t.WITHHOLDING_AGENT, t.TAX_AUTHORITY],
              rows, [20 * mm, 36 * mm, 19 * mm, 19 * mm, 42 * mm, 38 * mm],
              right=[3], total_row=total)
    )  # fmt: skip
    return story + closing_notes(ctx)
