"""The frame on every page of a document, drawn straight on the canvas: the title, the issuer
lines, and a footer with the number, verification code and address, issue time, validity,
page number and the QR code carrying the signed token."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from .codes import format_code, verification_url
from .pdf_fonts import pdf_text, text_width, wrap
from .pdf_qr import QR_SIZE, draw_qr

PAGE_SIZE = A4
MARGIN = 18 * mm
HEADER_HEIGHT = 30 * mm
FOOTER_HEIGHT = 47 * mm  # the 42 mm QR code and its margins
BODY_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
RULE = colors.Color(0.55, 0.55, 0.55)
ISSUER_LINE = _("Tongban platform — this design is the platform's own; it is not a government seal")
FOOTER_SIZE = 8
FOOTER_LEADING = FOOTER_SIZE * 1.25
BOLD_STROKE = 0.35  # fill and stroke the outline: a bold look from the one embedded face


def in_languages(message: str | Promise, languages: Sequence[str]) -> str:
    """``message`` in each language, joined by " / " (a translation met twice is shown once)."""
    seen: list[str] = []
    for language in languages:
        with translation.override(language):
            text = str(message)
        if text not in seen:
            seen.append(text)
    return " / ".join(seen)


@functools.lru_cache(maxsize=64)
def _frame_labels(languages: tuple[str, ...]) -> dict[str, str]:
    # Switching languages costs more than drawing a line; the labels never change.
    messages = {
        "number": _("Number"),
        "code": _("Verification code"),
        "verify_at": _("Verify at"),
        "issued": _("Issued"),
        "valid_until": _("Valid until"),
        "no_end": _("no end date"),
        "page": _("Page"),
        "issuer_line": ISSUER_LINE,
        "scan": _(
            "Scan the QR code, or open the address above and type the verification "
            "code, to check that this document is genuine and still valid."
        ),
    }
    return {key: in_languages(message, languages) for key, message in messages.items()}


def format_time(moment: dt.datetime | None) -> str:
    if moment is None:
        return "—"
    local = timezone.localtime(moment)
    offset = local.utcoffset() or dt.timedelta()
    hours = int(offset.total_seconds() // 3600)
    return f"{local:%Y-%m-%d %H:%M} (UTC{hours:+d})"


def draw_lines(canvas: Canvas, lines, x, top, size, *, leading=None, centre=None, bold=False):
    """Draw ``lines`` downwards from ``top`` in black; returns the y under the last line.

    The operators are written directly (``pdf_fonts.pdf_text``): reportlab's own text calls
    format every number in pure Python."""
    leading = leading or size * 1.35
    operators = ["q 0 g"]
    if bold:
        operators.append(f"0 G {BOLD_STROKE * size / 10:.2f} w")
    mode = "2 Tr " if bold else ""
    for line in lines:
        top -= leading
        if not line:
            continue
        baseline = top + (leading - size) / 2 + size * 0.18
        left = x if centre is None else centre - text_width(line, size) / 2
        operators.append(
            f"BT {mode}1 0 0 1 {left:.2f} {baseline:.2f} Tm {pdf_text(canvas._doc, line, size)} ET"
        )
    operators.append("Q")
    canvas.addLiteral("\n".join(operators))
    return top


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

    def draw(self, canvas: Canvas, document) -> None:
        """platypus' ``onPage`` hook."""
        self.draw_page(canvas, document.page)

    def draw_page(self, canvas: Canvas, page: int) -> None:
        width, height = PAGE_SIZE
        labels = _frame_labels(tuple(self.languages))
        top = height - MARGIN
        centre = width / 2
        for text, size, bold in (
            (self.title, 17, True),
            (self.subtitle, 11.5, False),
            (self.issuer, FOOTER_SIZE, False),
            (labels["issuer_line"], FOOTER_SIZE, False),
        ):
            if text:
                lines = wrap(text, size, BODY_WIDTH)
                top = draw_lines(canvas, lines, 0, top, size, centre=centre, bold=bold)
                top -= 1.5 * mm
        canvas.setStrokeColor(RULE)
        rule_top = height - MARGIN - HEADER_HEIGHT
        canvas.line(MARGIN, rule_top, width - MARGIN, rule_top)
        canvas.line(MARGIN, MARGIN + FOOTER_HEIGHT, width - MARGIN, MARGIN + FOOTER_HEIGHT)
        draw_qr(canvas, self.qr_data(), MARGIN, MARGIN + 2 * mm, QR_SIZE)
        self._draw_footer_text(canvas, page, labels)

    def _footer_lines(self, page: int, labels: dict[str, str]) -> list[str]:
        return [
            f"{labels['number']}: {self.number}",
            f"{labels['code']}: {format_code(self.verification_code)}",
            f"{labels['verify_at']}: {verification_url()}",
            f"{labels['issued']}: {format_time(self.issued_at)}",
            f"{labels['valid_until']}: "
            + (format_time(self.valid_until) if self.valid_until else labels["no_end"]),
            *self.extra_footer_lines,
            labels["scan"],
            f"{labels['page']} {page}",
        ]

    def _draw_footer_text(self, canvas: Canvas, page: int, labels: dict[str, str]) -> None:
        left = MARGIN + QR_SIZE + 5 * mm
        text_width_available = BODY_WIDTH - QR_SIZE - 5 * mm
        top = MARGIN + FOOTER_HEIGHT - 2 * mm
        lines = [
            line
            for text in self._footer_lines(page, labels)
            for line in wrap(text, FOOTER_SIZE, text_width_available)
        ]
        draw_lines(canvas, lines, left, top, FOOTER_SIZE, leading=FOOTER_LEADING)
