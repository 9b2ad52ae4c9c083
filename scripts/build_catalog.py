#!/usr/bin/env python3
"""Build the shipped catalog from its YAML authoring source.

Reads data/catalog/source/_common.yaml and every other data/catalog/source/*.yaml,
validates them (see data/catalog/README.md for the format), and writes
data/catalog/items.csv and data/catalog/departments.csv.

On any problem it prints one line per problem, naming the file, department and item,
writes nothing and exits with status 1.

    python scripts/build_catalog.py [--source DIR] [--output DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import opencc
import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE_DIR = ROOT / "data" / "catalog" / "source"
DEFAULT_OUTPUT_DIR = ROOT / "data" / "catalog"
COMMON_FILE = "_common.yaml"

# --- Vocabularies (data/catalog/README.md) -------------------------------------------

ITEM_TYPE_CODES = {
    "行政许可": "01",
    "行政给付": "05",
    "行政确认": "07",
    "行政奖励": "08",
    "行政裁决": "09",
    "其他行政权力": "10",
    "公共服务": "11",
}
LEVELS = ("省级", "市级", "县级")
TOPICS = (
    "开办企业", "经营许可", "不动产", "社保", "纳税", "公积金", "出入境", "户籍", "婚姻",
    "教育", "医保", "卫生健康", "就业创业", "人才", "住房", "交通出行", "社会救助",
    "公证法律", "文化旅游",
)
AUDIENCES = ("自然人", "法人", "自然人；法人")
SCOPES = ("全市", "跨境", "全省")
HANDLING_TYPES = ("即办件", "承诺件", "联办件", "上报件")
IMMEDIATE = "即办件"
TIME_UNITS = ("工作日", "自然日", "小时", "月")
VISITS = (0, 1, 2)
CHANNELS = ("窗口办理", "网上办理", "快递办理", "自助办理", "视频办理")
ONLINE_CHANNEL = "网上办理"
ZONES = ("JM", "MO-1", "MO-2", "HK")
ONLINE_DEPTHS = ("一级", "二级", "三级", "四级")
RESULT_TYPES = ("证照", "批文", "其他")
STATUSES = ("在用", "暂停")
MATERIAL_TYPES = ("证件证书证明", "申请表格文书", "其他")
MATERIAL_SOURCES = ("申请人自备", "政府部门核发")
NECESSITIES = ("必要", "非必要", "容缺后补")
MATERIAL_FORMS = ("纸质", "电子", "纸质；电子")

FIRST_ZONE_DAY = dt.date(2021, 4, 27)  # the first zone opened in Macau
LAST_ENTERED_DAY = dt.date(2026, 11, 21)
SUMMARY_YEAR = 2026
PROVINCE_WIDE = "全省"

# --- Codes (GB 32100 credit codes, GB/T 39554.1 item codes) --------------------------

CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_BASE_PATTERN = re.compile(f"[{CREDIT_CODE_ALPHABET}]{{17}}")
IMPLEMENTATION_SUFFIX_PREFIX = "34407"  # 5 + 3-digit department + 5-digit item = 13
MAX_DEPARTMENTS = 999
MAX_ITEMS_PER_DEPARTMENT = 9999  # the basic code has 4 digits for the item position

DEPARTMENT_KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
DIGITS = re.compile(r"\d")
PHONE_PATTERN = re.compile(r"\d[\d-]*\d")

# --- Authoring keys ------------------------------------------------------------------

DEPARTMENT_REQUIRED = {
    "key", "number", "credit_code_base", "name", "level", "address", "phone", "complaint_phone",
    "items",
}
DEPARTMENT_OPTIONAL = {"materials"}
NAME_REQUIRED = {"zh_hans", "en", "pt"}
NAME_OPTIONAL = {"zh_hant"}
MATERIAL_REQUIRED = {
    "zh", "en", "pt", "type", "source", "necessity", "form", "originals", "copies", "hkmo_note",
}
ITEM_REQUIRED = {
    "zh", "en", "pt", "type", "topics", "audience", "scope", "handling", "statutory",
    "promised", "visits", "channels", "fee", "booking", "online_depth", "legal_basis",
    "conditions", "steps", "result", "high_frequency", "entered", "materials",
}
ITEM_OPTIONAL = {"zh_hant", "sub_item", "zones", "status"}

ITEMS_HEADER = [
    "序号", "事项名称", "事项名称（繁体）", "事项名称（英文）", "事项名称（葡文）", "基本编码",
    "实施编码", "业务办理项", "事项类型", "实施主体", "实施主体编码", "行使层级", "主题分类",
    "服务对象", "通办范围", "办件类型", "法定办结时限", "法定办结时限单位", "法定办结时限说明",
    "承诺办结时限", "承诺办结时限单位", "承诺办结时限说明", "到办事现场次数", "办理形式",
    "进驻专区", "是否收费", "收费标准", "是否支持预约", "是否网办", "网办深度", "设定依据",
    "受理条件", "办理流程", "审批结果名称", "审批结果类型", "咨询电话", "投诉电话", "是否高频",
    "进驻专区日期", "事项状态", "申请材料",
]
DEPARTMENTS_HEADER = [
    "部门名称", "部门名称（繁体）", "部门名称（英文）", "部门名称（葡文）", "统一社会信用代码",
    "行使层级", "办公地址", "咨询电话",
]
LIST_SEPARATOR = "；"


# --- Problems ------------------------------------------------------------------------


@dataclass(frozen=True)
class Where:
    """The place a problem is reported against: file, department, item."""

    file: str
    department: str = ""
    item: str = ""

    def in_department(self, key: str) -> Where:
        return Where(self.file, key, "")

    def in_item(self, position: int, name: Any) -> Where:
        label = f'item {position} "{name}"' if isinstance(name, str) else f"item {position}"
        return Where(self.file, self.department, label)

    def __str__(self) -> str:
        parts = [self.file]
        if self.department:
            parts.append(f"department {self.department}")
        if self.item:
            parts.append(self.item)
        return ": ".join(parts)


@dataclass
class Problems:
    lines: list[str] = field(default_factory=list)

    def add(self, where: Where, reason: str) -> None:
        self.lines.append(f"{where}: {reason}")

    def __bool__(self) -> bool:
        return bool(self.lines)


# --- Validated model -----------------------------------------------------------------


@dataclass
class Material:
    zh: str
    en: str
    pt: str
    type: str
    source: str
    necessity: str
    form: str
    originals: int
    copies: int
    hkmo_note: str

    def as_line(self) -> str:
        fields = [self.zh, self.en, self.pt, self.type, self.source, self.necessity,
                  self.form, str(self.originals), str(self.copies), self.hkmo_note]
        return "|".join(fields)


@dataclass
class Item:
    where: Where
    position: int
    raw: dict[str, Any]
    materials: list[Material]
    entered: dt.date


@dataclass
class Department:
    where: Where
    key: str
    number: int
    credit_code: str
    raw: dict[str, Any]
    items: list[Item]


# --- YAML loading --------------------------------------------------------------------


class StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a key repeated in one mapping (PyYAML keeps the last)."""


