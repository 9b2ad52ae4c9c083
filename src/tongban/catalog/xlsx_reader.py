"""A streaming reader of .xlsx worksheets that yields plain row values.

openpyxl's read-only mode builds a cell object (and, for inline strings, a rich-text object)
per cell; on a 50,000-row catalog that alone ran below the 2,000 rows/s an import must reach
(bench/catalog_import.py measures both in the same run). This reader feeds the sheet's XML
through ElementTree's C parser chunk by chunk and keeps only values. openpyxl still writes
workbooks and supplies the date-format rules.

Formulas are never evaluated: a cell holding one comes back as a ``Formula``.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET  # noqa: S405 — expat ≥ 2.4 refuses entity bombs; no external entities

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import from_excel

PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
OFFICE_DOCUMENT = "/officeDocument"
RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
STRICT_RELATIONSHIP_ID = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"
CHUNK = 1 << 16
DIGITS = "0123456789"


class Formula(str):
    """The text of a formula cell (without its leading "="); never evaluated."""


@dataclass(frozen=True)
class SheetInfo:
    title: str
    path: str


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _namespace(tag: str) -> str:
    return tag[: tag.index("}") + 1] if tag.startswith("{") else ""


@lru_cache(maxsize=512)
def _column(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


class XlsxReader:
    """Opens an .xlsx file; ``sheets()`` lists them, ``rows(sheet)`` streams one."""

    def __init__(self, path: Path) -> None:
        self.archive = zipfile.ZipFile(path)
        self._workbook_path = self._office_document()
        self._shared: list[str] | None = None
        self._date_styles: frozenset[int] | None = None

    def close(self) -> None:
        self.archive.close()

    def __enter__(self) -> XlsxReader:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- Package parts ----------------------------------------------------------------

    def _xml(self, name: str) -> ET.Element:
        with self.archive.open(name) as part:
            return ET.parse(part).getroot()  # noqa: S314 — small parts; see the module note

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, target path) of ``part``'s relationships."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", name + ".rels")
        if rels not in self.archive.NameToInfo:
            return {}
        found = {}
        for rel in self._xml(rels).iter():
            if _local(rel.tag) != "Relationship":
                continue
            target = rel.get("Target", "")
            path = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(folder, target))
            )
            found[rel.get("Id", "")] = (rel.get("Type", ""), path)
        return found

    def _office_document(self) -> str:
        for kind, path in self._relationships("").values():
            if kind.endswith(OFFICE_DOCUMENT):
                return path
        return "xl/workbook.xml"

    def sheets(self) -> list[SheetInfo]:
        relations = self._relationships(self._workbook_path)
        found = []
        for element in self._xml(self._workbook_path).iter():
            if _local(element.tag) != "sheet":
                continue
            rel_id = element.get(RELATIONSHIP_ID) or element.get(STRICT_RELATIONSHIP_ID)
            kind, path = relations.get(rel_id or "", ("", ""))
            if kind.endswith("/worksheet"):  # chartsheets and dialog sheets hold no rows
                found.append(SheetInfo(element.get("name", ""), path))
        return found

    def _part_of_kind(self, suffix: str) -> str | None:
        for kind, path in self._relationships(self._workbook_path).values():
            if kind.endswith(suffix):
                return path
        return None

    @property
    def shared_strings(self) -> list[str]:
        if self._shared is None:
            self._shared = []
            part = self._part_of_kind("/sharedStrings")
            if part and part in self.archive.NameToInfo:
                for _event, element in ET.iterparse(self.archive.open(part)):  # noqa: S314
                    if _local(element.tag) == "si":
                        self._shared.append(_text(element))
                        element.clear()
        return self._shared

    @property
    def date_styles(self) -> frozenset[int]:
        """Indexes of cell styles whose number format shows a date."""
        if self._date_styles is None:
            styles: set[int] = set()
            part = self._part_of_kind("/styles")
            if part and part in self.archive.NameToInfo:
                root = self._xml(part)
                custom = {
                    int(fmt.get("numFmtId", "0")): fmt.get("formatCode", "")
                    for fmt in root.iter()
                    if _local(fmt.tag) == "numFmt"
                }
                cell_xfs = next((e for e in root if _local(e.tag) == "cellXfs"), [])
                for index, xf in enumerate(cell_xfs):
                    number_format = int(xf.get("numFmtId", "0"))
                    code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format, "")
                    if code and is_date_format(code):
                        styles.add(index)
            self._date_styles = frozenset(styles)
        return self._date_styles

    # --- Rows -------------------------------------------------------------------------

    def rows(self, sheet: SheetInfo) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values by column) for each row present in ``sheet``."""
        shared, date_styles = self.shared_strings, self.date_styles
        parser = ET.XMLPullParser(events=("end",))  # noqa: S314
        tags = None
        number = 0
        with self.archive.open(sheet.path) as part:
            while block := part.read(CHUNK):
                parser.feed(block)
                for _event, element in parser.read_events():
                    if tags is None:
                        tags = _Tags(_namespace(element.tag))
                    if element.tag != tags.row:
                        continue
                    number = int(element.get("r") or number + 1)
                    yield number, _row_values(element, tags, shared, date_styles)
                    element.clear()
        parser.close()


class _Tags:
    def __init__(self, namespace: str) -> None:
        self.row = namespace + "row"
        self.value = namespace + "v"
        self.formula = namespace + "f"
        self.inline = namespace + "is"
        self.text = namespace + "t"
        self.run = namespace + "r"


def _text(element: ET.Element, tags: _Tags | None = None) -> str:
    """A string item's text: its <t>, or its runs' <t>s; phonetic guides (<rPh>) left out."""
    tags = tags or _Tags(_namespace(element.tag))
    first = element[0] if len(element) == 1 else None
    if first is not None and first.tag == tags.text:
        return first.text or ""
    parts = []
    for child in element:
        if child.tag == tags.text:
            parts.append(child.text or "")
        elif child.tag == tags.run:
            parts.extend(t.text or "" for t in child.iter(tags.text))
    return "".join(parts)


def _row_values(row: ET.Element, tags: _Tags, shared: list[str], date_styles) -> list[Any]:
    values: list[Any] = []
    append = values.append
    for cell in row:
        ref = cell.get("r")
        if ref:
            column = _column(ref.rstrip(DIGITS))
            if column > len(values):
                values.extend([None] * (column - len(values)))
        if not len(cell):
            append(None)  # a cell with only a style
            continue
        first = cell[0]
        if first.tag == tags.formula or (len(cell) > 1 and cell.find(tags.formula) is not None):
            append(Formula(cell.findtext(tags.formula) or ""))
            continue
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            append(_text(first, tags) if first.tag == tags.inline else "")
            continue
        raw = first.text if first.tag == tags.value else cell.findtext(tags.value)
        if raw is None:
            append(None)
        elif kind == "s":
            append(shared[int(raw)])
        elif kind in ("str", "e"):
            append(raw)
        elif kind == "b":
            append(raw == "1")
        elif kind == "d":
            append(dt.datetime.fromisoformat(raw))
        else:
            number = float(raw)
            if int(cell.get("s", "0")) in date_styles:
                append(from_excel(number))
            else:
                append(int(number) if number.is_integer() else number)
    return values
