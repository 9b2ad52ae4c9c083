"""A reportlab toolkit every Tongban document uses: the embedded font, the page frame,
flowing paragraphs and tables, the QR code.

Every character is set in one embedded TrueType font (``pdf_fonts``: WenQuanYi Micro Hei, which
has Chinese in both scripts and the Latin letters of English and Portuguese), so every reader
shows the same glyphs and the text stays extractable; the PDF carries the PDF/A-2b output
intent and metadata (``pdf_archive``).

A flowing document (a letter, a voucher) is ``build_pdf(frame, story)``: the ``DocumentFrame``
(``pdf_frame``) draws on every page the title, the issuer line and a footer with the number,
verification code, verification address, issue time, validity and the QR code carrying the
signed token; ``story`` is the body (paragraphs and tables made with ``paragraph``,
``data_table`` and ``field_table``). Fixed layouts (the certificates) draw straight on the
canvas with ``pdf_sheet.Sheet``, which is several times faster.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from .pdf_archive import ArchiveCanvas
from .pdf_fonts import FONT
from .pdf_fonts import register_fonts as _register_embedded_font
from .pdf_frame import (  # noqa: F401 - the toolkit's public names, used by other apps
    FOOTER_HEIGHT,
    HEADER_HEIGHT,
    ISSUER_LINE,
    MARGIN,
    PAGE_SIZE,
    DocumentFrame,
    format_time,
    in_languages,
)
from .pdf_qr import (  # noqa: F401
    MAX_QR_VERSION,
    QR_ERROR_LEVEL,
    QR_SIZE,
    draw_qr,
    make_qr,
)

# One embedded face for every script; the old names stay for the callers that name a font.
SIMPLIFIED_FONT = TRADITIONAL_FONT = LATIN_FONT = LATIN_BOLD_FONT = FONT


def register_fonts() -> None:
    """Register the embedded font once per process (cheap to call again)."""
    _register_embedded_font()


def cjk_font_for(language: str) -> str:
    return FONT  # one face has both scripts


def is_cjk(char: str) -> bool:
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF  # radicals, CJK punctuation, kana, bopomofo, ideographs
        or 0xF900 <= code <= 0xFAFF  # compatibility ideographs
        or 0xFE30 <= code <= 0xFE4F  # vertical and small forms
        or 0xFF00 <= code <= 0xFFEF  # full-width forms
        or 0x20000 <= code <= 0x3FFFF
    )


def markup(text: object, *, language: str = "zh-hans") -> str:
    """Paragraph markup for ``text``: escaped, with line breaks kept. The embedded face draws
    every script, so a line never switches font (nor spacing) between Chinese and Latin."""
    return escape(str(text)).replace("\n", "<br/>")


def has_cjk(text: object) -> bool:
    return any(is_cjk(char) for char in str(text))


# --- Styles and flowables ----------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_header: ParagraphStyle


def _style(name: str, size: float, *, bold: bool = False, **options) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=LATIN_BOLD_FONT if bold else LATIN_FONT,
        fontSize=size,
        leading=size * 1.35,
        **options,
    )


STYLES = Styles(
    title=_style("title", 17, bold=True, alignment=TA_CENTER, spaceAfter=2),
    subtitle=_style("subtitle", 11.5, alignment=TA_CENTER, spaceAfter=2),
    heading=_style("heading", 12, bold=True, spaceBefore=8, spaceAfter=4),
    body=_style("body", 10.5, spaceAfter=4),
    small=_style("small", 8),
    cell=_style("cell", 9.5),
    cell_header=_style("cell_header", 9.5, bold=True),
)


def paragraph(text: object, style: ParagraphStyle | None = None, *, language: str = "zh-hans"):
    """A wrapping paragraph of plain text (never markup: the text is escaped)."""
    register_fonts()
    style = style or STYLES.body
    if has_cjk(text):
        # CJK wrapping breaks between any two ideographs; Latin-only text keeps whole words.
        style = ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")
    return Paragraph(markup(text, language=language), style)


def _cell(value: object, style: ParagraphStyle, language: str) -> Flowable:
    if isinstance(value, Flowable):
        return value
    return paragraph("" if value is None else value, style, language=language)


def data_table(
    rows: Sequence[Sequence[object]],
    col_widths: Sequence[float] | None = None,
    *,
    header_rows: int = 1,
    language: str = "zh-hans",
    align_right: Iterable[int] = (),
) -> Table:
    """A ruled table whose cells wrap (CJK included); header rows repeat on each page."""
    right = set(align_right)
    body: list[list[Flowable]] = []
    for index, row in enumerate(rows):
        style = STYLES.cell_header if index < header_rows else STYLES.cell
        cells = []
        for column, value in enumerate(row):
            cell_style = style
            if column in right:
                cell_style = ParagraphStyle(f"{style.name}-right", parent=style, alignment=2)
            cells.append(_cell(value, cell_style, language))
        body.append(cells)
    table = Table(body, colWidths=col_widths, repeatRows=header_rows)
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.5, colors.Color(0.55, 0.55, 0.55)),
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # a table's own default is Helvetica (not embedded)
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header_rows:
        commands.append(
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.Color(0.9, 0.92, 0.95))
        )
    table.setStyle(TableStyle(commands))
    return table


def field_table(
    pairs: Sequence[tuple[object, object]], *, language: str = "zh-hans", label_width=45 * mm
) -> Table:
    """Label / value rows (holder, identifier, period…) without a header row."""
    width = PAGE_SIZE[0] - 2 * MARGIN
    rows = [
        [_cell(label, STYLES.cell_header, language), _cell(value, STYLES.cell, language)]
        for label, value in pairs
    ]
    return data_table(rows, [label_width, width - label_width], header_rows=0, language=language)


def build_pdf(frame: DocumentFrame, story: list[Flowable]) -> bytes:
    """The PDF bytes of ``story`` laid out inside ``frame`` on as many A4 pages as it needs."""
    register_fonts()
    buffer = io.BytesIO()
    width, height = PAGE_SIZE
    document = BaseDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        title=f"{frame.title} {frame.number}",
        author="Tongban",
        subject=frame.number,
        creator="Tongban",
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + FOOTER_HEIGHT,
    )
    body = Frame(
        MARGIN,
        MARGIN + FOOTER_HEIGHT + 3 * mm,
        width - 2 * MARGIN,
        height - 2 * MARGIN - HEADER_HEIGHT - FOOTER_HEIGHT - 6 * mm,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[body], onPage=frame.draw)])
    document.build(list(story), canvasmaker=ArchiveCanvas)
    return buffer.getvalue()