def _construct_mapping_without_duplicates(loader: StrictLoader, node: yaml.MappingNode,
                                          deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


def _construct_timestamp_or_text(loader: StrictLoader, node: yaml.ScalarNode) -> Any:
    # PyYAML raises on 2023-02-30; keep the text so the item check names the item
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_without_duplicates)
StrictLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_or_text)


def load_yaml_mapping(path: Path, allowed_keys: set[str], problems: Problems) -> dict[str, Any]:
    where = Where(path.name)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - StrictLoader is a SafeLoader
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        problems.add(where, f"cannot read: {error}")
        return {}
    if not isinstance(data, dict):
        problems.add(where, "top level must be a mapping")
        return {}
    for key in sorted(set(data) - allowed_keys, key=str):
        problems.add(where, f"unknown top-level key {key!r}")
    return data


# --- Field checks --------------------------------------------------------------------


def check_keys(mapping: Any, required: set[str], optional: set[str], where: Where,
               what: str, problems: Problems) -> bool:
    """Report missing and unknown keys; False when `mapping` is not a mapping at all."""
    if not isinstance(mapping, dict):
        problems.add(where, f"{what} must be a mapping")
        return False
    for key in sorted(required - mapping.keys()):
        problems.add(where, f"{what}: missing {key!r}")
    for key in sorted(mapping.keys() - required - optional, key=str):
        problems.add(where, f"{what}: unknown key {key!r}")
    return True


