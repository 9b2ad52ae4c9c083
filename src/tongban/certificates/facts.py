"""What a certificate states in a few figures, signed into its token and shown by /verify:
the period, the totals (months per insurance type, sums of amounts) and a digest of its
table. A PDF whose figures were edited then disagrees with what the verification page says.

The claim is compact (it rides in the QR code); ``describe`` turns it back into labelled lines
in the reader's language.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tongban.records import services as records
from tongban.records.constants import InsuranceType

from .kinds import CertificateKind
from .render import money

DIGEST_LENGTH = 16  # hex digits: 64 bits, checked by eye against the paper


@dataclass(frozen=True)
class Facts:
    digest: str
    period: tuple[str, str] | None = None
    claim: dict[str, Any] = field(default_factory=dict)

    @property
    def period_text(self) -> str:
        return f"{self.period[0]} — {self.period[1]}" if self.period else ""


def table_digest(data: Any) -> str:
    """A short SHA-256 of the table's data (``records.to_data`` form, canonical JSON)."""
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:DIGEST_LENGTH]


def facts_of(kind: str, record, period: tuple[str, str] | None = None, data=None) -> Facts:
    """The facts of ``record`` as the certificate of ``kind`` prints it; ``data`` is the
    record already in ``records.to_data`` form, when the caller has it."""
    if data is None:
        data = records.to_data(record) if record is not None else None
    return _BUILDERS[CertificateKind(kind)](record, period, data)


def _social_insurance(record, period, data) -> Facts:
    months = record.months
    if period is None and months:
        period = (months[0].month, months[-1].month)
    digest = table_digest(data["months"])
    claim = {
        "p": list(period) if period else None,
        "m": {s.insurance_type: s.cumulative_months for s in record.summaries},
        "n": len(months),
        "te": money(record.employer_total),
        "tp": money(record.personal_total),
        "d": digest,
    }
    return Facts(digest, period, claim)


def _tax(record, period, data) -> Facts:
    if period is None and record.period:
        period = (record.period[0].isoformat(), record.period[1].isoformat())
    digest = table_digest(data["payments"])
    claim = {
        "p": list(period) if period else None,
        "n": len(record.payments),
        "t": money(record.total),
        "d": digest,
    }
    return Facts(digest, period, claim)


def _real_estate(record, period, data) -> Facts:
    properties = record.properties if record else ()
    digest = table_digest(data["properties"] if data else [])
    return Facts(digest, None, {"n": len(properties), "d": digest})


def _company(record, period, data) -> Facts:
    digest = table_digest(data)
    claim = {
        "l": len(record.licences),
        "x": len(record.penalties),
        "a": len(record.abnormal_listings),
        "d": digest,
    }
    return Facts(digest, None, claim)


_BUILDERS = {
    CertificateKind.SOCIAL_INSURANCE: _social_insurance,
    CertificateKind.TAX: _tax,
    CertificateKind.REAL_ESTATE: _real_estate,
    CertificateKind.COMPANY: _company,
}


# --- Shown by /verify ------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and not isinstance(value, bool) else None


def describe(facts: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The signed facts as (label, value) lines in the active language (unknown keys skipped)."""
    lines: list[tuple[str, str]] = []
    period = facts.get("p")
    if isinstance(period, list) and len(period) == 2 and all(_text(x) for x in period):
        lines.append((_("Period"), f"{period[0]} — {period[1]}"))
    chosen = facts.get("it")
    if chosen in InsuranceType.values:
        lines.append((_("Insurance type"), str(InsuranceType(chosen).label)))
    months = facts.get("m")
    if isinstance(months, dict):
        for insurance, count in months.items():
            label = InsuranceType(insurance).label if insurance in InsuranceType.values else None
            if label and _text(count):
                lines.append((_("Cumulative months: %(type)s") % {"type": label}, _text(count)))
    for key, label in (
        ("n", _("Rows in the table")),
        ("te", _("Total employer contributions (CNY)")),
        ("tp", _("Total personal contributions (CNY)")),
        ("t", _("Total tax paid (CNY)")),
        ("l", _("Licences")),
        ("x", _("Administrative penalties")),
        ("a", _("Abnormal operation listings")),
        ("d", _("Digest of the table")),
    ):
        value = _text(facts.get(key))
        if value is not None:
            if key == "d":
                value = " ".join(value[i : i + 4] for i in range(0, len(value), 4))
            lines.append((label, value))
    return lines
