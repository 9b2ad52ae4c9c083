"""Judging one row of an items or departments file: every cell checked, every problem named.

A row becomes a ``ParsedItem`` / ``ParsedDepartment`` holding model field values, or a list
of ``RowProblem``; nothing here touches the database (known zones come in a ``Vocabulary``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tongban.core.text import to_simplified

from . import constants as c
from .import_cells import LIST_SEPARATORS, RowReader, official_value
from .models import Department, MaterialRequirement, ServiceItem

# Longer than any real limit: refuse as a typing mistake rather than promise it.
LIMIT_CEILINGS = {
    c.LimitUnit.WORKING_DAYS: 730,
    c.LimitUnit.CALENDAR_DAYS: 730,
    c.LimitUnit.HOURS: 720,
    c.LimitUnit.MONTHS: 36,
}
MAX_COPIES = 99
ITEM_CODE = re.compile(r"[0-9A-Z]{18}\d{13}")
BASIC_CODE = re.compile(r"\d{12}")
MATERIAL_FIELD_COUNT = 10


@dataclass(frozen=True)
class Vocabulary:
    """What the database knows that a row may name."""

    zone_codes: frozenset[str]


@dataclass
class ParsedDepartment:
    row: int
    sheet: str
    credit_code: str
    fields: dict[str, Any]
    traditional_given: bool


@dataclass
class ParsedItem:
    row: int
    sheet: str
    code: str
    department_code: str
    fields: dict[str, Any]
    traditional_given: bool
    zones: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    materials: tuple[tuple, ...] = field(default_factory=tuple)


# Material fields in the order of a 申请材料 line: 名称|英文名称|葡文名称|材料类型|来源渠道|必要性|材料形式|原件份数|复印件份数|港澳申请人说明
MATERIAL_FIELDS = (
    "name_zh_hans", "name_en", "name_pt", "material_type", "source", "necessity", "form",
    "originals", "copies", "hkmo_note",
)  # fmt: skip


@lru_cache(maxsize=1024)
def _topic(term: str) -> str | None:
    return c.TOPIC_BY_TERM.get(to_simplified(term.strip()))


@lru_cache(maxsize=64)
def _online_depth(term: str) -> int | None:
    simplified = to_simplified(term)
    return next((n for n, t in c.ONLINE_DEPTHS.items() if t == simplified), None)


@lru_cache(maxsize=128)
def _max_length(model: type[models.Model], name: str) -> int | None:
    return model._meta.get_field(name).max_length


def parse_department(number: int, sheet: str, cells: dict[str, Any]):
    """A ``ParsedDepartment``, or the row's problems."""
    row = RowReader(number, sheet, cells)
    length = lambda name: _max_length(Department, name)  # noqa: E731
    fields = {
        "name_zh_hans": row.text("部门名称", required=True, max_length=length("name_zh_hans")),
        "name_zh_hant": row.text("部门名称（繁体）", max_length=length("name_zh_hant")),
        "name_en": row.text("部门名称（英文）", max_length=length("name_en")),
        "name_pt": row.text("部门名称（葡文）", max_length=length("name_pt")),
        "level": row.choice("行使层级", c.Level),
        "address": row.text("办公地址", max_length=length("address")),
        "phone": row.text("咨询电话", max_length=length("phone")),
    }
    code = row.credit_code("统一社会信用代码")
    if row.problems:
        return row.problems
    return ParsedDepartment(number, sheet, code, fields, bool(fields["name_zh_hant"]))


def _limit(row: RowReader, prefix: str) -> tuple[int | None, str | None]:
    unit = row.choice(f"{prefix}单位", c.LimitUnit)
    number = row.whole_number(prefix)
    if number is not None and unit is not None and number > LIMIT_CEILINGS[unit]:
        row.problem(
            prefix,
            number,
            _("Implausibly long: at most %(max)d %(unit)s.")
            % {"max": LIMIT_CEILINGS[unit], "unit": c.LimitUnit(unit).label},
        )
    return number, unit