def check_text(value: Any, where: Where, what: str, problems: Problems, *,
               may_be_empty: bool = False, single_line: bool = True) -> None:
    if not isinstance(value, str):
        problems.add(where, f"{what} must be text (quote it in YAML), got {value!r}")
    elif not may_be_empty and not value.strip():
        problems.add(where, f"{what} is empty")
    elif single_line and "\n" in value:
        problems.add(where, f"{what} must be a single line")


def check_choice(value: Any, vocabulary: tuple[Any, ...], where: Where, what: str,
                 problems: Problems) -> None:
    # bool is an int subclass: `visits: true` must not pass as 1
    if isinstance(value, bool) or value not in vocabulary:
        allowed = " / ".join(str(v) for v in vocabulary)
        problems.add(where, f"{what} {value!r} is not one of {allowed}")


def check_choice_list(value: Any, vocabulary: tuple[str, ...], where: Where, what: str,
                      problems: Problems) -> None:
    if not isinstance(value, list) or not value:
        problems.add(where, f"{what} must be a non-empty list")
        return
    for entry in value:
        check_choice(entry, vocabulary, where, what, problems)
    for entry, count in Counter(v for v in value if isinstance(v, str)).items():
        if count > 1:
            problems.add(where, f"{what} lists {entry!r} twice")


def check_translations(names: dict[str, Any], zh_key: str, where: Where, what: str,
                       problems: Problems) -> None:
    """en and pt must be real, distinct from the Chinese name."""
    for language in ("en", "pt"):
        value = names.get(language)
        check_text(value, where, f"{what} {language}", problems)
        chinese = str(names.get(zh_key)).strip()
        if isinstance(value, str) and value.strip() and value.strip() == chinese:
            problems.add(where, f"{what} {language} is the Chinese name, not a translation")


def check_bool(value: Any, where: Where, what: str, problems: Problems) -> None:
    if not isinstance(value, bool):
        problems.add(where, f"{what} must be true or false, got {value!r}")


def check_count(value: Any, where: Where, what: str, problems: Problems) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.add(where, f"{what} must be a whole number >= 0, got {value!r}")


def parse_entered_date(value: Any, where: Where, problems: Problems) -> dt.date:
    if isinstance(value, dt.datetime):
        problems.add(where, f"entered must be a date without time, got {value!r}")
        return FIRST_ZONE_DAY
    if isinstance(value, str) and DATE_PATTERN.fullmatch(value):
        with contextlib.suppress(ValueError):  # an impossible date is reported just below
            value = dt.date.fromisoformat(value)
    if not isinstance(value, dt.date):
        problems.add(where, f"entered must be a date YYYY-MM-DD, got {value!r}")
        return FIRST_ZONE_DAY
    if not FIRST_ZONE_DAY <= value <= LAST_ENTERED_DAY:
        problems.add(where, f"entered {value} is outside {FIRST_ZONE_DAY} … {LAST_ENTERED_DAY}")
    return value


# --- Materials -----------------------------------------------------------------------


def parse_material(raw: Any, where: Where, what: str, problems: Problems) -> Material | None:
    if not check_keys(raw, MATERIAL_REQUIRED, set(), where, what, problems):
        return None
    if MATERIAL_REQUIRED - raw.keys():
        return None
    for key in ("zh", "en", "pt", "hkmo_note"):
        check_text(raw[key], where, f"{what} {key}", problems, may_be_empty=key == "hkmo_note")
        if isinstance(raw[key], str) and "|" in raw[key]:
            problems.add(where, f"{what} {key} must not contain '|' (the field separator)")
    check_translations(raw, "zh", where, what, problems)
    check_choice(raw["type"], MATERIAL_TYPES, where, f"{what} type", problems)
    check_choice(raw["source"], MATERIAL_SOURCES, where, f"{what} source", problems)
    check_choice(raw["necessity"], NECESSITIES, where, f"{what} necessity", problems)
    check_choice(raw["form"], MATERIAL_FORMS, where, f"{what} form", problems)
    check_count(raw["originals"], where, f"{what} originals", problems)
    check_count(raw["copies"], where, f"{what} copies", problems)
    return Material(**{key: raw[key] for key in MATERIAL_REQUIRED})


