"""``tongban records import KIND FILE.csv``: department data into the local tables.

The columns of each kind are in ``COLUMNS`` and ``docs/records-import.md``. Every row is
checked first; one bad row refuses the whole file, each problem named by line and column,
and nothing is written. Rows whose key is already present (the same subject and month and
employer, …) replace the stored ones. Identifiers are turned into their keyed hash on the
way in and never stored.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from . import models
from .constants import InsuranceType, RecordKind, Sex
from .subjects import InvalidSubject, make_subject

MAX_ROWS = 200_000
MAX_ERRORS_SHOWN = 50
HOLDER = ["holder_kind", "holder_number", "holder_name"]
COLUMNS: dict[str, list[str]] = {
    RecordKind.SOCIAL_INSURANCE: [
        *HOLDER, "sex", "month", "employer", "contribution_base", "employer_amount",
        "personal_amount", "insurance_types", "place",
    ],
    RecordKind.TAX: [
        *HOLDER, "income_item", "period_start", "period_end", "paid_on", "amount",
        "withholding_agent", "tax_authority",
    ],
    RecordKind.REAL_ESTATE: [
        *HOLDER, "certificate_number", "unit_number", "location", "owners", "area", "use",
        "mortgages", "seizures", "objections",
    ],
    RecordKind.COMPANY: [
        "uscc", "name", "company_type", "address", "legal_representative",
        "registered_capital", "established_on", "operating_until", "approved_on", "scope",
        "status", "licences", "penalties", "abnormal_listings",
    ],
}  # fmt: skip
OPTIONAL = {
    "sex", "withholding_agent", "mortgages", "seizures", "objections", "operating_until",
    "approved_on", "licences", "penalties", "abnormal_listings",
}  # fmt: skip
CERTIFICATE_NUMBER = re.compile(r"^粤\(\d{4}\)[\u4e00-\u9fff]{1,10}不动产权第\d{7}号$")
UNIT_NUMBER = re.compile(r"^[0-9A-Z]{28}$")
MONTH = re.compile(r"^(\d{4})-(\d{2})$")
LIST_FIELDS = {
    "licences": ["name", "number", "issuer", "valid_until"],
    "penalties": ["decision_number", "authority", "decided_on", "reason", "outcome"],
    "abnormal_listings": ["listed_on", "reason", "authority", "removed_on"],
    "mortgages": ["party", "detail", "registered_on"],
    "seizures": ["party", "detail", "registered_on"],
    "objections": ["party", "detail", "registered_on"],
}
DATE_PARTS = {"valid_until", "decided_on", "listed_on", "removed_on", "registered_on"}
REQUIRED_PARTS = {"decided_on", "listed_on"}


class ImportRefused(Exception):
    """The file was not imported; ``problems`` lists every reason, translated."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems[:3]))


@dataclass
class ImportReport:
    kind: str
    rows: int
    subjects: int
    written: bool
    problems: list[str] = field(default_factory=list)


class RowError(ValueError):
    def __init__(self, column: str, message: str):
        self.column = column
        self.message = message
        super().__init__(message)


# --- Cells -------------------------------------------------------------------------------------


def text(row: dict, column: str, limit: int = 300) -> str:
    value = (row.get(column) or "").strip()
    if not value and column not in OPTIONAL:
        raise RowError(column, _("is empty"))
    if len(value) > limit:
        raise RowError(column, _("is longer than %(limit)d characters") % {"limit": limit})
    return value


def date(row: dict, column: str) -> dt.date | None:
    value = text(row, column)
    return parse_date(column, value) if value else None


