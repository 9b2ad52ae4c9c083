"""A reportlab toolkit every Tongban document uses: fonts, the page frame, tables, the QR code.

The CJK fonts are Adobe's CID fonts every PDF reader has (STSong-Light for simplified and
MSung-Light for traditional Chinese), so no font file is embedded and the text stays
extractable; Latin and Portuguese text is set in Helvetica. ``markup`` splits any text into
runs so each character is drawn by a font that has it.

A document is ``build_pdf(frame, story)``: the ``DocumentFrame`` draws on every page the title,
the issuer line and a footer with the number, verification code, verification address, issue
time, validity and the QR code carrying the signed token; ``story`` is the body (paragraphs
and tables made with ``paragraph``, ``data_table`` and ``field_table``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import re
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

import segno
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import _cidfontdata, pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from .codes import format_code, verification_url

SIMPLIFIED_FONT = "STSong-Light"
TRADITIONAL_FONT = "MSung-Light"
LATIN_FONT = "Helvetica"
LATIN_BOLD_FONT = "Helvetica-Bold"
PAGE_SIZE = A4
MARGIN = 18 * mm
HEADER_HEIGHT = 30 * mm
FOOTER_HEIGHT = 52 * mm
QR_SIZE = 42 * mm
QR_ERROR_LEVEL = "m"
QR_MASK = 2
_DARK_RUN = re.compile(b"\x01+")  # segno's final matrix holds 0 (light) and 1 (dark)
# Version 25 (117 modules) is about the densest a phone reads from 42 mm of paper.
MAX_QR_VERSION = 25
ISSUER_LINE = _("Tongban platform — this design is the platform's own; it is not a government seal")

_fonts_lock = threading.Lock()
_fonts_registered = False


def register_fonts() -> None:
    """Register the CID fonts once per process (cheap to call again)."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if _fonts_registered:
            return
        # reportlab writes MSung-Light with a CMap poppler cannot map: its text vanishes.
        _cidfontdata.defaultUnicodeEncodings[TRADITIONAL_FONT] = ("cht", "UniCNS-UCS2-H")
        # Binary (Flate) streams instead of ASCII85 text: reportlab's ASCII85 encoder is pure
        # Python and took a quarter of the time of rendering a one-page document.
        rl_config.useA85 = 0
        pdfmetrics.registerFont(UnicodeCIDFont(SIMPLIFIED_FONT))
        pdfmetrics.registerFont(UnicodeCIDFont(TRADITIONAL_FONT))
        _fonts_registered = True


def cjk_font_for(language: str) -> str:
    return (
        TRADITIONAL_FONT
        if language.lower() in {"zh-hant", "zh-hk", "zh-mo", "zh-tw"}
        else (SIMPLIFIED_FONT)
    )


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
    """Paragraph markup for ``text`` (escaped): CJK runs in the CJK font, the rest in Latin."""
    cjk_font = cjk_font_for(language)
    runs: list[str] = []
    current, current_is_cjk = "", False
    for char in str(text):
        char_is_cjk = is_cjk(char)
        if current and char_is_cjk != current_is_cjk:
            runs.append(_run(current, current_is_cjk, cjk_font))
            current = ""
        current += char
        current_is_cjk = char_is_cjk
    if current:
        runs.append(_run(current, current_is_cjk, cjk_font))
    return "".join(runs).replace("\n", "<br/>")


def _run(text: str, cjk: bool, cjk_font: str) -> str:
    escaped = escape(text)
    return f'<font name="{cjk_font}">{escaped}</font>' if cjk else escaped


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


# --- The QR code ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=32)
def _encode_qr(data: str) -> segno.QRCode:
    # Encoding costs more than laying out a page, and every page of a document carries the
    # same QR code, so it is encoded once. The mask is fixed: segno's pure-Python search of
    # all eight masks took 4x as long as encoding with one (about 160 ms against 40 ms per
    # token on this project's busy 2-core machines), and a decoder reads the mask from the
    # code itself. Mask 2 is the one segno picks most often for our tokens; the tests decode
    # printed codes with zbar.
    return segno.make(data, error=QR_ERROR_LEVEL, micro=False, boost_error=False, mask=QR_MASK)


def make_qr(data: str) -> segno.QRCode:
    qr = _encode_qr(data)
    if qr.version > MAX_QR_VERSION:
        raise ValueError(
            f"QR code version {qr.version} for {len(data)} characters is too dense to scan "
            f"from {QR_SIZE / mm:.0f} mm; keep the token smaller"
        )
    return qr


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> segno.QRCode:
    """Draw ``data`` as a QR code in the square at (x, y) of side ``size``, quiet zone included."""
    qr = make_qr(data)
    # Drawn once per PDF as a form XObject that every page reuses: a QR code is thousands
    # of rectangles, and a long certificate would otherwise repeat them on each page.
    name = "tongban-qr-" + hashlib.sha256(f"{data}|{size}".encode()).hexdigest()[:16]
    drawn = canvas.__dict__.setdefault("_tongban_qr_forms", set())
    if name not in drawn:
        canvas.beginForm(name, lowerx=0, lowery=0, upperx=size, uppery=size)
        _draw_qr_modules(canvas, qr, 0, 0, size)
        canvas.endForm()
        drawn.add(name)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(name)
    canvas.restoreState()
    return qr