def parse_material_library(raw: Any, where: Where, problems: Problems) -> dict[str, Material]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems.add(where, "materials must be a mapping of key to material")
        return {}
    library = {}
    for key, value in raw.items():
        material = parse_material(value, where, f"material {key!r}", problems)
        if material is not None:
            library[key] = material
    return library


def resolve_item_materials(raw: Any, own: dict[str, Material], common: dict[str, Material],
                           where: Where, problems: Problems) -> list[Material]:
    if not isinstance(raw, list) or not raw:
        problems.add(where, "materials must be a non-empty list (at least one material)")
        return []
    materials = []
    for index, entry in enumerate(raw, start=1):
        if isinstance(entry, str):
            material = own.get(entry) or common.get(entry)
            if material is None:
                problems.add(where, f"material {entry!r} is defined neither in the department "
                                    f"nor in {COMMON_FILE}")
        else:
            material = parse_material(entry, where, f"material {index}", problems)
        if material is not None:
            materials.append(material)
    names = Counter(material.zh for material in materials)
    for name, count in names.items():
        if count > 1:
            problems.add(where, f"material {name!r} is listed {count} times")
    return materials


# --- Items ---------------------------------------------------------------------------


def check_time_limit(value: Any, where: Where, what: str, problems: Problems) -> bool:
    if not isinstance(value, list) or len(value) != 3:
        problems.add(where, f"{what} must be [number, unit, explanation], got {value!r}")
        return False
    number, unit, explanation = value
    check_count(number, where, f"{what} number", problems)
    check_choice(unit, TIME_UNITS, where, f"{what} unit", problems)
    check_text(explanation, where, f"{what} explanation", problems, may_be_empty=True)
    return True


def check_time_limits(raw: dict[str, Any], where: Where, problems: Problems) -> None:
    statutory_ok = check_time_limit(raw["statutory"], where, "statutory", problems)
    promised_ok = check_time_limit(raw["promised"], where, "promised", problems)
    if not (statutory_ok and promised_ok):
        return
    statutory, statutory_unit, _ = raw["statutory"]
    promised, promised_unit, _ = raw["promised"]
    if not all(isinstance(n, int) and not isinstance(n, bool) for n in (statutory, promised)):
        return
    if statutory_unit == promised_unit and promised > statutory:
        problems.add(where, f"promised {promised} {promised_unit} is longer than statutory "
                            f"{statutory} {statutory_unit}")
    if raw["handling"] == IMMEDIATE and (statutory != 0 or promised != 0):
        problems.add(where, f"{IMMEDIATE} must have statutory and promised limits of 0")


def check_channels_and_online(raw: dict[str, Any], where: Where, problems: Problems) -> None:
    check_choice_list(raw["channels"], CHANNELS, where, "channels", problems)
    depth = raw["online_depth"]
    if depth != "":
        check_choice(depth, ONLINE_DEPTHS, where, "online_depth", problems)
    # 是否网办 is derived from online_depth, so it must agree with the channel list
    online_channel = isinstance(raw["channels"], list) and ONLINE_CHANNEL in raw["channels"]
    if online_channel and depth == "":
        problems.add(where, f"channels include {ONLINE_CHANNEL} but online_depth is empty")
    if not online_channel and depth not in ("", None):
        problems.add(where, f"online_depth {depth!r} given but channels lack {ONLINE_CHANNEL}")


def check_steps(value: Any, where: Where, problems: Problems) -> None:
    if not isinstance(value, list) or not value:
        problems.add(where, "steps must be a non-empty list")
        return
    for index, step in enumerate(value, start=1):
        check_text(step, where, f"step {index}", problems)


def check_result(value: Any, where: Where, problems: Problems) -> None:
    if not isinstance(value, list) or len(value) != 2:
        problems.add(where, f"result must be [name, type], got {value!r}")
        return
    check_text(value[0], where, "result name", problems)
    check_choice(value[1], RESULT_TYPES, where, "result type", problems)


