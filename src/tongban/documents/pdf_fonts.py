"""The one font every Tongban PDF is set in, embedded so every reader shows the same glyphs.

WenQuanYi Micro Hei ships inside the project (``documents/fonts``, Apache-2.0): a TrueType
(``glyf``) font, which reportlab embeds as subsets of the characters a document uses. It has
simplified and traditional Chinese and the Latin letters of English and Portuguese, so a
line never changes font in the middle (that is what squeezed "M 1*****78" between a CJK font
and Helvetica before) and a fresh machine with only Python renders the same PDF.

The font file is parsed once per process; the subsets a certificate needs are mostly the same
characters in the same order (labels come first), so their TrueType programs are cached.
"""

from __future__ import annotations

import functools
import re
import threading
import zlib
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "TongbanSans"
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "wqy-microhei.ttc"
SUBSET_CACHE_SIZE = 256

_lock = threading.Lock()
_font: TTFont | None = None

# CJK ideographs, radicals, kana, full-width forms: text may break between any two of them.
CJK_CHAR = "\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
_TOKENS = re.compile(rf"[{CJK_CHAR}]|[^\s{CJK_CHAR}]+\s*|\s+")


def register_fonts() -> TTFont:
    """Load and register the embedded font once per process (cheap to call again)."""
    global _font
    if _font is not None:
        return _font
    with _lock:
        if _font is None:
            # Binary (Flate) streams instead of ASCII85 text: reportlab's ASCII85 encoder is
            # pure Python and took a quarter of the time of rendering a one-page document.
            rl_config.useA85 = 0
            font = TTFont(FONT, str(FONT_FILE), subfontIndex=0)
            # Building a subset's TrueType program is pure Python; the same characters in the
            # same order give the same program, and certificates repeat their labels.
            font.face.makeSubset = _subset_maker(font.face.makeSubset)
            font.face.addSubsetObjects = _cached_compression(font.face)
            pdfmetrics.registerFont(font)
            pdfmetrics.registerFontFamily(
                FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT
            )
            _font = font
    return _font


class CachedFlate:
    """Flate compression that remembers its last outputs: a subset's font program, or the
    ICC profile, is the same bytes in many documents, and compressing it costs milliseconds."""

    pdfname = "FlateDecode"

    @functools.lru_cache(maxsize=SUBSET_CACHE_SIZE)  # noqa: B019 - one shared instance
    def encode(self, content: bytes) -> bytes:
        return zlib.compress(content)


CACHED_FLATE = CachedFlate()


def _cached_compression(face):
    add_subset_objects = face.addSubsetObjects

    def add_with_cached_compression(doc, font_name, subset):
        descriptor = add_subset_objects(doc, font_name, subset)
        # reportlab names the font program's stream this way (ttfonts.addSubsetObjects).
        stream = doc.idToObject.get(f"fontFile:{face.filename}({font_name})")
        if stream is not None and stream.filters:
            stream.filters = [CACHED_FLATE]
        return descriptor

    return add_with_cached_compression


def pdf_text(doc, text: str, size: float) -> str:
    """Text-showing operators for ``text`` in the embedded font (inside BT … ET): one ``Tf``
    and one hex-string ``Tj`` per font subset the characters fall into. Writing them directly
    skips reportlab's pure-Python number formatting, the larger part of drawing a table."""
    # Once a character has its code in this document it keeps it, so the operators of a text
    # met again (an employer, a place, an amount) are reused from this document's own memo.
    memo = doc.__dict__.setdefault("_tongban_text_operators", {})
    key = (text, size)
    operators = memo.get(key)
    if operators is None:
        font = _font or register_fonts()
        operators = memo[key] = " ".join(
            f"{font.getSubsetInternalName(subset, doc)} {size:g} Tf <{chunk.hex()}> Tj"
            for subset, chunk in font.splitString(text, doc)
        )
    return operators


def _subset_maker(make):
    def make_subset(subset: tuple[int, ...]) -> bytes:
        return make(list(subset))

    def cached_call(subset) -> bytes:
        return cached(tuple(subset))

    cached = functools.lru_cache(maxsize=SUBSET_CACHE_SIZE)(make_subset)
    cached_call.cache_info = cached.cache_info
    return cached_call


@functools.lru_cache(maxsize=16384)
def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)


@functools.lru_cache(maxsize=16384)
def wrap(text: str, size: float, width: float) -> tuple[str, ...]:
    """``text`` broken into lines no wider than ``width``: between words, or between any two
    CJK characters; a word longer than a line is cut. Explicit newlines are kept."""
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        if text_width(paragraph, size) <= width:
            lines.append(paragraph)
            continue
        line = ""
        for token in _TOKENS.findall(paragraph):
            candidate = line + token
            if text_width(candidate.rstrip(), size) <= width:
                line = candidate
                continue
            if line.strip():
                lines.append(line.rstrip())
            line = token.lstrip() if not line else token
            while text_width(line.rstrip(), size) > width and len(line) > 1:
                cut = _longest_prefix(line, size, width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line.rstrip())
    return tuple(lines)


def _longest_prefix(text: str, size: float, width: float) -> int:
    for end in range(len(text) - 1, 0, -1):
        if text_width(text[:end], size) <= width:
            return end
    return 1
