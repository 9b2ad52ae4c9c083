"""The HTML preview of a certificate: the same labels and values as the PDF, as plain data a
template shows in sections (fields, then tables), before anything is signed."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import labels as t
from .kinds import CertificateKind
from .render import day, money, tax_period


@dataclass
class Section:
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    empty: str = ""


@dataclass
class Preview:
    title: str
    subtitle: str
    issuer: str
    sections: list[Section]


def _l(label: t.Label, language2) -> str:
    return label.render(language2, " / ")


def build_preview(prepared) -> Preview:
    spec, record, language2 = prepared.spec, prepared.record, prepared.language2
    builder = {
        CertificateKind.SOCIAL_INSURANCE: _social_insurance,
        CertificateKind.TAX: _tax,
        CertificateKind.REAL_ESTATE: _real_estate,
        CertificateKind.COMPANY: _company,
    }[CertificateKind(spec.kind)]
    return Preview(
        title=spec.title_zh,
        subtitle=t.Label(spec.title_zh, spec.label).second(language2),
        issuer=spec.issuer_zh,
        sections=builder(record, prepared.subject.masked, language2),
    )


def _social_insurance(record, masked, lang) -> list[Section]:
    holder = Section(
        _l(t.HOLDER, lang),
        fields=[
            (_l(t.NAME, lang), record.holder_name or "—"),
            (_l(t.SEX, lang), t.SEX_ZH[record.sex].render(lang, " / ")),
            (_l(t.ID_NUMBER, lang), masked),
        ],
    )
    status = Section(
        _l(t.INSURANCE_SECTION, lang),
        header=[_l(x, lang) for x in (t.INSURANCE_TYPE, t.STATUS, t.CUMULATIVE, t.FROM_TO)],
        rows=[
            [
                t.INSURANCE_TYPE_ZH[s.insurance_type].render(lang, " / "),
                t.INSURANCE_STATUS_ZH[s.status].render(lang, " / "),
                str(s.cumulative_months),
                f"{s.first_month} — {s.last_month}",
            ]
            for s in record.summaries
        ],
    )
    header = (t.MONTH, t.EMPLOYER, t.BASE, t.EMPLOYER_AMOUNT, t.PERSONAL_AMOUNT, t.PLACE)
    months = Section(
        _l(t.MONTHS_SECTION, lang),
        header=[_l(x, lang) for x in header],
        rows=[
            [
                m.month,
                m.employer,
                money(m.contribution_base),
                money(m.employer_amount),
                money(m.personal_amount),
                m.place,
            ]
            for m in record.months
        ]  # fmt: skip
        + [
            [
                _l(t.TOTAL, lang),
                "",
                "",
                money(record.employer_total),
                money(record.personal_total),
                "",
            ]
        ],
        empty=_l(t.NO_CONTRIBUTIONS, lang),
    )
    return [holder, status, months]


def _tax(record, masked, lang) -> list[Section]:
    header = (t.INCOME_ITEM, t.TAX_PERIOD, t.PAID_ON, t.AMOUNT, t.WITHHOLDING_AGENT)
    return [
        Section(
            _l(t.HOLDER, lang),
            fields=[(_l(t.TAXPAYER, lang), record.taxpayer_name), (_l(t.ID_NUMBER, lang), masked)],
        ),
        Section(
            _l(t.TAX_SECTION, lang),
            header=[_l(x, lang) for x in header],
            rows=[
                [
                    p.income_item,
                    tax_period(p.period_start, p.period_end),
                    day(p.paid_on),
                    money(p.amount),
                    p.withholding_agent,
                ]
                for p in record.payments
            ]  # fmt: skip
            + [[_l(t.TOTAL, lang), "", "", money(record.total), ""]],
            empty=_l(t.NO_TAX, lang),
        ),
    ]


def _real_estate(record, masked, lang) -> list[Section]:
    sections = [
        Section(
            _l(t.HOLDER, lang),
            fields=[
                (_l(t.OWNER, lang), (record.owner_name if record else "") or "—"),
                (_l(t.ID_NUMBER, lang), masked),
            ],
        )
    ]
    properties = record.properties if record else ()
    if not properties:
        sections.append(Section(_l(t.PROPERTY, lang), empty=_l(t.NO_PROPERTY, lang)))
    for index, prop in enumerate(properties, 1):
        sections.append(
            Section(
                f"{_l(t.PROPERTY, lang)} {index}",
                fields=[
                    (_l(t.CERTIFICATE_NUMBER, lang), prop.certificate_number),
                    (_l(t.UNIT_NUMBER, lang), prop.unit_number),
                    (_l(t.LOCATION, lang), prop.location),
                    (_l(t.AREA, lang), f"{prop.area:,.2f}"),
                    (_l(t.USE, lang), prop.use),
                    (_l(t.MORTGAGES, lang), str(len(prop.mortgages))),
                    (_l(t.SEIZURES, lang), str(len(prop.seizures))),
                    (_l(t.OBJECTIONS, lang), str(len(prop.objections))),
                ],
            )
        )
    return sections


def _company(record, masked, lang) -> list[Section]:
    return [
        Section(
            _l(t.COMPANY_NAME, lang),
            fields=[
                (_l(t.USCC, lang), record.uscc),
                (_l(t.COMPANY_NAME, lang), record.name),
                (_l(t.LEGAL_REPRESENTATIVE, lang), record.legal_representative),
                (_l(t.COMPANY_STATUS, lang), record.status),
                (_l(t.LICENCES, lang), str(len(record.licences))),
                (_l(t.PENALTIES, lang), str(len(record.penalties))),
                (_l(t.ABNORMAL, lang), str(len(record.abnormal_listings))),
            ],
        )
    ]
