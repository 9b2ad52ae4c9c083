"""The part of a record a person asked for: a period of months and, for the social-insurance
certificate, one insurance type. The department's cumulative figures stay as it gave them;
the monthly table and its totals cover only what was chosen."""

from __future__ import annotations

import dataclasses
import re

from django.utils.translation import gettext as _

from tongban.records.constants import InsuranceType

from .kinds import CertificateKind, KindSpec

MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
MAX_PERIOD_MONTHS = 12 * 30


class PeriodError(ValueError):
    """A period or insurance type that cannot be used; ``message`` is translated."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def check_period(start: str | None, end: str | None) -> tuple[str, str] | None:
    """``(start, end)`` as YYYY-MM months, or None for "everything on record"."""
    start, end = (start or "").strip(), (end or "").strip()
    if not start and not end:
        return None
    if not start or not end:
        raise PeriodError(_("Give both the first and the last month of the period, or neither."))
    for month in (start, end):
        if not MONTH.match(month):
            raise PeriodError(
                _("“%(month)s” is not a month written as YYYY-MM (e.g. 2025-01).")
                % {"month": month[:20]}
            )
    if start > end:
        raise PeriodError(_("The period's first month must not come after its last month."))
    span = (int(end[:4]) - int(start[:4])) * 12 + int(end[5:]) - int(start[5:]) + 1
    if span > MAX_PERIOD_MONTHS:
        raise PeriodError(
            _("A period may cover at most %(years)d years.") % {"years": MAX_PERIOD_MONTHS // 12}
        )
    return start, end


def check_insurance_type(spec: KindSpec, insurance_type: str | None) -> str | None:
    if not insurance_type:
        return None
    if spec.kind != CertificateKind.SOCIAL_INSURANCE:
        raise PeriodError(_("Only the social insurance certificate is issued per insurance type."))
    if insurance_type not in InsuranceType.values:
        raise PeriodError(
            _("Unknown insurance type; choose one of: %(known)s.")
            % {"known": ", ".join(InsuranceType.values)}
        )
    return insurance_type


def check_scope(spec: KindSpec, period, insurance_type):
    """(period, insurance_type) checked; ``PeriodError`` says what is wrong."""
    return check_period(*(period or (None, None))), check_insurance_type(spec, insurance_type)


def narrow(spec: KindSpec, record, period: tuple[str, str] | None, insurance_type: str | None):
    """``record`` cut to ``period`` (and ``insurance_type``); the record itself when unchanged."""
    if record is None:
        return None
    if spec.kind == CertificateKind.SOCIAL_INSURANCE:
        months, summaries = record.months, record.summaries
        if period:
            months = tuple(m for m in months if period[0] <= m.month <= period[1])
        if insurance_type:
            months = tuple(m for m in months if insurance_type in m.insurance_types)
            summaries = tuple(s for s in summaries if s.insurance_type == insurance_type)
        return dataclasses.replace(record, months=months, summaries=summaries)
    if spec.kind == CertificateKind.TAX and period:
        payments = tuple(
            p
            for p in record.payments
            if period[0] <= p.period_end.isoformat()[:7]
            and p.period_start.isoformat()[:7] <= period[1]
        )
        return dataclasses.replace(record, payments=payments)
    return record
