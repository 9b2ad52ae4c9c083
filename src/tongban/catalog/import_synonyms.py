"""The search-synonyms table of a catalog file: what people type → the catalog's words.

Rows are judged like every other row (a refused cell gets its row, column and reason); the
plan compares with the database so that importing an export changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from tongban.core.text import fold

from .import_cells import RowProblem
from .models import SearchSynonym

TERM_MAX = 100
NOTE_MAX = 200
MAX_ALTERNATIVES = 8
LIST_SPLIT = re.compile(r"[；;\n]+")


@dataclass(frozen=True)
class ParsedSynonym:
    row: int
    sheet: str
    term: str
    alternatives: tuple[str, ...]
    note: str


@dataclass
class SynonymPlan:
    creates: list[SearchSynonym] = field(default_factory=list)
    updates: list[SearchSynonym] = field(default_factory=list)
    unchanged: int = 0


def folded_term(text: str) -> str:
    """Synonyms match folded queries: simplified Chinese, lower case, accents dropped."""
    return " ".join(fold(text).split())


def parse_synonym(row: int, sheet: str, cells: dict[str, Any]) -> ParsedSynonym | list[RowProblem]:
    term = folded_term(str(cells.get("说法") or ""))
    raw_alternatives = str(cells.get("目录用语") or "")
    alternatives = tuple(
        dict.fromkeys(
            folded_term(part) for part in LIST_SPLIT.split(raw_alternatives) if part.strip()
        )
    )
    note = str(cells.get("说明") or "").strip()
    problems = []
    if not term:
        problems.append(RowProblem(row, "说法", "", _("Enter the word people type."), sheet))
    elif len(term) > TERM_MAX:
        problems.append(
            RowProblem(
                row, "说法", term[:40], _("At most %(max)d characters.") % {"max": TERM_MAX}, sheet
            )
        )
    if not alternatives:
        problems.append(
            RowProblem(
                row,
                "目录用语",
                raw_alternatives[:40],
                _("Enter at least one of the catalog's words, separated by ；."),
                sheet,
            )
        )
    elif len(alternatives) > MAX_ALTERNATIVES or any(len(a) > TERM_MAX for a in alternatives):
        problems.append(
            RowProblem(
                row,
                "目录用语",
                raw_alternatives[:40],
                _("At most %(count)d words of at most %(max)d characters each.")
                % {"count": MAX_ALTERNATIVES, "max": TERM_MAX},
                sheet,
            )
        )
    if term and term in alternatives:
        problems.append(
            RowProblem(row, "目录用语", term, _("A word cannot be its own synonym."), sheet)
        )
    if len(note) > NOTE_MAX:
        problems.append(
            RowProblem(
                row, "说明", note[:40], _("At most %(max)d characters.") % {"max": NOTE_MAX}, sheet
            )
        )
    if problems:
        return problems
    return ParsedSynonym(row, sheet, term, alternatives, note)


def duplicate_terms(rows: list[ParsedSynonym]) -> list[RowProblem]:
    seen: dict[str, int] = {}
    problems = []
    for parsed in rows:
        if parsed.term in seen:
            problems.append(
                RowProblem(
                    parsed.row,
                    "说法",
                    parsed.term,
                    _("This word is already in row %(row)d.") % {"row": seen[parsed.term]},
                    parsed.sheet,
                )
            )
        else:
            seen[parsed.term] = parsed.row
    return problems


def plan(rows: list[ParsedSynonym]) -> SynonymPlan:
    existing = {
        synonym.term: synonym
        for synonym in SearchSynonym.objects.filter(term__in=[r.term for r in rows])
    }
    result = SynonymPlan()
    for parsed in rows:
        current = existing.get(parsed.term)
        if current is None:
            result.creates.append(
                SearchSynonym(
                    term=parsed.term, alternatives=list(parsed.alternatives), note=parsed.note
                )
            )
        elif list(current.alternatives) != list(parsed.alternatives) or current.note != parsed.note:
            current.alternatives, current.note = list(parsed.alternatives), parsed.note
            result.updates.append(current)
        else:
            result.unchanged += 1
    return result


def write(synonym_plan: SynonymPlan) -> None:
    for synonym in [*synonym_plan.creates, *synonym_plan.updates]:
        synonym.save()


def synonym_rows():
    for synonym in SearchSynonym.objects.order_by("term"):
        yield [synonym.term, "；".join(synonym.alternatives), synonym.note]


def synonym_map() -> dict[str, tuple[str, ...]]:
    """term → alternatives, for the search index."""
    return {
        term: tuple(alternatives)
        for term, alternatives in SearchSynonym.objects.values_list("term", "alternatives")
    }