def parse_date(column: str, value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise RowError(
            column, _("“%(value)s” is not a date as YYYY-MM-DD") % {"value": value[:20]}
        ) from None


def money(row: dict, column: str) -> Decimal:
    value = text(row, column).replace(",", "")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise RowError(column, _("“%(value)s” is not an amount") % {"value": value[:20]}) from None
    if not number.is_finite() or number < 0 or number.as_tuple().exponent < -2:
        raise RowError(column, _("must be zero or more, with at most two decimals"))
    if number >= Decimal("1e10"):
        raise RowError(column, _("is too large"))
    return number.quantize(Decimal("0.01"))


def entries(row: dict, column: str) -> list[dict]:
    """``a|b|c;a|b|c`` → a list of dicts named by ``LIST_FIELDS[column]``."""
    value = text(row, column, limit=4000)
    names = LIST_FIELDS[column]
    result = []
    for number, chunk in enumerate(filter(None, (p.strip() for p in value.split(";"))), 1):
        parts = [part.strip() for part in chunk.split("|")]
        if len(parts) != len(names):
            raise RowError(
                column,
                _("entry %(n)d has %(got)d parts separated by | but needs %(need)d (%(names)s)")
                % {"n": number, "got": len(parts), "need": len(names), "names": "|".join(names)},
            )
        entry = dict(zip(names, parts, strict=True))
        for name in DATE_PARTS & entry.keys():
            if entry[name]:
                entry[name] = parse_date(column, entry[name]).isoformat()
            elif name in REQUIRED_PARTS:
                raise RowError(column, _("entry %(n)d needs a date") % {"n": number})
            else:
                entry[name] = None
        result.append(entry)
    return result


def subject_hash(row: dict, kind_column: str, number_column: str) -> str:
    try:
        return make_subject(text(row, kind_column, 40), text(row, number_column, 40)).lookup_hash
    except InvalidSubject as error:
        raise RowError(number_column, error.message) from error


# --- Rows → model instances --------------------------------------------------------------------


def social_insurance_row(row: dict):
    key = subject_hash(row, "holder_kind", "holder_number")
    match = MONTH.match(text(row, "month"))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise RowError("month", _("must be a month as YYYY-MM"))
    kinds = [
        part.strip() for part in re.split(r"[;；、,]", text(row, "insurance_types")) if part.strip()
    ]
    unknown = [k for k in kinds if k not in InsuranceType.values]
    if unknown:
        raise RowError(
            "insurance_types",
            _("“%(unknown)s” is not one of %(known)s")
            % {"unknown": unknown[0][:20], "known": "、".join(InsuranceType.values)},
        )
    sex = text(row, "sex").upper()
    if sex not in Sex.values:
        raise RowError("sex", _("must be M, F or empty"))
    holder = (key, text(row, "holder_name", 200), sex)
    month = models.ContributionMonth(
        subject_hash=key,
        month=dt.date(int(match.group(1)), int(match.group(2)), 1),
        employer=text(row, "employer", 200),
        contribution_base=money(row, "contribution_base"),
        employer_amount=money(row, "employer_amount"),
        personal_amount=money(row, "personal_amount"),
        insurance_types=[k for k in InsuranceType.values if k in kinds],
        place=text(row, "place", 100),
    )
    return holder, month, (key, month.month, month.employer)


def tax_row(row: dict):
    key = subject_hash(row, "holder_kind", "holder_number")
    payment = models.TaxPayment(
        subject_hash=key,
        income_item=text(row, "income_item", 100),
        period_start=date(row, "period_start"),
        period_end=date(row, "period_end"),
        paid_on=date(row, "paid_on"),
        amount=money(row, "amount"),
        withholding_agent=text(row, "withholding_agent", 200),
        tax_authority=text(row, "tax_authority", 200),
    )
    if payment.period_end < payment.period_start:
        raise RowError("period_end", _("is before period_start"))
    holder = (key, text(row, "holder_name", 200), "")
    return (
        holder,
        payment,
        (key, payment.income_item, payment.period_start, payment.withholding_agent),
    )


def real_estate_row(row: dict):
    key = subject_hash(row, "holder_kind", "holder_number")
    certificate = text(row, "certificate_number", 60)
    if not CERTIFICATE_NUMBER.match(certificate):
        raise RowError("certificate_number", _("must read like 粤(2021)江门市不动产权第0012345号"))
    unit = text(row, "unit_number", 40).upper()
    if not UNIT_NUMBER.match(unit):
        raise RowError("unit_number", _("must be 28 digits or capital letters"))
    area = money(row, "area")
    if area <= 0:
        raise RowError("area", _("must be more than zero"))
    owners = [part.strip() for part in re.split(r"[;；]", text(row, "owners")) if part.strip()]
    prop = models.PropertyRight(
        subject_hash=key,
        certificate_number=certificate,
        unit_number=unit,
        location=text(row, "location"),
        owners=owners,
        area=area,
        use=text(row, "use", 60),
        mortgages=entries(row, "mortgages"),
        seizures=entries(row, "seizures"),
        objections=entries(row, "objections"),
    )
    holder = (key, text(row, "holder_name", 200), "")
    return holder, prop, (key, unit)


def company_row(row: dict):
    try:
        subject = make_subject("uscc", text(row, "uscc", 40))
    except InvalidSubject as error:
        raise RowError("uscc", error.message) from error
    company = models.CompanyRegistration(
        subject_hash=subject.lookup_hash,
        uscc=subject.number,
        name=text(row, "name", 200),
        company_type=text(row, "company_type", 100),
        address=text(row, "address"),
        legal_representative=text(row, "legal_representative", 100),
        registered_capital=text(row, "registered_capital", 100),
        established_on=date(row, "established_on"),
        operating_until=date(row, "operating_until"),
        approved_on=date(row, "approved_on"),
        scope=text(row, "scope", 4000),
        status=text(row, "status", 60),
        licences=entries(row, "licences"),
        penalties=entries(row, "penalties"),
        abnormal_listings=entries(row, "abnormal_listings"),
    )
    return None, company, (company.subject_hash,)


ROW_BUILDERS = {
    RecordKind.SOCIAL_INSURANCE: (social_insurance_row, models.ContributionMonth, ["subject_hash", "month", "employer"]),
    RecordKind.TAX: (tax_row, models.TaxPayment, ["subject_hash", "income_item", "period_start", "withholding_agent"]),
    RecordKind.REAL_ESTATE: (real_estate_row, models.PropertyRight, ["subject_hash", "unit_number"]),
    RecordKind.COMPANY: (company_row, models.CompanyRegistration, ["subject_hash"]),
}  # fmt: skip


# --- The file ----------------------------------------------------------------------------------


def read_rows(kind: str, data: bytes) -> list[dict]:
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(
            [_("The file is not UTF-8 text (byte %(at)d).") % {"at": error.start}]
        ) from None
    reader = csv.DictReader(io.StringIO(content, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    expected = COLUMNS[kind]
    missing = [name for name in expected if name not in header]
    unknown = [name for name in header if name not in expected]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
        problems.append(
            _("The columns of %(kind)s are: %(names)s.")
            % {"kind": kind, "names": ", ".join(expected)}
        )
        raise ImportRefused(problems)
    reader.fieldnames = header
    rows = []
    for row in reader:
        if None in row:
            raise ImportRefused(
                [_("Line %(line)d has more cells than the header.") % {"line": reader.line_num}]
            )
        rows.append((reader.line_num, row))
        if len(rows) > MAX_ROWS:
            raise ImportRefused(
                [_("The file has more than %(limit)d rows; split it.") % {"limit": MAX_ROWS}]
            )
    return rows


def import_records(kind: str, data: bytes, *, dry_run: bool = False) -> ImportReport:
    """Check every row, then write all of them in one transaction (or nothing)."""
    try:
        kind = RecordKind(kind)
    except ValueError:
        raise ImportRefused(
            [
                _("Unknown kind “%(kind)s”; use one of: %(known)s.")
                % {"kind": str(kind)[:40], "known": ", ".join(RecordKind.values)}
            ]
        ) from None
    build, model, key_fields = ROW_BUILDERS[kind]
    problems: list[str] = []
    holders: dict[str, tuple] = {}
    instances: dict[tuple, object] = {}
    for line, row in read_rows(kind, data):
        try:
            holder, instance, key = build(row)
        except RowError as error:
            problems.append(
                _("Line %(line)d, column %(column)s: %(problem)s.")
                % {"line": line, "column": error.column, "problem": error.message}
            )
            continue
        if key in instances:
            problems.append(_("Line %(line)d repeats an earlier row's key.") % {"line": line})
        instances[key] = instance
        if holder is not None:
            holders[holder[0]] = holder
    if problems:
        shown = problems[:MAX_ERRORS_SHOWN]
        if len(problems) > MAX_ERRORS_SHOWN:
            shown.append(
                _("… and %(more)d more problems.") % {"more": len(problems) - MAX_ERRORS_SHOWN}
            )
        raise ImportRefused(shown)
    if not instances:
        raise ImportRefused([_("The file has no rows.")])
    subjects = {instance.subject_hash for instance in instances.values()}
    if not dry_run:
        with transaction.atomic():
            _write(kind, model, key_fields, instances, holders)
    return ImportReport(kind, len(instances), len(subjects), written=not dry_run)


def _write(kind, model, key_fields, instances, holders) -> None:
    for key in instances:
        model.objects.filter(**dict(zip(key_fields, key, strict=True))).delete()
    model.objects.bulk_create(instances.values(), batch_size=1000)
    for key, name, sex in holders.values():
        models.RecordHolder.objects.update_or_create(
            kind=kind, subject_hash=key, defaults={"name": name, "sex": sex}
        )


def import_file(kind: str, path: str | Path, *, dry_run: bool = False) -> ImportReport:
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportRefused(
            [_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}]
        ) from error
    return import_records(kind, data, dry_run=dry_run)