def parse_item(raw: Any, position: int, department: Where, own: dict[str, Material],
               common: dict[str, Material], problems: Problems) -> Item | None:
    where = department.in_item(position, raw.get("zh") if isinstance(raw, dict) else None)
    if not check_keys(raw, ITEM_REQUIRED, ITEM_OPTIONAL, where, "item", problems):
        return None
    if ITEM_REQUIRED - raw.keys():
        return None
    check_text(raw["zh"], where, "zh", problems)
    check_translations(raw, "zh", where, "name", problems)
    for key in ("zh_hant", "sub_item"):
        if key in raw:
            check_text(raw[key], where, key, problems, may_be_empty=True)
    check_choice(raw["type"], tuple(ITEM_TYPE_CODES), where, "type", problems)
    check_choice_list(raw["topics"], TOPICS, where, "topics", problems)
    check_choice(raw["audience"], AUDIENCES, where, "audience", problems)
    check_choice(raw["scope"], SCOPES, where, "scope", problems)
    check_choice(raw["handling"], HANDLING_TYPES, where, "handling", problems)
    check_time_limits(raw, where, problems)
    check_choice(raw["visits"], VISITS, where, "visits", problems)
    check_channels_and_online(raw, where, problems)
    if "zones" in raw:
        check_choice_list(raw["zones"], ZONES, where, "zones", problems)
    check_text(raw["fee"], where, "fee", problems, may_be_empty=True)
    check_bool(raw["booking"], where, "booking", problems)
    check_text(raw["legal_basis"], where, "legal_basis", problems, single_line=False)
    check_text(raw["conditions"], where, "conditions", problems, single_line=False)
    check_steps(raw["steps"], where, problems)
    check_result(raw["result"], where, problems)
    check_bool(raw["high_frequency"], where, "high_frequency", problems)
    entered = parse_entered_date(raw["entered"], where, problems)
    if "status" in raw:
        check_choice(raw["status"], STATUSES, where, "status", problems)
    materials = resolve_item_materials(raw["materials"], own, common, where, problems)
    return Item(where, position, raw, materials, entered)


# --- Departments ---------------------------------------------------------------------


def credit_check_character(base: str) -> str:
    try:
        from stdnum.cn.uscc import calc_check_digit
    except ImportError:
        weights = [pow(3, i, 31) for i in range(17)]
        total = sum(CREDIT_CODE_ALPHABET.index(c) * w for c, w in zip(base, weights, strict=True))
        return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]
    return calc_check_digit(base)


def parse_department(raw: Any, where: Where, common: dict[str, Material],
                     problems: Problems) -> Department | None:
    key = raw.get("key") if isinstance(raw, dict) else None
    where = where.in_department(key if isinstance(key, str) else "?")
    if not check_keys(raw, DEPARTMENT_REQUIRED, DEPARTMENT_OPTIONAL, where, "department", problems):
        return None
    if DEPARTMENT_REQUIRED - raw.keys():
        return None
    if not isinstance(key, str) or not DEPARTMENT_KEY_PATTERN.fullmatch(key):
        problems.add(where, f"key {key!r} must be a lower-case slug (a-z, 0-9, _)")
    number = raw["number"]
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= MAX_DEPARTMENTS:
        problems.add(where, f"number {number!r} must be a whole number from 1 to {MAX_DEPARTMENTS}")
        number = 0
    base = raw["credit_code_base"]
    credit_code = ""
    if isinstance(base, str) and CREDIT_CODE_BASE_PATTERN.fullmatch(base):
        credit_code = base + credit_check_character(base)
    else:
        problems.add(where, f"credit_code_base {base!r} must be 17 characters "
                            f"of {CREDIT_CODE_ALPHABET}")
    name = raw["name"]
    if check_keys(name, NAME_REQUIRED, NAME_OPTIONAL, where, "name", problems):
        check_text(name.get("zh_hans"), where, "name zh_hans", problems)
        check_translations(name, "zh_hans", where, "name", problems)
        if "zh_hant" in name:
            check_text(name["zh_hant"], where, "name zh_hant", problems, may_be_empty=True)
    check_choice(raw["level"], LEVELS, where, "level", problems)
    check_text(raw["address"], where, "address", problems)
    for phone_key in ("phone", "complaint_phone"):
        phone = raw[phone_key]
        if not isinstance(phone, str) or not PHONE_PATTERN.fullmatch(phone):
            problems.add(where, f"{phone_key} {phone!r} must be quoted digits and '-'")
    own = parse_material_library(raw.get("materials"), where, problems)
    items_raw = raw["items"]
    if not isinstance(items_raw, list) or not items_raw:
        problems.add(where, "items must be a non-empty list")
        items_raw = []
    if len(items_raw) > MAX_ITEMS_PER_DEPARTMENT:
        problems.add(where, f"more than {MAX_ITEMS_PER_DEPARTMENT} items do not fit the basic code")
    items = []
    for position, item_raw in enumerate(items_raw, start=1):
        item = parse_item(item_raw, position, where, own, common, problems)
        if item is not None:
            items.append(item)
    return Department(where, key if isinstance(key, str) else "?", number, credit_code, raw, items)


