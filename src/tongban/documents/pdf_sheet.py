"""Fixed layouts drawn straight on the canvas: ``Sheet`` puts headings, notes and ruled tables
one under the other inside the ``DocumentFrame``, starting a new page (and repeating a table's
header) when the next row does not fit.

It does what the certificates need and no more, several times faster than platypus: cells are
wrapped with the cached ``pdf_fonts.wrap``, rows are measured once and drawn once, and rules
are a few path operations per row.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.units import mm

from .pdf_archive import ArchiveCanvas
from .pdf_fonts import pdf_text, register_fonts, text_width, wrap
from .pdf_frame import (
    BODY_WIDTH,
    FOOTER_HEIGHT,
    HEADER_HEIGHT,
    MARGIN,
    PAGE_SIZE,
    DocumentFrame,
    draw_lines,
)

SHADE_COLOUR = "0.9 0.92 0.95 rg"  # the light blue-grey of headers and labels
RULE_COLOUR = "0.55 0.55 0.55 RG"
CELL_PADDING_X = 3
CELL_PADDING_TOP = 1.5
CELL_PADDING_BOTTOM = 2


@dataclass(frozen=True)
class TableStyle:
    size: float = 8.5
    leading: float = 8.5 * 1.2
    header_rows: int = 1
    right: frozenset[int] = frozenset()
    shade_columns: frozenset[int] = frozenset()  # label columns of a field table
    shade_last_row: bool = False


class Sheet:
    """One document being drawn; ``finish()`` returns its PDF bytes."""

    def __init__(self, frame: DocumentFrame, *, title: str, subject: str = ""):
        register_fonts()
        self.frame = frame
        self.buffer = io.BytesIO()
        self.canvas = ArchiveCanvas(self.buffer, pagesize=PAGE_SIZE)
        self.canvas.setTitle(title)
        self.canvas.setAuthor("Tongban")
        self.canvas.setSubject(subject)
        self.canvas.setCreator("Tongban")
        self.page = 0
        self.body_top = PAGE_SIZE[1] - MARGIN - HEADER_HEIGHT - 3 * mm
        self.body_bottom = MARGIN + FOOTER_HEIGHT + 3 * mm
        self._new_page()

    def _new_page(self) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        self.frame.draw_page(self.canvas, self.page)
        self.y = self.body_top

    def room(self) -> float:
        return self.y - self.body_bottom

    def space(self, height: float) -> None:
        self.y = max(self.body_bottom, self.y - height)

    def text(self, text: str, size: float = 10.5, *, bold=False, before=0.0, after=2.0) -> None:
        """A paragraph wrapped to the body's width; it runs onto the next page line by line."""
        leading = size * 1.3
        self.space(before)
        for line in wrap(text, size, BODY_WIDTH):
            if leading > self.room():
                self._new_page()
            self.y = draw_lines(
                self.canvas, [line], MARGIN, self.y, size, leading=leading, bold=bold
            )
        self.space(after)

    def heading(self, text: str) -> None:
        if self.room() < 12 * 1.3 + 40:  # never a heading alone at the foot of a page
            self._new_page()
        self.text(text, 11.5, bold=True, before=4, after=2)

    def table(
        self,
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        style: TableStyle = TableStyle(),  # noqa: B008 - frozen, shared on purpose
    ) -> None:
        """A ruled table; its header rows repeat at the top of every page it runs onto."""
        measured = [self._measure(row, widths, style) for row in rows]
        header = measured[: style.header_rows]
        for index, (cells, height) in enumerate(measured):
            is_header = index < style.header_rows
            if not is_header and height > self.room():
                self._new_page()
                for header_index, (header_cells, header_height) in enumerate(header):
                    self._draw_row(header_cells, header_height, widths, style, header_index, 0)
            last = index == len(measured) - 1
            self._draw_row(cells, height, widths, style, index, last)
        self.space(2)

    def _measure(self, row, widths, style: TableStyle):
        cells = [
            wrap("" if value is None else str(value), style.size, width - 2 * CELL_PADDING_X)
            for value, width in zip(row, widths, strict=True)
        ]
        lines = max((len(cell) for cell in cells), default=1)
        return cells, lines * style.leading + CELL_PADDING_TOP + CELL_PADDING_BOTTOM

    def _draw_row(self, cells, height, widths, style: TableStyle, index: int, last) -> None:
        # Operators written directly: a row is a few strings, not hundreds of reportlab calls.
        top, bottom = self.y, self.y - height
        is_header = index < style.header_rows
        operators = ["q", SHADE_COLOUR]
        if is_header or (last and style.shade_last_row):
            operators.append(f"{MARGIN:.2f} {bottom:.2f} {sum(widths):.2f} {height:.2f} re f")
        else:
            for column in style.shade_columns:
                left = MARGIN + sum(widths[:column])
                operators.append(f"{left:.2f} {bottom:.2f} {widths[column]:.2f} {height:.2f} re f")
        operators.append("0 g")
        doc, x = self.canvas._doc, MARGIN
        for column, (lines, width) in enumerate(zip(cells, widths, strict=True)):
            baseline = top - CELL_PADDING_TOP - style.size * 0.9
            right_aligned = column in style.right and not is_header
            for line in lines:
                if line:
                    left = x + CELL_PADDING_X
                    if right_aligned:
                        left = x + width - CELL_PADDING_X - text_width(line, style.size)
                    text = pdf_text(doc, line, style.size)
                    operators.append(f"BT 1 0 0 1 {left:.2f} {baseline:.2f} Tm {text} ET")
                baseline -= style.leading
            x += width
        operators.append(f"{RULE_COLOUR} 0.5 w")
        x = MARGIN
        for width in (0, *widths):
            x += width
            operators.append(f"{x:.2f} {top:.2f} m {x:.2f} {bottom:.2f} l")
        operators.append(f"{MARGIN:.2f} {top:.2f} m {x:.2f} {top:.2f} l")
        operators.append(f"{MARGIN:.2f} {bottom:.2f} m {x:.2f} {bottom:.2f} l S Q")
        self.canvas.addLiteral("\n".join(operators))
        self.y = bottom

    def finish(self) -> bytes:
        self.canvas.showPage()
        self.canvas.save()
        return self.buffer.getvalue()
