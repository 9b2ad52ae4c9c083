"""The QR code on every page of a document: the verification address with the signed token,
encoded once per token and drawn once per PDF as a form every page reuses."""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass

import zxingcpp
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

QR_SIZE = 42 * mm
QR_ERROR_LEVEL = "M"
_DARK_RUN = re.compile(b"\x00+")  # zxing's symbol image: 0 is a dark module, 255 a light one
# Version 25 (117 modules) is about the densest a phone reads from 42 mm of paper.
MAX_QR_VERSION = 25


@dataclass(frozen=True)
class QRSymbol:
    version: int
    matrix: tuple[bytes, ...]  # one row of modules per item, 0 = dark


@functools.lru_cache(maxsize=32)
def _encode_qr(data: str) -> QRSymbol:
    # Encoding costs more than laying out a page, and every page of a document carries the
    # same QR code, so it is encoded once. zxing-cpp (C++) encodes a certificate's token in
    # about 6 ms with the best of the eight masks; segno, pure Python, took 25 ms with one
    # fixed mask (and 4x that searching all eight) on this project's busy 2-core machines.
    try:
        code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level=QR_ERROR_LEVEL)
    except (ValueError, RuntimeError) as error:
        raise ValueError(f"{len(data)} characters do not fit a QR code: {error}") from error
    image = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    size = image.shape[0]
    pixels = image.tobytes()
    rows = tuple(pixels[row * size : (row + 1) * size] for row in range(size))
    return QRSymbol(version=(size - 17) // 4, matrix=rows)


def make_qr(data: str) -> QRSymbol:
    qr = _encode_qr(data)
    if qr.version > MAX_QR_VERSION:
        raise ValueError(
            f"QR code version {qr.version} for {len(data)} characters is too dense to scan "
            f"from {QR_SIZE / mm:.0f} mm; keep the token smaller"
        )
    return qr


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> QRSymbol:
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
        for run in _DARK_RUN.finditer(row)
    ]
    return "\n".join(runs) + "\nf"
