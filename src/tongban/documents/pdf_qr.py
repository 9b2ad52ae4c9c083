"""The QR code on every page of a document: the verification address with the signed token,
encoded once per token and drawn once per PDF as a form every page reuses."""

from __future__ import annotations

import functools
import hashlib
import re

import segno
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

QR_SIZE = 42 * mm
QR_ERROR_LEVEL = "m"
QR_MASK = 2
_DARK_RUN = re.compile(b"\x01+")  # segno's final matrix holds 0 (light) and 1 (dark)
# Version 25 (117 modules) is about the densest a phone reads from 42 mm of paper.
MAX_QR_VERSION = 25


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
        _draw_qr_modules(canvas, data, 0, 0, size)
        canvas.endForm()
        drawn.add(name)
    canvas.saveState()
    canvas.translate(x, y)
    canvas.doForm(name)
    canvas.restoreState()
    return qr


def _draw_qr_modules(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    border = 4
    module = size / (len(make_qr(data).matrix) + 2 * border)
    canvas.saveState()
    canvas.setFillColor(colors.white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    canvas.setFillColor(colors.black)
    # One path in module units, rows running down: each dark run is a short integer "re"
    # operator instead of four formatted floats, and filling the union in one operation
    # leaves no hairline seams between neighbouring modules.
    canvas.translate(x + border * module, y + size - border * module)
    canvas.scale(module, -module)
    canvas.addLiteral(_module_path(data))
    canvas.restoreState()


@functools.lru_cache(maxsize=32)
def _module_path(data: str) -> str:
    # A re-rendered document (a retried issue, the benchmark) reuses the same code's path.
    runs = [
        f"{run.start()} {row_index} {run.end() - run.start()} 1 re"
        for row_index, row in enumerate(make_qr(data).matrix)
        for run in _DARK_RUN.finditer(bytes(row))
    ]
    return "\n".join(runs) + "\nf"