def _materials(row: RowReader) -> tuple[tuple, ...]:
    column = "申请材料"
    materials = []
    for index, line in enumerate(row.cells.get(column, "").split("\n"), start=1):
        if not line.strip():
            continue
        material, reasons = _material(line, get_language())
        for reason in reasons:
            row.problem(
                column,
                line,
                _("Material line %(line)d: %(reason)s") % {"line": index, "reason": reason},
            )
        if material is not None:
            materials.append(material)
    return tuple(materials)


# The same materials recur across a department's items; judge each distinct line once.
@lru_cache(maxsize=8192)
def _material(line: str, language: str | None) -> tuple[tuple | None, tuple[str, ...]]:
    """(the material's field values, or None; the reasons it is wrong) for one line."""
    parts = [part.strip() for part in line.split("|")]
    if len(parts) != MATERIAL_FIELD_COUNT:
        reason = _(
            "it has %(found)d fields; it needs %(needed)d separated by | "
            "(名称|英文名称|葡文名称|材料类型|来源渠道|必要性|材料形式|原件份数|复印件份数|港澳申请人说明)."
        ) % {"found": len(parts), "needed": MATERIAL_FIELD_COUNT}
        return None, (reason,)
    name, name_en, name_pt, kind, source, necessity, form, originals, copies, note = parts
    values: list[Any] = [name, name_en, name_pt]
    reasons = []
    if not name:
        reasons.append(_("the name is empty."))
    for text, field_name in zip(values, MATERIAL_FIELDS, strict=False):
        limit = _max_length(MaterialRequirement, field_name)
        if len(text) > limit:
            reasons.append(
                _("too long: %(length)d characters, at most %(max)d.")
                % {"length": len(text), "max": limit}
            )
    for term, vocabulary in (
        (kind, c.MaterialType),
        (source, c.MaterialSource),
        (necessity, c.Necessity),
        (form, c.MaterialForm),
    ):
        value = official_value(vocabulary, term)
        if value is None:
            reasons.append(RowReader.expected(c.OFFICIAL_TERMS[vocabulary].values()))
        values.append(value)
    for count in (originals, copies):
        if not count.isdigit() or int(count) > MAX_COPIES:
            reasons.append(
                _("the numbers of originals and copies must be whole numbers from 0 to %(max)d.")
                % {"max": MAX_COPIES}
            )
            values.append(None)
        else:
            values.append(int(count))
    values.append(note)
    return (None if reasons else tuple(values)), tuple(reasons)