def load_departments(source_dir: Path, common: dict[str, Material],
                     problems: Problems) -> list[Department]:
    departments = []
    for path in sorted(source_dir.glob("*.yaml")):
        if path.name == COMMON_FILE:
            continue
        data = load_yaml_mapping(path, {"departments"}, problems)
        if not data:
            continue
        raw_departments = data.get("departments")
        if not isinstance(raw_departments, list) or not raw_departments:
            problems.add(Where(path.name), "departments must be a non-empty list")
            continue
        for raw in raw_departments:
            department = parse_department(raw, Where(path.name), common, problems)
            if department is not None:
                departments.append(department)
    return departments


# --- Catalog-wide checks -------------------------------------------------------------


def check_unique_departments(departments: list[Department], problems: Problems) -> None:
    first_by_key: dict[str, Department] = {}
    first_by_code: dict[str, Department] = {}
    first_by_number: dict[int, Department] = {}
    for department in departments:
        if department.number in first_by_number:
            other = first_by_number[department.number].where
            problems.add(department.where, f"number {department.number} duplicates {other}")
        first_by_number.setdefault(department.number, department)
        if department.key in first_by_key:
            other = first_by_key[department.key].where
            problems.add(department.where, f"key duplicates the one in {other.file}")
        first_by_key.setdefault(department.key, department)
        if not department.credit_code:
            continue
        if department.credit_code in first_by_code:
            other = first_by_code[department.credit_code].where
            problems.add(department.where,
                         f"credit code {department.credit_code} duplicates {other}")
        first_by_code.setdefault(department.credit_code, department)
    if len(departments) > MAX_DEPARTMENTS:
        problems.add(Where("source"),
                     f"more than {MAX_DEPARTMENTS} departments do not fit the codes")


def check_unique_item_names(departments: list[Department], problems: Problems) -> None:
    """No repeated name, and no two names told apart only by a number (e.g. 第1次/第2次)."""
    by_name: dict[str, list[Item]] = defaultdict(list)
    by_name_without_digits: dict[str, list[Item]] = defaultdict(list)
    for department in departments:
        for item in department.items:
            name = item.raw["zh"]
            if isinstance(name, str):
                by_name[name.strip()].append(item)
                by_name_without_digits[DIGITS.sub("", name.strip())].append(item)
    for items in by_name.values():
        for item in items[1:]:
            problems.add(item.where, f"name duplicates {items[0].where}")
    for items in by_name_without_digits.values():
        distinct = {item.raw["zh"].strip() for item in items}
        if len(distinct) > 1:
            for item in items[1:]:
                problems.add(item.where, f"name differs only by digits from {items[0].where}")


# --- Output --------------------------------------------------------------------------


def build_converter() -> opencc.OpenCC:
    try:
        return opencc.OpenCC("s2hk")
    except Exception:  # older wheels want the config file name
        return opencc.OpenCC("s2hk.json")


def traditional(text: str, explicit: Any, converter: opencc.OpenCC) -> str:
    return explicit if isinstance(explicit, str) and explicit.strip() else converter.convert(text)


def yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def item_row(number: int, department: Department, ordinal: int, item: Item,
             converter: opencc.OpenCC) -> list[Any]:
    raw = item.raw
    statutory, statutory_unit, statutory_note = raw["statutory"]
    promised, promised_unit, promised_note = raw["promised"]
    result_name, result_type = raw["result"]
    suffix = f"{IMPLEMENTATION_SUFFIX_PREFIX}{ordinal:03d}{item.position:05d}"
    basic_code = f"{ITEM_TYPE_CODES[raw['type']]}{ordinal:03d}{item.position:04d}000"
    zones = raw.get("zones", list(ZONES))
    return [
        number,
        raw["zh"],
        traditional(raw["zh"], raw.get("zh_hant"), converter),
        raw["en"],
        raw["pt"],
        basic_code,
        department.credit_code + suffix,
        raw.get("sub_item", ""),
        raw["type"],
        department.raw["name"]["zh_hans"],
        department.credit_code,
        department.raw["level"],
        LIST_SEPARATOR.join(raw["topics"]),
        raw["audience"],
        raw["scope"],
        raw["handling"],
        statutory,
        statutory_unit,
        statutory_note,
        promised,
        promised_unit,
        promised_note,
        raw["visits"],
        LIST_SEPARATOR.join(raw["channels"]),
        LIST_SEPARATOR.join(zones),
        yes_no(bool(raw["fee"].strip())),
        raw["fee"].strip(),
        yes_no(raw["booking"]),
        yes_no(bool(raw["online_depth"])),
        raw["online_depth"],
        raw["legal_basis"].strip(),
        raw["conditions"].strip(),
        "\n".join(raw["steps"]),
        result_name,
        result_type,
        department.raw["phone"],
        department.raw["complaint_phone"],
        yes_no(raw["high_frequency"]),
        item.entered.isoformat(),
        raw.get("status", "在用"),
        "\n".join(material.as_line() for material in item.materials),
    ]


def department_row(department: Department, converter: opencc.OpenCC) -> list[Any]:
    raw = department.raw
    name = raw["name"]
    return [
        name["zh_hans"],
        traditional(name["zh_hans"], name.get("zh_hant"), converter),
        name["en"],
        name["pt"],
        department.credit_code,
        raw["level"],
        raw["address"],
        raw["phone"],
    ]


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    temporary = path.with_suffix(".csv.tmp")
    with temporary.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    temporary.replace(path)  # never leave a half-written catalog behind


def summary_line(departments: list[Department]) -> str:
    items = [item for department in departments for item in department.items]
    by_type = Counter(item.raw["type"] for item in items)
    types = ", ".join(f"{name} {by_type[name]}" for name in ITEM_TYPE_CODES if by_type[name])
    province_wide = sum(item.raw["scope"] == PROVINCE_WIDE for item in items)
    high_frequency = sum(item.raw["high_frequency"] for item in items)
    entered_this_year = sum(item.entered.year == SUMMARY_YEAR for item in items)
    return (f"items {len(items)}, departments {len(departments)}, "
            f"province-wide (全省) {province_wide}, high-frequency {high_frequency}, "
            f"entered in {SUMMARY_YEAR} {entered_this_year}, by type: {types}")


# --- Main ----------------------------------------------------------------------------


def build(source_dir: Path, output_dir: Path) -> int:
    problems = Problems()
    common_path = source_dir / COMMON_FILE
    common_data = load_yaml_mapping(common_path, {"materials"}, problems)
    common = parse_material_library(common_data.get("materials"), Where(COMMON_FILE), problems)
    departments = load_departments(source_dir, common, problems)
    if not departments and not problems:
        problems.add(Where(str(source_dir)), "no departments found")
    check_unique_departments(departments, problems)
    check_unique_item_names(departments, problems)
    if problems:
        for line in problems.lines:
            print(line, file=sys.stderr)
        print(f"catalog not built: {len(problems.lines)} problem(s)", file=sys.stderr)
        return 1

    # A department's fixed number goes into its items' codes, so adding a department
    # never renumbers the items of the others.
    departments.sort(key=lambda department: department.number)
    converter = build_converter()
    item_rows = []
    for department in departments:
        for item in department.items:
            item_rows.append(item_row(len(item_rows) + 1, department, department.number, item, converter))
    department_rows = [department_row(department, converter) for department in departments]
    output_dir.mkdir(parents=True, exist_ok=True)
    write_csv(output_dir / "items.csv", ITEMS_HEADER, item_rows)
    write_csv(output_dir / "departments.csv", DEPARTMENTS_HEADER, department_rows)
    print(summary_line(departments))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE_DIR,
                        help="directory holding _common.yaml and the department files")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT_DIR,
                        help="directory to write items.csv and departments.csv into")
    arguments = parser.parse_args()
    return build(arguments.source, arguments.output)


if __name__ == "__main__":
    sys.exit(main())
