"""Reading the catalog's spreadsheets: the official Chinese column layouts, from .xlsx, .csv
or .json (the layout ``tongban catalog export --format json`` writes).

A file is refused as a whole (``SpreadsheetError``) when it cannot be read safely: too large,
not UTF-8, a damaged workbook, headers that are not the official ones. Cells come back as
the file holds them (str, int, float, date, …); ``import_rows`` judges each one.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongban.core.text import to_simplified

from .xlsx_reader import SheetInfo, XlsxReader

ITEM_HEADERS = (
    "序号", "事项名称", "事项名称（繁体）", "事项名称（英文）", "事项名称（葡文）", "基本编码",
    "实施编码", "业务办理项", "事项类型", "实施主体", "实施主体编码", "行使层级", "主题分类",
    "服务对象", "通办范围", "办件类型", "法定办结时限", "法定办结时限单位", "法定办结时限说明",
    "承诺办结时限", "承诺办结时限单位", "承诺办结时限说明", "到办事现场次数", "办理形式",
    "进驻专区", "是否收费", "收费标准", "是否支持预约", "是否网办", "网办深度", "设定依据",
    "受理条件", "办理流程", "审批结果名称", "审批结果类型", "咨询电话", "投诉电话", "是否高频",
    "进驻专区日期", "事项状态", "申请材料",
)  # fmt: skip
SYNONYM_HEADERS = ("说法", "目录用语", "说明")
DEPARTMENT_HEADERS = (
    "部门名称", "部门名称（繁体）", "部门名称（英文）", "部门名称（葡文）", "统一社会信用代码",
    "行使层级", "办公地址", "咨询电话",
)  # fmt: skip


class TableKind(models.TextChoices):
    DEPARTMENTS = "departments", gettext_lazy("departments")
    ITEMS = "items", gettext_lazy("items")
    SYNONYMS = "synonyms", gettext_lazy("search synonyms")


LAYOUTS = {
    TableKind.DEPARTMENTS: DEPARTMENT_HEADERS,
    TableKind.ITEMS: ITEM_HEADERS,
    TableKind.SYNONYMS: SYNONYM_HEADERS,
}
# A blank traditional name is generated with OpenCC; the row number is only for people.
OPTIONAL_HEADERS = {
    TableKind.DEPARTMENTS: {"部门名称（繁体）"},
    TableKind.ITEMS: {"序号", "事项名称（繁体）"},
    TableKind.SYNONYMS: {"说明"},
}
# Sheet names an export writes; an import recognises sheets by their headers, not names.
SHEET_TITLES = {TableKind.DEPARTMENTS: "实施主体", TableKind.ITEMS: "事项", TableKind.SYNONYMS: "同义词"}

XLSX_MAGIC = b"PK\x03\x04"
OLD_EXCEL_MAGIC = b"\xd0\xcf\x11\xe0"
HEADER_SEARCH_ROWS = 10  # exports sometimes put a title row or two above the headers
# A workbook is zip-compressed XML; refuse one that would inflate beyond this many times the
# upload limit (a "zip bomb") before unpacking it.
MAX_INFLATION = 40
# What a damaged or truncated workbook raises somewhere between the zip and the XML.
XLSX_DAMAGE = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    IndexError,
    ValueError,
    ElementTree.ParseError,
)


class SpreadsheetError(Exception):
    """The file as a whole cannot be imported; the message says why in the user's language."""

    def __init__(self, message: str, *, sheet: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.sheet = sheet


@dataclass
class Table:
    """One sheet (or CSV file, or JSON list) in one of the official layouts."""

    kind: TableKind
    sheet: str
    rows: Iterator[tuple[int, dict[str, Any]]]  # (row number as the user sees it, cells)
    total: int | None  # data rows, when the file says so up front


def _normalized(header: Any) -> str:
    # Accept half-width brackets, stray spaces and traditional characters in headers.
    text = unicodedata.normalize("NFKC", str(header if header is not None else "")).strip()
    return to_simplified("".join(text.split()))


_KNOWN = {
    kind: {_normalized(header): header for header in headers} for kind, headers in LAYOUTS.items()
}


def _columns_for(headers: list[Any], sheet: str) -> tuple[TableKind, list[str | None]] | None:
    """Which layout ``headers`` follow, and the official header of each column; None if none."""
    normalized = [_normalized(header) for header in headers]
    overlap = {kind: len(set(normalized) & known.keys()) for kind, known in _KNOWN.items()}
    kind = max(overlap, key=overlap.get)
    if not overlap[kind]:
        return None
    known = _KNOWN[kind]
    columns: list[str | None] = []
    unknown, duplicated, seen = [], [], set()
    for raw, header in zip(headers, normalized, strict=True):
        official = known.get(header)
        if not header:
            columns.append(None)
        elif official is None:
            unknown.append(str(raw).strip())
            columns.append(None)
        elif official in seen:
            duplicated.append(official)
            columns.append(None)
        else:
            seen.add(official)
            columns.append(official)
    missing = [h for h in LAYOUTS[kind] if h not in seen and h not in OPTIONAL_HEADERS[kind]]
    if missing or unknown or duplicated:
        parts = [
            _("The columns do not follow the official %(layout)s layout.") % {"layout": kind.label}
        ]
        if missing:
            parts.append(_("Missing columns: %(names)s.") % {"names": "、".join(missing)})
        if unknown:
            parts.append(_("Unknown columns: %(names)s.") % {"names": "、".join(unknown)})
        if duplicated:
            parts.append(_("Columns given twice: %(names)s.") % {"names": "、".join(duplicated)})
        raise SpreadsheetError(" ".join(parts), sheet=sheet)
    return kind, columns


def _unrecognised(headers: list[Any], sheet: str) -> SpreadsheetError:
    shown = "、".join(str(h).strip() for h in headers if h not in (None, "")) or _("(none)")
    return SpreadsheetError(
        _(
            "The first row does not hold the official column headers of an items or departments "
            "file (for example 实施编码 or 统一社会信用代码). Found: %(headers)s."
        )
        % {"headers": shown},
        sheet=sheet,
    )


def _rows(
    numbered_values: Iterator[tuple[int, tuple | list]], columns: list[str | None]
) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, values in numbered_values:
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # spreadsheets are full of blank rows
        cells = {c: v for c, v in zip(columns, values, strict=False) if c is not None}
        yield number, cells


def check_size(path: Path) -> None:
    """Refuse a file over ``TONGBAN_IMPORT_MAX_BYTES`` before reading a byte of it."""
    limit = settings.TONGBAN_IMPORT_MAX_BYTES
    try:
        size = path.stat().st_size
    except OSError as error:
        raise SpreadsheetError(
            _("The file cannot be opened: %(error)s") % {"error": error}
        ) from error
    if size > limit:
        raise SpreadsheetError(
            _(
                "The file is %(size)s; files over %(limit)s are refused. Split it and import each part."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )
    if not path.is_file():
        raise SpreadsheetError(_("%(name)s is not a file.") % {"name": path.name})


@contextlib.contextmanager
def read_tables(path: Path) -> Iterator[list[Table]]:
    """The tables in ``path`` (after ``check_size``), departments first.

    Rows are read lazily; a damaged workbook may only show it halfway through, and then
    raises ``SpreadsheetError`` from the row iterator.
    """
    check_size(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    suffix = path.suffix.lower()
    if head.startswith(OLD_EXCEL_MAGIC) or suffix == ".xls":
        raise SpreadsheetError(
            _(
                "This is an old Excel (.xls) file. Save it as an Excel workbook (.xlsx) or CSV UTF-8."
            )
        )
    if head.startswith(XLSX_MAGIC) or suffix in {".xlsx", ".xlsm"}:
        with _xlsx_tables(path) as tables:
            yield _departments_first(tables)
    elif suffix == ".json":
        yield _departments_first(_json_tables(path.read_bytes()))
    elif suffix in {".csv", ".txt", ""}:
        yield _departments_first([_csv_table(path.read_bytes())])
    else:
        raise SpreadsheetError(
            _("Files ending in %(suffix)s cannot be imported; use .xlsx, .csv or .json.")
            % {"suffix": path.suffix}
        )


def _departments_first(tables: list[Table]) -> list[Table]:
    return sorted(tables, key=lambda table: table.kind != TableKind.DEPARTMENTS)


# --- CSV ----------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            _("This CSV file is not UTF-8 text. Save it as “CSV UTF-8” and import it again.")
        ) from None
    raise SpreadsheetError(
        _(
            "This CSV file is in a Chinese GBK/GB18030 encoding, not UTF-8. In Excel choose "
            "“Save as” → “CSV UTF-8 (comma delimited)” and import that file."
        )
    )


def _csv_table(data: bytes) -> Table:
    text = _decode(data)
    if "\0" in text:
        raise SpreadsheetError(_("This CSV file contains binary data; it is not a CSV file."))
    records = csv.reader(io.StringIO(text, newline=""))
    try:
        header_number, headers = next(
            ((n, r) for n, r in enumerate(records, start=1) if any(c.strip() for c in r)),
            (0, []),
        )
    except csv.Error as error:
        raise SpreadsheetError(
            _("The CSV file is malformed: %(error)s") % {"error": error}
        ) from None
    found = _columns_for(headers, "")
    if found is None:
        raise _unrecognised(headers, "")
    kind, columns = found

    def numbered() -> Iterator[tuple[int, list[str]]]:
        try:
            yield from enumerate(records, start=header_number + 1)
        except csv.Error as error:
            raise SpreadsheetError(
                _("The CSV file is malformed: %(error)s") % {"error": error}
            ) from None

    return Table(kind, "", _rows(numbered(), columns), None)


# --- JSON ---------------------------------------------------------------------------------


def _json_tables(data: bytes) -> list[Table]:
    try:
        document = json.loads(_decode(data))
    except ValueError as error:
        raise SpreadsheetError(
            _("The JSON file is malformed: %(error)s") % {"error": error}
        ) from None
    if isinstance(document, list):
        document = {"": document}
    if not isinstance(document, dict) or not all(isinstance(v, list) for v in document.values()):
        raise SpreadsheetError(
            _('A JSON file must hold {"departments": [...], "items": [...]} as exported.')
        )
    tables = []
    for name, records in document.items():
        if not records:
            continue
        if not all(isinstance(record, dict) for record in records):
            raise SpreadsheetError(_("Each row of a JSON file must be an object."), sheet=name)
        headers = list(records[0].keys())
        found = _columns_for(headers, name)
        if found is None:
            raise _unrecognised(headers, name)
        kind, columns = found
        tables.append(Table(kind, name, _rows(_keyed(records, headers), columns), len(records)))
    return tables


def _keyed(records: list[dict], headers: list[str]) -> Iterator[tuple[int, list]]:
    for number, record in enumerate(records, start=1):
        yield number, [record.get(header) for header in headers]


# --- XLSX ---------------------------------------------------------------------------------


def _damaged(error: BaseException) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The Excel workbook is damaged or incomplete (%(error)s). Open it in Excel, save it "
            "again as .xlsx and import that file."
        )
        % {"error": type(error).__name__}
    )


