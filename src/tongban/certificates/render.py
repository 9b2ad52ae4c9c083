"""Lay a certificate out as a PDF: the documents' frame (title, issuer line, footer with
number, verification code and QR) around a body of field tables and ruled tables, drawn
straight on the canvas with ``documents.pdf_sheet.Sheet`` (a fixed layout needs no platypus).

Every layout writes onto a ``Sheet``; cells wrap only when they must, so a long employer name
is never clipped and a three-year certificate stays on two pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib.units import mm

from tongban.documents import pdf
from tongban.documents.pdf_sheet import Sheet, TableStyle

from . import labels as t
from .kinds import KindSpec

BODY_WIDTH = pdf.PAGE_SIZE[0] - 2 * pdf.MARGIN
CELL_SIZE = 8.5
NOTE_SIZE = 8
LEADING = CELL_SIZE * 1.15
LABEL_WIDTH = 48 * mm
PAIR_LABEL_WIDTH = 32 * mm
FIELDS = TableStyle(CELL_SIZE, LEADING, header_rows=0, shade_columns=frozenset({0}))
PAIRED_FIELDS = TableStyle(CELL_SIZE, LEADING, header_rows=0, shade_columns=frozenset({0, 2}))


@dataclass(frozen=True)
class Context:
    """What every layout needs besides the record."""

    spec: KindSpec
    holder_masked: str
    language2: str | None
    number: str
    printed_at: dt.datetime
    sheet: Sheet | None = None

    def label(self, label: t.Label, separator: str = " ") -> str:
        return label.render(self.language2, separator)

    def header(self, label: t.Label) -> str:
        return label.render(self.language2, "\n")


def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def day(value: dt.date | None) -> str:
    return value.isoformat() if value else "—"


def tax_period(start: dt.date, end: dt.date) -> str:
    """A whole calendar month as YYYY-MM (how tax periods are written), else both dates."""
    next_day = end + dt.timedelta(days=1)
    if start.day == 1 and next_day.day == 1 and (start.year, start.month) == (end.year, end.month):
        return f"{start:%Y-%m}"
    return f"{day(start)} — {day(end)}"


def heading(ctx: Context, label: t.Label) -> None:
    ctx.sheet.heading(ctx.label(label))


def fields(ctx: Context, pairs: Sequence[tuple[t.Label, object]], *, paired=False) -> None:
    """Label / value rows without a header (holder, identifier, period…); ``paired`` puts two
    pairs side by side, which keeps a short certificate on one page."""
    cells = [(ctx.header(label), "" if value is None else str(value)) for label, value in pairs]
    if not paired:
        rows = [list(cell) for cell in cells]
        ctx.sheet.table(rows, [LABEL_WIDTH, BODY_WIDTH - LABEL_WIDTH], FIELDS)
        return
    if len(cells) % 2:
        cells.append(("", ""))
    rows = [[*cells[i], *cells[i + 1]] for i in range(0, len(cells), 2)]
    value_width = BODY_WIDTH / 2 - PAIR_LABEL_WIDTH
    widths = [PAIR_LABEL_WIDTH, value_width, PAIR_LABEL_WIDTH, value_width]
    ctx.sheet.table(rows, widths, PAIRED_FIELDS)


def table(
    ctx: Context,
    header: Sequence[t.Label],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    *,
    right: Sequence[int] = (),
    total_row: Sequence[str] | None = None,
) -> None:
    """A ruled table with a repeating bilingual header; cells wrap only when they must."""
    body = [[ctx.header(label) for label in header], *rows, *([total_row] if total_row else [])]
    style = TableStyle(CELL_SIZE, LEADING, right=frozenset(right), shade_last_row=bool(total_row))
    ctx.sheet.table(body, widths, style)


def paragraph(ctx: Context, text: str) -> None:
    ctx.sheet.text(text, 10.5)


def note(ctx: Context, text: str) -> None:
    ctx.sheet.text(text, NOTE_SIZE, after=1)


def closing_notes(ctx: Context) -> None:
    source = t.HOLDER_SOURCE
    lines = [source.zh.format(issuer=ctx.spec.issuer_zh)]
    second = source.second(ctx.language2)
    if second:
        lines.append(second.format(issuer=ctx.spec.issuer_zh))
    lines.append(t.NOT_A_SEAL.zh)
    if ctx.language2:
        lines.append(t.NOT_A_SEAL.second(ctx.language2))
    ctx.sheet.space(2 * mm)
    for line in lines:
        if line:
            note(ctx, line)


# --- Social insurance ----------------------------------------------------------------------------


def table_digest_line(ctx: Context, digest: str) -> None:
    """The digest /verify shows for the table above: a copy with changed figures differs."""
    grouped = " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))
    note(ctx, f"{ctx.label(t.TABLE_DIGEST)}: {grouped}")


def social_insurance(ctx: Context, record, facts) -> None:
    months = record.months
    fields(
        ctx,
        [
            (t.NAME, record.holder_name or "—"),
            (t.SEX, t.SEX_ZH[record.sex].render(ctx.language2, " / ")),
            (t.ID_NUMBER, ctx.holder_masked),
            (t.QUERY_PERIOD, facts.period_text or "—"),
            (t.PRINTED, pdf.format_time(ctx.printed_at)),
        ],
        paired=True,
    )
    heading(ctx, t.INSURANCE_SECTION)
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
        table(ctx, [t.INSURANCE_TYPE, t.STATUS, t.CUMULATIVE, t.FROM_TO], summaries,
              [62 * mm, 40 * mm, 30 * mm, 42 * mm], right=[2])  # fmt: skip
    heading(ctx, t.MONTHS_SECTION)
    if not months:
        paragraph(ctx, ctx.label(t.NO_CONTRIBUTIONS))
    else:
        rows = [
            [m.month, m.employer, money(m.contribution_base), money(m.employer_amount),
             money(m.personal_amount), m.place]
            for m in months
        ]  # fmt: skip
        total = [ctx.label(t.TOTAL), "", "", money(record.employer_total),
                 money(record.personal_total), ""]  # fmt: skip
        table(ctx, [t.MONTH, t.EMPLOYER, t.BASE, t.EMPLOYER_AMOUNT, t.PERSONAL_AMOUNT, t.PLACE],
              rows, [20 * mm, 56 * mm, 24 * mm, 24 * mm, 24 * mm, 26 * mm],
              right=[2, 3, 4], total_row=total)  # fmt: skip
    table_digest_line(ctx, facts.digest)
    closing_notes(ctx)


# --- Tax -------------------------------------------------------------------------------------------


def tax(ctx: Context, record, facts) -> None:
    fields(
        ctx,
        [
            (t.TAXPAYER, record.taxpayer_name or "—"),
            (t.ID_NUMBER, ctx.holder_masked),
            (t.TAX_PERIOD_ALL, facts.period_text or "—"),
            (t.PRINTED, pdf.format_time(ctx.printed_at)),
        ],
        paired=True,
    )
    heading(ctx, t.TAX_SECTION)
    if not record.payments:
        paragraph(ctx, ctx.label(t.NO_TAX))
    else:
        rows = [
            [p.income_item, tax_period(p.period_start, p.period_end), day(p.paid_on),
             money(p.amount), p.withholding_agent or "—", p.tax_authority]
            for p in record.payments
        ]  # fmt: skip
        total = [ctx.label(t.TOTAL), "", "", money(record.total), "", ""]
        table(ctx, [t.INCOME_ITEM, t.TAX_PERIOD, t.PAID_ON, t.AMOUNT, t.WITHHOLDING_AGENT,
                    t.TAX_AUTHORITY],
              rows, [22 * mm, 22 * mm, 19 * mm, 19 * mm, 43 * mm, 49 * mm],
              right=[3], total_row=total)  # fmt: skip
    table_digest_line(ctx, facts.digest)
    closing_notes(ctx)
