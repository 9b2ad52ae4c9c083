"""Reading the cells of one row: cleaned text, vocabularies, numbers, dates, and a
``RowProblem`` for each cell that is wrong, worded in the active language.

Every cell is refused when it holds a formula (never evaluated) or HTML markup.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from . import constants as c
from .xlsx_reader import Formula

LIST_SEPARATORS = re.compile(r"[；;]")
# A cell is refused when it holds markup: an opening or closing tag (<b>, </p>, <script src=…>,
# <br/>), a comment or a declaration. A bare "<" as in "<= 5 个工作日" or "x < y" is text.
MARKUP = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9:-]*(?=[\s/>])|!|\?)")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d")
FIRST_ZONE_DAY = dt.date.fromisoformat(c.ZONES_OPENED)
YES, NO = "是", "否"


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # None: the file as a whole
    column: str
    value: str
    reason: str
    sheet: str = ""


@lru_cache(maxsize=4096)
def official_value(vocabulary: type[models.TextChoices], term: str) -> str | None:
    value = c.from_official_term(vocabulary, term)
    return None if value is None else str(value)


@lru_cache(maxsize=4096)
def credit_code_is_valid(code: str) -> bool:
    from stdnum.cn import uscc

    return uscc.is_valid(code)


class RowReader:
    """Reads the cells of one row, collecting a problem for each bad one."""

    def __init__(self, number: int, sheet: str, cells: dict[str, Any]) -> None:
        self.number = number
        self.sheet = sheet
        self.cells: dict[str, str] = {}
        self.problems: list[RowProblem] = []
        self.refused: set[str] = set()  # cells already reported as unreadable
        for column, value in cells.items():
            before = len(self.problems)
            self.cells[column] = self._clean(column, value)
            if len(self.problems) > before:
                self.refused.add(column)

    def problem(self, column: str, value: Any, reason: str) -> None:
        if column in self.refused:
            return  # one reason per cell: a refused formula is not also "empty"
        shown = str(value if value is not None else "")
        shown = shown if len(shown) <= 80 else shown[:79] + "…"
        self.problems.append(RowProblem(self.number, column, shown, reason, self.sheet))

    def _clean(self, column: str, value: Any) -> str:
        if type(value) is str:  # the common case first: this runs for every cell
            text = value.strip()
            if text.startswith("="):
                self.problem(column, text, _("Formulas are not imported; enter the value itself."))
                return ""
            if "<" in text and MARKUP.search(text):
                self.problem(column, text, _("HTML or script markup is not allowed in a cell."))
                return ""
            return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text
        if value is None:
            return ""
        if isinstance(value, Formula):
            self.problem(
                column, f"={value}", _("Formulas are not imported; enter the value itself.")
            )
            return ""
        if isinstance(value, bool):
            return YES if value else NO
        if isinstance(value, int):
            return str(value)
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else str(value)
        if isinstance(value, dt.datetime):
            return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            return self._clean(column, str(value))
        self.problem(column, value, _("Not a value this column can hold."))
        return ""

    def text(self, column: str, *, required: bool = False, max_length: int | None = None) -> str:
        value = self.cells.get(column, "")
        if required and not value:
            self.problem(column, value, _("This column must not be empty."))
        elif max_length and len(value) > max_length:
            self.problem(
                column,
                value,
                _("Too long: %(length)d characters, at most %(max)d.")
                % {"length": len(value), "max": max_length},
            )
        return value

    def choice(
        self, column: str, vocabulary: type[models.TextChoices], *, default: str | None = None
    ) -> str | None:
        value = self.cells.get(column, "")
        if not value and default is not None:
            return default
        if not value:
            self.problem(column, value, _("This column must not be empty."))
            return None
        found = official_value(vocabulary, value)
        if found is None:
            self.problem(column, value, self.expected(c.OFFICIAL_TERMS[vocabulary].values()))
        return found

    @staticmethod
    def expected(terms) -> str:
        return _("Not a known value; expected one of: %(terms)s.") % {"terms": " / ".join(terms)}

    def terms(self, column: str, vocabulary: type[models.TextChoices]) -> list[str]:
        found, unknown = [], []
        for part in LIST_SEPARATORS.split(self.cells.get(column, "")):
            if not part.strip():
                continue
            value = official_value(vocabulary, part)
            if value is None:
                unknown.append(part.strip())
            elif value not in found:
                found.append(value)
        if unknown:
            self.problem(
                column, "；".join(unknown), self.expected(c.OFFICIAL_TERMS[vocabulary].values())
            )
        return found

    def whole_number(self, column: str, *, maximum: int | None = None) -> int | None:
        value = self.cells.get(column, "")
        if not value:
            self.problem(column, value, _("This column must not be empty."))
            return None
        if not re.fullmatch(r"[+-]?\d+", value):
            self.problem(column, value, _("Must be a whole number."))
            return None
        number = int(value)
        if number < 0:
            self.problem(column, value, _("Must not be negative."))
            return None
        if maximum is not None and number > maximum:
            self.problem(column, value, _("Must be at most %(max)d.") % {"max": maximum})
            return None
        return number

    def yes_no(self, column: str) -> bool | None:
        value = self.cells.get(column, "")
        if value in (YES, NO):
            return value == YES
        self.problem(column, value, _("Must be 是 (yes) or 否 (no)."))
        return None

    def date(self, column: str) -> dt.date | None:
        value = self.cells.get(column, "")
        day = None
        if len(value) == 10 and value[4] == value[7] == "-":
            with contextlib.suppress(ValueError):  # an impossible date is reported below
                day = dt.date.fromisoformat(value)
        for pattern in DATE_FORMATS if day is None else ():
            try:
                day = dt.datetime.strptime(value, pattern).date()
            except ValueError:
                continue
            break
        if day is None:
            self.problem(column, value, _("Must be a date written YYYY-MM-DD."))
        elif day < FIRST_ZONE_DAY:
            self.problem(
                column,
                value,
                _("Must not be before %(day)s, when the first zone opened.")
                % {"day": c.ZONES_OPENED},
            )
            return None
        return day

    def credit_code(self, column: str) -> str:
        value = self.cells.get(column, "").upper()
        if not value:
            self.problem(column, value, _("This column must not be empty."))
        elif not credit_code_is_valid(value):
            self.problem(column, value, _("Not a valid unified social credit code."))
        return value