@contextlib.contextmanager
def _xlsx_tables(path: Path) -> Iterator[list[Table]]:
    try:
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise _damaged(error) from None
    if inflated > MAX_INFLATION * settings.TONGBAN_IMPORT_MAX_BYTES:
        raise SpreadsheetError(
            _("The workbook would unpack to %(size)s, more than can be imported safely.")
            % {"size": filesizeformat(inflated)}
        )
    try:
        reader = XlsxReader(path)
        sheets = reader.sheets()
    except XLSX_DAMAGE as error:
        raise _damaged(error) from None
    try:
        tables = []
        first_unrecognised = None
        for sheet in sheets:
            table = _sheet_table(reader, sheet)
            if isinstance(table, SpreadsheetError):
                first_unrecognised = first_unrecognised or table
            elif table is not None:
                tables.append(table)
        if not tables:
            raise first_unrecognised or SpreadsheetError(_("The workbook has no rows."))
        yield tables
    finally:
        reader.close()


def _sheet_table(reader: XlsxReader, sheet: SheetInfo) -> Table | SpreadsheetError | None:
    """The sheet's table; an error if no early row holds a known layout; None if it is empty.

    The headers are the first row naming official columns among the first few: exports
    often put a title row or two above them.
    """
    values = _guarded(reader.rows(sheet))
    first_headers = None
    for searched, (_number, row) in enumerate(values, start=1):
        if any(cell not in (None, "") for cell in row):
            first_headers = first_headers or list(row)
            found = _columns_for(list(row), sheet.title)
            if found is not None:
                kind, columns = found
                return Table(kind, sheet.title, _rows(values, columns), None)
        if searched >= HEADER_SEARCH_ROWS:
            break
    return None if first_headers is None else _unrecognised(first_headers, sheet.title)


def _guarded(rows: Iterator[tuple[int, list]]) -> Iterator[tuple[int, list]]:
    try:
        yield from rows
    except XLSX_DAMAGE as error:
        raise _damaged(error) from None