def parse_item(number: int, sheet: str, cells: dict[str, Any], vocabulary: Vocabulary):
    """A ``ParsedItem``, or the row's problems."""
    row = RowReader(number, sheet, cells)
    length = lambda name: _max_length(ServiceItem, name)  # noqa: E731
    code = row.text("实施编码", required=True).upper()
    department_code = row.credit_code("实施主体编码")
    if code and not ITEM_CODE.fullmatch(code):
        row.problem(
            "实施编码", code, _("Must be the department's credit code followed by 13 digits.")
        )
    elif code and department_code and not code.startswith(department_code):
        row.problem(
            "实施编码", code, _("Must begin with the department's credit code (实施主体编码).")
        )
    basic_code = row.text("基本编码", required=True)
    if basic_code and not BASIC_CODE.fullmatch(basic_code):
        row.problem("基本编码", basic_code, _("Must be 12 digits."))

    fields: dict[str, Any] = {
        "basic_code": basic_code,
        "name_zh_hans": row.text("事项名称", required=True, max_length=length("name_zh_hans")),
        "name_zh_hant": row.text("事项名称（繁体）", max_length=length("name_zh_hant")),
        "name_en": row.text("事项名称（英文）", required=True, max_length=length("name_en")),
        "name_pt": row.text("事项名称（葡文）", required=True, max_length=length("name_pt")),
        "sub_item": row.text("业务办理项", max_length=length("sub_item")),
        "item_type": row.choice("事项类型", c.ItemType),
        "level": row.choice("行使层级", c.Level),
        "scope": row.choice("通办范围", c.Scope),
        "handling_type": row.choice("办件类型", c.HandlingType),
        "statutory_note": row.text("法定办结时限说明"),
        "promised_note": row.text("承诺办结时限说明"),
        "visits": row.whole_number("到办事现场次数", maximum=2),
        "channels": row.terms("办理形式", c.Channel),
        "has_fee": row.yes_no("是否收费"),
        "fee_standard": row.text("收费标准"),
        "booking_supported": row.yes_no("是否支持预约"),
        "online": row.yes_no("是否网办"),
        "legal_basis": row.text("设定依据", required=True),
        "conditions": row.text("受理条件"),
        "process_steps": [s.strip() for s in row.text("办理流程").split("\n") if s.strip()],
        "result_name": row.text("审批结果名称", max_length=length("result_name")),
        "result_type": row.choice("审批结果类型", c.ResultType),
        "consultation_phone": row.text("咨询电话", max_length=length("consultation_phone")),
        "complaint_phone": row.text("投诉电话", max_length=length("complaint_phone")),
        "high_frequency": row.yes_no("是否高频"),
        "entered_zones_on": row.date("进驻专区日期"),
        "status": row.choice("事项状态", c.ItemStatus, default=c.ItemStatus.ACTIVE),
    }
    statutory, statutory_unit = _limit(row, "法定办结时限")
    promised, promised_unit = _limit(row, "承诺办结时限")
    fields.update(
        statutory_limit=statutory,
        statutory_unit=statutory_unit,
        promised_limit=promised,
        promised_unit=promised_unit,
    )
    if (
        None not in (statutory, promised)
        and statutory_unit == promised_unit
        and promised > statutory
    ):
        row.problem(
            "承诺办结时限",
            promised,
            _("The promised limit cannot be longer than the statutory limit (%(limit)d).")
            % {"limit": statutory},
        )
    if fields["handling_type"] == c.HandlingType.ON_THE_SPOT:
        for column, number in (("法定办结时限", statutory), ("承诺办结时限", promised)):
            if number:
                row.problem(
                    column, number, _("An item decided on the spot (即办件) has a limit of 0.")
                )

    audiences = row.terms("服务对象", c.Audience)
    if not audiences and not any(p.column == "服务对象" for p in row.problems):
        row.problem("服务对象", "", _("This column must not be empty."))
    fields["for_persons"] = c.Audience.PERSON in audiences
    fields["for_companies"] = c.Audience.COMPANY in audiences

    depth_term = row.cells.get("网办深度", "")
    depth = _online_depth(depth_term) if depth_term else None
    if depth_term and depth is None:
        row.problem("网办深度", depth_term, RowReader.expected(c.ONLINE_DEPTHS.values()))
    elif depth and fields["online"] is False:
        row.problem(
            "网办深度", depth_term, _("Only an item done online (是否网办 是) has an online depth.")
        )
    fields["online_depth"] = depth

    zones = _zones(row, vocabulary)
    topics = _topics(row)
    materials = _materials(row)
    if row.problems:
        return row.problems
    return ParsedItem(
        number,
        sheet,
        code,
        department_code,
        fields,
        bool(fields["name_zh_hant"]),
        zones=zones,
        topics=topics,
        materials=materials,
    )


def _zones(row: RowReader, vocabulary: Vocabulary) -> tuple[str, ...]:
    codes = []
    for part in LIST_SEPARATORS.split(row.cells.get("进驻专区", "")):
        code = part.strip().upper()
        if not code:
            continue
        if code not in vocabulary.zone_codes:
            row.problem(
                "进驻专区",
                part,
                _("Unknown zone code; known zones: %(codes)s.")
                % {"codes": " / ".join(sorted(vocabulary.zone_codes))},
            )
        elif code not in codes:
            codes.append(code)
    return tuple(codes)


def _topics(row: RowReader) -> tuple[str, ...]:
    slugs, unknown = [], []
    for part in LIST_SEPARATORS.split(row.cells.get("主题分类", "")):
        if not part.strip():
            continue
        slug = _topic(part)
        if slug is None:
            unknown.append(part.strip())
        elif slug not in slugs:
            slugs.append(slug)
    if unknown:
        row.problem("主题分类", "；".join(unknown), RowReader.expected(c.TOPIC_BY_TERM))
    return tuple(slugs)
