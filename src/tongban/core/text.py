"""Folding text so that what people type matches what the catalog says.

Simplified and traditional (including Hong Kong forms such as 參保證明 or 公積金) fold to
simplified; Latin text folds to lower case without accents, so "certidao" finds "Certidão";
full-width letters and digits fold to ASCII.
"""

import unicodedata
from functools import lru_cache

import opencc


@lru_cache(maxsize=4)
def converter(config: str) -> opencc.OpenCC:
    # Building a converter costs ~100 ms; one per process per configuration.
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return converter("hk2s").convert(text)


def to_hong_kong_traditional(text: str) -> str:
    return converter("s2hk").convert(text)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def fold(text: str) -> str:
    """Simplified, NFKC-normalised, lower-case, accent-free text."""
    normalized = unicodedata.normalize("NFKC", text or "")
    return strip_accents(to_simplified(normalized)).casefold()


def is_cjk(ch: str) -> bool:
    code = ord(ch)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2EBEF