def _draw_qr_modules(canvas: Canvas, qr: segno.QRCode, x: float, y: float, size: float) -> None:
    border = 4
    matrix = qr.matrix
    module = size / (len(matrix) + 2 * border)
    runs = [
        f"{run.start()} {row_index} {run.end() - run.start()} 1 re"
        for row_index, row in enumerate(matrix)
        for run in _DARK_RUN.finditer(bytes(row))
    ]
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    # One path in module units, rows running down: each dark run is a short integer "re"
    # operator instead of four formatted floats, and filling the union in one operation
    # leaves no hairline seams between neighbouring modules.
    canvas.translate(x + border * module, y + size - border * module)
    canvas.scale(module, -module)
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()


# --- The page frame ------------------------------------------------------------------------------


def in_languages(message: str | Promise, languages: Sequence[str]) -> str:
    """``message`` in each language, joined by " / " (a translation met twice is shown once)."""
    seen: list[str] = []
    for language in languages:
        with translation.override(language):
            text = str(message)
        if text not in seen:
            seen.append(text)
    return " / ".join(seen)


def format_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    offset = local.utcoffset() or dt.timedelta()
    hours = int(offset.total_seconds() // 3600)
    return f"{local:%Y-%m-%d %H:%M} (UTC{hours:+d})"


@dataclass
class DocumentFrame:
    """What every page of a document shows around its body."""

    title: str
    number: str
    verification_code: str
    token: str
    issued_at: dt.datetime
    valid_until: dt.datetime | None = None
    subtitle: str = ""
    languages: Sequence[str] = ("zh-hans",)
    issuer: str = ""
    extra_footer_lines: list[str] = field(default_factory=list)

    @property
    def language(self) -> str:
        return self.languages[0]

    def qr_data(self) -> str:
        return verification_url(token=self.token)

    def draw(self, canvas: Canvas, document: BaseDocTemplate) -> None:
        width, height = PAGE_SIZE
        body_width = width - 2 * MARGIN
        top = height - MARGIN
        for text, style in (
            (self.title, STYLES.title),
            (self.subtitle, STYLES.subtitle),
            (self.issuer, STYLES.small),
            (in_languages(ISSUER_LINE, self.languages), STYLES.small),
        ):
            if not text:
                continue
            centred = ParagraphStyle(f"{style.name}-c", parent=style, alignment=TA_CENTER)
            block = paragraph(text, centred, language=self.language)
            _w, block_height = block.wrap(body_width, HEADER_HEIGHT)
            top -= block_height
            block.drawOn(canvas, MARGIN, top)
            top -= 1.5 * mm
        canvas.setStrokeColor(colors.Color(0.55, 0.55, 0.55))
        canvas.line(
            MARGIN, height - MARGIN - HEADER_HEIGHT, width - MARGIN, height - MARGIN - HEADER_HEIGHT
        )
        canvas.line(MARGIN, MARGIN + FOOTER_HEIGHT, width - MARGIN, MARGIN + FOOTER_HEIGHT)
        draw_qr(canvas, self.qr_data(), MARGIN, MARGIN + 2 * mm, QR_SIZE)
        self._draw_footer_text(canvas, document, body_width)

    def _draw_footer_text(self, canvas: Canvas, document: BaseDocTemplate, body_width: float):
        label = lambda message: in_languages(message, self.languages)  # noqa: E731
        lines = [
            f"{label(_('Number'))}: {self.number}",
            f"{label(_('Verification code'))}: {format_code(self.verification_code)}",
            f"{label(_('Verify at'))}: {verification_url()}",
            f"{label(_('Issued'))}: {format_time(self.issued_at)}",
            f"{label(_('Valid until'))}: "
            + (format_time(self.valid_until) if self.valid_until else label(_("no end date"))),
            *self.extra_footer_lines,
            label(
                _(
                    "Scan the QR code, or open the address above and type the verification "
                    "code, to check that this document is genuine and still valid."
                )
            ),
            f"{label(_('Page'))} {document.page}",
        ]
        left = MARGIN + QR_SIZE + 5 * mm
        text_width = body_width - QR_SIZE - 5 * mm
        top = MARGIN + FOOTER_HEIGHT - 3 * mm
        for line in lines:
            block = paragraph(line, STYLES.small, language=self.language)
            _w, block_height = block.wrap(text_width, FOOTER_HEIGHT)
            top -= block_height
            block.drawOn(canvas, left, top)


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
    document.build(list(story))
    return buffer.getvalue()
