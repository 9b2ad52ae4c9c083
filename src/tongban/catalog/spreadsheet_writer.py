"""Writing tables in the official layouts as .csv, .xlsx or .json (what ``spreadsheet`` reads)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any, BinaryIO

from django.db import models

from .spreadsheet import LAYOUTS, SHEET_TITLES, TableKind


class ExportFormat(models.TextChoices):
    XLSX = "xlsx", "xlsx"
    CSV = "csv", "csv"
    JSON = "json", "json"


Rows = Iterable[list[Any]]


def write_tables(
    export_format: str, stream: BinaryIO, tables: list[tuple[TableKind, Rows]]
) -> None:
    """Write ``tables`` (each rows in its layout's header order) to the binary ``stream``."""
    if export_format == ExportFormat.CSV:
        if len(tables) != 1:
            raise ValueError("A CSV file holds exactly one table.")
        _write_csv(stream, *tables[0])
    elif export_format == ExportFormat.XLSX:
        _write_xlsx(stream, tables)
    elif export_format == ExportFormat.JSON:
        _write_json(stream, tables)
    else:
        raise ValueError(f"Unknown export format {export_format!r}")


def _write_csv(stream: BinaryIO, kind: TableKind, rows: Rows) -> None:
    # The byte-order mark makes Excel read the file as UTF-8; the import accepts both.
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(LAYOUTS[kind])
        writer.writerows(rows)
        text.flush()
    finally:
        text.detach()  # leave the caller's stream open


def _write_xlsx(stream: BinaryIO, tables: list[tuple[TableKind, Rows]]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    for kind, rows in tables:
        sheet = workbook.create_sheet(SHEET_TITLES[kind])
        sheet.append(list(LAYOUTS[kind]))
        for row in rows:
            cells = []
            for value in row:
                if isinstance(value, str):
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                    if value.startswith("="):
                        # Text, never a formula: openpyxl would otherwise write it as one.
                        cell = WriteOnlyCell(sheet, value=value)
                        cell.data_type = "s"
                        value = cell
                cells.append(value)
            sheet.append(cells)
    # Zip needs to seek; stdout cannot.
    buffer = io.BytesIO()
    workbook.save(buffer)
    stream.write(buffer.getvalue())


def _write_json(stream: BinaryIO, tables: list[tuple[TableKind, Rows]]) -> None:
    document = {
        str(kind): [dict(zip(LAYOUTS[kind], row, strict=True)) for row in rows]
        for kind, rows in tables
    }
    stream.write(json.dumps(document, ensure_ascii=False, indent=1).encode())
    stream.write(b"\n")
