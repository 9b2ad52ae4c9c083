"""Layouts of the register extracts: real estate (不动产登记信息查询结果) and the company
credit report (企业信用报告)."""

from __future__ import annotations

from reportlab.lib.units import mm

from tongban.documents import pdf

from . import labels as t
from .render import (
    Context,
    closing_notes,
    day,
    fields,
    heading,
    paragraph,
    table,
    table_digest_line,
)


def _entries(ctx: Context, entries) -> str:
    if not entries:
        return ctx.label(t.NONE, " / ")
    return "\n".join(
        f"{entry.party}：{entry.detail}（{day(entry.registered_on)}）" for entry in entries
    )


def real_estate(ctx: Context, record, facts) -> None:
    fields(
        ctx,
        [
            (t.QUERY_NUMBER, ctx.number),
            (t.QUERY_TIME, pdf.format_time(ctx.printed_at)),
            (t.OWNER, (record.owner_name if record else "") or "—"),
            (t.ID_NUMBER, ctx.holder_masked),
            (t.PURPOSE, t.PURPOSE_SELF.render(ctx.language2, " / ")),
        ],
    )
    properties = record.properties if record else ()
    if not properties:
        ctx.sheet.space(4 * mm)
        paragraph(ctx, ctx.label(t.NO_PROPERTY, "\n"))
    for index, prop in enumerate(properties, 1):
        heading(
            ctx,
            t.Label(
                f"{t.PROPERTY.zh} {index}", f"{t.PROPERTY.second(ctx.language2) or ''} {index}"
            ),
        )
        fields(
            ctx,
            [
                (t.CERTIFICATE_NUMBER, prop.certificate_number),
                (t.UNIT_NUMBER, prop.unit_number),
                (t.LOCATION, prop.location),
                (t.OWNERS, "；".join(prop.owners)),
                (t.AREA, f"{prop.area:,.2f}"),
                (t.USE, prop.use),
                (t.MORTGAGES, _entries(ctx, prop.mortgages)),
                (t.SEIZURES, _entries(ctx, prop.seizures)),
                (t.OBJECTIONS, _entries(ctx, prop.objections)),
            ],
        )
    table_digest_line(ctx, facts.digest)
    closing_notes(ctx)


def _section(ctx: Context, label, header, rows, widths) -> None:
    heading(ctx, label)
    if not rows:
        paragraph(ctx, ctx.label(t.NO_ENTRIES, " / "))
    else:
        table(ctx, header, rows, widths)


def company(ctx: Context, record, facts) -> None:
    fields(
        ctx,
        [
            (t.USCC, record.uscc),
            (t.COMPANY_NAME, record.name),
            (t.COMPANY_TYPE, record.company_type),
            (t.ADDRESS, record.address),
            (t.LEGAL_REPRESENTATIVE, record.legal_representative),
            (t.CAPITAL, record.registered_capital),
            (t.ESTABLISHED, day(record.established_on)),
            (
                t.OPERATING_UNTIL,
                day(record.operating_until)
                if record.operating_until
                else ctx.label(t.NO_END, " / "),
            ),
            (t.APPROVED, day(record.approved_on)),
            (t.COMPANY_STATUS, record.status),
            (t.SCOPE, record.scope),
            (t.PRINTED, pdf.format_time(ctx.printed_at)),
        ],
    )
    _section(
        ctx, t.LICENCES, [t.LICENCE_NAME, t.LICENCE_NUMBER, t.ISSUER, t.VALID_UNTIL],
        [[x.name, x.number, x.issuer, day(x.valid_until)] for x in record.licences],
        [50 * mm, 38 * mm, 56 * mm, 30 * mm],
    )  # fmt: skip
    _section(
        ctx, t.PENALTIES, [t.DECISION, t.AUTHORITY, t.DECIDED, t.REASON, t.OUTCOME],
        [[x.decision_number, x.authority, day(x.decided_on), x.reason, x.outcome] for x in record.penalties],
        [34 * mm, 36 * mm, 22 * mm, 44 * mm, 38 * mm],
    )  # fmt: skip
    _section(
        ctx, t.ABNORMAL, [t.LISTED, t.LISTED_REASON, t.AUTHORITY, t.REMOVED],
        [[day(x.listed_on), x.reason, x.authority, day(x.removed_on)] for x in record.abnormal_listings],
        [26 * mm, 72 * mm, 50 * mm, 26 * mm],
    )  # fmt: skip
    table_digest_line(ctx, facts.digest)
    closing_notes(ctx)
