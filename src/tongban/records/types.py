"""The typed records a provider returns, one dataclass per department's data.

Every record converts to plain JSON data (``to_data``: decimals as strings, dates as ISO
text) and back (``from_data``, strict: a missing or mistyped field raises ``RecordShapeError``
naming its path). The HTTP provider and the certificates' signed record data use that form.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .constants import InsuranceStatus, InsuranceType, RecordKind


class RecordShapeError(ValueError):
    """Data that does not have a record's shape; ``path`` says where (``months[3].month``)."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


# --- Social insurance (个人参保证明) ---------------------------------------------------------


@dataclass(frozen=True)
class ContributionMonth:
    month: str  # YYYY-MM
    employer: str
    contribution_base: Decimal
    employer_amount: Decimal
    personal_amount: Decimal
    insurance_types: tuple[str, ...]
    place: str


@dataclass(frozen=True)
class InsuranceSummary:
    insurance_type: str
    status: str
    cumulative_months: int
    first_month: str
    last_month: str

    @property
    def type_label(self):
        return InsuranceType(self.insurance_type).label

    @property
    def status_label(self):
        return InsuranceStatus(self.status).label


@dataclass(frozen=True)
class SocialInsuranceRecord:
    holder_name: str
    sex: str
    months: tuple[ContributionMonth, ...]
    summaries: tuple[InsuranceSummary, ...]

    @property
    def employer_total(self) -> Decimal:
        return sum((m.employer_amount for m in self.months), Decimal("0.00"))

    @property
    def personal_total(self) -> Decimal:
        return sum((m.personal_amount for m in self.months), Decimal("0.00"))


# --- Tax (个人所得税纳税记录) ------------------------------------------------------------------


@dataclass(frozen=True)
class TaxPayment:
    income_item: str
    period_start: dt.date
    period_end: dt.date
    paid_on: dt.date
    amount: Decimal
    withholding_agent: str
    tax_authority: str


@dataclass(frozen=True)
class TaxRecord:
    taxpayer_name: str
    payments: tuple[TaxPayment, ...]

    @property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal("0.00"))

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        if not self.payments:
            return None
        return (
            min(p.period_start for p in self.payments),
            max(p.period_end for p in self.payments),
        )


# --- Real estate (不动产登记信息查询结果) --------------------------------------------------------


@dataclass(frozen=True)
class RegisterEntry:
    """A mortgage, seizure or objection on a property: who, what, since when."""

    party: str
    detail: str
    registered_on: dt.date | None


@dataclass(frozen=True)
class Property:
    certificate_number: str  # 粤(2021)江门市不动产权第0012345号
    unit_number: str  # 28 characters
    location: str
    owners: tuple[str, ...]
    area: Decimal  # square metres
    use: str
    mortgages: tuple[RegisterEntry, ...] = ()
    seizures: tuple[RegisterEntry, ...] = ()
    objections: tuple[RegisterEntry, ...] = ()


@dataclass(frozen=True)
class RealEstateRecord:
    owner_name: str
    properties: tuple[Property, ...]


# --- Company (企业信用报告) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Licence:
    name: str
    number: str
    issuer: str
    valid_until: dt.date | None


@dataclass(frozen=True)
class Penalty:
    decision_number: str
    authority: str
    decided_on: dt.date
    reason: str
    outcome: str


@dataclass(frozen=True)
class AbnormalListing:
    listed_on: dt.date
    reason: str
    authority: str
    removed_on: dt.date | None


@dataclass(frozen=True)
class CompanyRecord:
    uscc: str
    name: str
    company_type: str
    address: str
    legal_representative: str
    registered_capital: str
    established_on: dt.date
    operating_until: dt.date | None
    approved_on: dt.date | None
    scope: str
    status: str
    licences: tuple[Licence, ...] = ()
    penalties: tuple[Penalty, ...] = ()
    abnormal_listings: tuple[AbnormalListing, ...] = field(default_factory=tuple)


Record = SocialInsuranceRecord | TaxRecord | RealEstateRecord | CompanyRecord

RECORD_TYPES: dict[str, type] = {
    RecordKind.SOCIAL_INSURANCE: SocialInsuranceRecord,
    RecordKind.TAX: TaxRecord,
    RecordKind.REAL_ESTATE: RealEstateRecord,
    RecordKind.COMPANY: CompanyRecord,
}


# --- Conversion ----------------------------------------------------------------------------------


def to_data(value: Any) -> Any:
    """A record (or part of one) as JSON-ready data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [to_data(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def from_data(kind: str, data: Any):
    """The record of ``kind`` in ``data``; ``RecordShapeError`` when it is not one."""
    return _convert(RECORD_TYPES[RecordKind(kind)], data, "record")


_hints_cache: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _hints_cache:
        _hints_cache[cls] = typing.get_type_hints(cls)
    return _hints_cache[cls]


def _convert(annotation: Any, value: Any, path: str) -> Any:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        options = typing.get_args(annotation)
        if value is None and type(None) in options:
            return None
        (inner,) = [option for option in options if option is not type(None)]
        return _convert(inner, value, path)
    if origin is tuple:
        if not isinstance(value, list):
            raise RecordShapeError(path, "expected a list")
        (inner, _ellipsis) = typing.get_args(annotation)
        return tuple(_convert(inner, item, f"{path}[{i}]") for i, item in enumerate(value))
    if dataclasses.is_dataclass(annotation):
        if not isinstance(value, dict):
            raise RecordShapeError(path, "expected an object")
        values = {}
        for item in dataclasses.fields(annotation):
            if item.name not in value:
                if item.default is not dataclasses.MISSING or (
                    item.default_factory is not dataclasses.MISSING
                ):
                    continue
                raise RecordShapeError(f"{path}.{item.name}", "missing")
            values[item.name] = _convert(
                _hints(annotation)[item.name], value[item.name], f"{path}.{item.name}"
            )
        return annotation(**values)
    return _scalar(annotation, value, path)


def _scalar(annotation: Any, value: Any, path: str) -> Any:
    if annotation is str:
        if not isinstance(value, str):
            raise RecordShapeError(path, "expected text")
        return value
    if annotation is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise RecordShapeError(path, "expected a whole number")
        return value
    if annotation is Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise RecordShapeError(path, "expected a decimal number written as text")
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            raise RecordShapeError(path, f"{value!r} is not a number") from None
        if not number.is_finite():
            raise RecordShapeError(path, f"{value!r} is not a finite number")
        return number
    if annotation is dt.date:
        if not isinstance(value, str):
            raise RecordShapeError(path, "expected a date as YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise RecordShapeError(path, f"{value!r} is not a date as YYYY-MM-DD") from None
    raise TypeError(f"no conversion for {annotation!r}")
