"""Catalog search: an in-memory inverted index over folded item names.

Why in memory: the catalog is small (hundreds, at most tens of thousands of items) and read
far more often than written. Each process keeps one index, rebuilt when the catalog revision
counter moves. Postings are compact arrays, so 50,000 items cost tens of MB, not hundreds.

Tokens:
- Chinese: every character bigram (and single characters for one-character queries), so
  partial and reordered words match ("社保证明" ~ "个人参保证明"); traditional input is
  folded to simplified first.
- Latin: words and their prefixes (3+ letters), accent-free, so "certidao" and "certif" work.
- Pinyin initials of the Chinese name as letter bigrams ("cbzm" finds 参保证明).
A query's score is the share of its tokens an item has, weighted by field; synonyms
("社保" → "参保", "社会保险") are tried as alternative queries and the best score counts.
"""

from __future__ import annotations

import difflib
import heapq
import re
import threading
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from pypinyin.pinyin_dict import pinyin_dict

from tongban.core.text import fold, strip_accents

NAME_WEIGHT = 3
SUB_ITEM_WEIGHT = 2
CONTEXT_WEIGHT = 1  # department and topic names
MIN_COVERAGE = 0.5
IDIOM_BONUS = 0.3
SUGGEST_CUTOFF = 0.75
MAX_RESULTS = 200
COMMON_POSTINGS = 2000  # a token in more items than this is looked up per candidate, not scanned
LATIN_WORD = re.compile(r"[a-z0-9]+")
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ebef]+")
STOP_WORDS = {
    "of",
    "the",
    "a",
    "an",
    "and",
    "for",
    "to",
    "in",
    "on",
    "de",
    "da",
    "do",
    "das",
    "dos",
    "e",
    "o",
    "em",
    "para",
    "por",
}


def _cjk_runs(text: str) -> list[str]:
    return CJK_RUN.findall(text)


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=32768)
def _initial(ch: str) -> str:
    # The first letter of the character's most common reading; phrase-aware pypinyin is
    # ten times slower and initials are only a bonus.
    readings = pinyin_dict.get(ord(ch))
    return strip_accents(readings[0]) if readings else ""


def document_tokens(text: str) -> set[str]:
    """Tokens an indexed text offers (already folded)."""
    tokens: set[str] = set()
    for run in set(_cjk_runs(text)):
        tokens.update(_bigrams(run))
        tokens.update(run)  # single characters, for one-character queries
        initials = "".join(_initial(ch) for ch in run)
        tokens.update("py:" + gram for gram in _bigrams(initials))
    for word in LATIN_WORD.findall(text):
        tokens.add(word)
        tokens.update(word[:n] for n in range(3, len(word)))
    return tokens


def query_tokens(folded_query: str) -> list[str]:
    """Tokens a query asks for; each must be found for full coverage."""
    tokens: list[str] = []
    for run in _cjk_runs(folded_query):
        tokens.extend(_bigrams(run) if len(run) > 1 else [run])
    for word in LATIN_WORD.findall(folded_query):
        if word in STOP_WORDS:
            continue
        if word.isalpha() and len(word) >= 3 and word.isascii() and not _looks_like_language(word):
            # Probably pinyin initials ("grcbzm"): match letter bigrams of initials.
            tokens.extend("py:" + gram for gram in _bigrams(word))
        else:
            tokens.append(word)
    return list(dict.fromkeys(tokens))


def _looks_like_language(word: str) -> bool:
    # Pinyin initials have (almost) no vowels; English and Portuguese words do.
    return any(v in word for v in "aeiou")


def query_variants(folded_query: str, synonyms: dict[str, tuple[str, ...]]) -> list[str]:
    """The query and its synonym rewrites, the original first."""
    variants = [folded_query]
    for term, alternatives in synonyms.items():
        if term in folded_query:
            for alternative in alternatives:
                variants.extend(v.replace(term, alternative) for v in list(variants) if term in v)
    return list(dict.fromkeys(variants))[:8]


@dataclass
class IndexedItem:
    id: int
    name: str  # folded simplified name, for phrase bonus
    high_frequency: bool
    department_id: int
    scope: str
    for_persons: bool
    for_companies: bool
    topics: frozenset[str]


@dataclass
class SearchIndex:
    revision: int
    items: list[IndexedItem] = field(default_factory=list)
    postings: dict[str, tuple[array, array]] = field(default_factory=dict)
    synonyms: dict[str, tuple[str, ...]] = field(default_factory=dict)
    words: frozenset[str] = frozenset()  # whole Latin words, for "did you mean"
    _common_weights: dict[str, dict[int, int]] = field(default_factory=dict, repr=False)

    @classmethod
    def build(
        cls, revision: int, rows: Iterable[dict], synonyms: dict[str, tuple[str, ...]] | None = None
    ) -> SearchIndex:
        """Build from rows with keys id, name_zh_hans, search_document, sub_item, context, …;
        ``synonyms`` maps folded words people type to the catalog's folded words."""
        index = cls(revision=revision, synonyms=dict(synonyms or {}))
        collected: dict[str, dict[int, int]] = {}
        folded_context: dict[str, set[str]] = {}  # few distinct department/topic texts
        words: set[str] = set()
        for position, row in enumerate(rows):
            words.update(w for w in LATIN_WORD.findall(row["search_document"]) if w.isalpha())
            context = row.get("context") or ""
            if context not in folded_context:
                folded_context[context] = document_tokens(fold(context))
            index.items.append(
                IndexedItem(
                    id=row["id"],
                    name=row["name_zh_hans"].casefold(),
                    high_frequency=row["high_frequency"],
                    department_id=row["department_id"],
                    scope=row["scope"],
                    for_persons=row["for_persons"],
                    for_companies=row["for_companies"],
                    topics=frozenset(row.get("topics", ())),
                )
            )
            sub_item = row.get("sub_item") or ""
            weighted = (
                (document_tokens(row["search_document"]), NAME_WEIGHT),
                (document_tokens(fold(sub_item)) if sub_item else set(), SUB_ITEM_WEIGHT),
                (folded_context[context], CONTEXT_WEIGHT),
            )
            for tokens, weight in weighted:
                for token in tokens:
                    postings = collected.setdefault(token, {})
                    if postings.get(position, 0) < weight:
                        postings[position] = weight
        index.postings = {
            token: (array("I", postings.keys()), array("B", postings.values()))
            for token, postings in collected.items()
        }
        index.words = frozenset(words)
        return index

    def suggest(self, query: str) -> str | None:
        """A corrected query that finds something ("did you mean"), for a query that found
        nothing: each unknown Latin word replaced by the closest word of the catalog."""
        folded = fold(query).strip()
        changed, corrected = False, []
        for word in folded.split():
            if word.isascii() and word.isalpha() and len(word) > 3 and word not in self.postings:
                close = difflib.get_close_matches(word, self.words, n=1, cutoff=SUGGEST_CUTOFF)
                if close:
                    word, changed = close[0], True
            corrected.append(word)
        suggestion = " ".join(corrected)
        if changed and self.search(suggestion):
            return suggestion
        return None

    def search(self, query: str, *, filters: dict | None = None) -> list[int]:
        """Item ids, best first, at most MAX_RESULTS."""
        folded = fold(query).strip()
        if not folded:
            return []
        best: dict[int, float] = {}
        # A query that is wholly a known idiom ("registo comercial", 查冊) means what the
        # dictionary says more than what its words say one by one.
        idiom = folded in self.synonyms
        for variant in query_variants(folded, self.synonyms):
            bonus = IDIOM_BONUS if idiom and variant != folded else 0.0
            for position, score in self._score(variant).items():
                score += bonus
                if score > best.get(position, 0.0):
                    best[position] = score
        allowed = self._filter(filters or {})
        # The best MAX_RESULTS without sorting every match: a common word can match thousands.
        ranked = heapq.nsmallest(
            MAX_RESULTS,
            (p for p in best if allowed is None or allowed(self.items[p])),
            key=lambda p: (
                -best[p],
                not self.items[p].high_frequency,
                len(self.items[p].name),
                self.items[p].id,
            ),
        )
        return [self.items[p].id for p in ranked]

    def _score(self, folded_query: str) -> dict[int, float]:
        tokens = query_tokens(folded_query)
        if not tokens:
            return {}
        full = len(tokens) * NAME_WEIGHT
        known = [t for t in tokens if t in self.postings]
        common = [t for t in known if len(self.postings[t][0]) > COMMON_POSTINGS]
        rare = [t for t in known if t not in common]
        if len(common) * NAME_WEIGHT >= MIN_COVERAGE * full or not rare:
            rare, common = known, []  # common tokens alone could qualify an item: scan them all
        totals: dict[int, int] = {}
        for token in rare:
            positions, weights = self.postings[token]
            for position, weight in zip(positions, weights, strict=True):
                totals[position] = totals.get(position, 0) + weight
        # An item needs a rare token to qualify, so common ones only add to its candidates.
        for token in common:
            weight_of = self._weights_by_position(token)
            for position in totals:
                totals[position] += weight_of.get(position, 0)
        # Pinyin initials are short and collide often: demand all of them.
        threshold = 1.0 if all(t.startswith("py:") for t in tokens) else MIN_COVERAGE
        phrase = folded_query.replace(" ", "")
        scores: dict[int, float] = {}
        for position, total in totals.items():
            coverage = total / full
            if coverage < threshold:
                continue
            name = self.items[position].name
            if phrase and phrase in name:
                coverage += 0.5 + (0.2 if name.startswith(phrase) else 0.0)
            scores[position] = coverage
        return scores

    def _weights_by_position(self, token: str) -> dict[int, int]:
        cached = self._common_weights.get(token)
        if cached is None:
            positions, weights = self.postings[token]
            cached = self._common_weights[token] = dict(zip(positions, weights, strict=True))
        return cached

    @staticmethod
    def _filter(filters: dict):
        checks = []
        if department := filters.get("department_id"):
            checks.append(lambda item: item.department_id == department)
        if scope := filters.get("scope"):
            checks.append(lambda item: item.scope == scope)
        if topic := filters.get("topic"):
            checks.append(lambda item: topic in item.topics)
        if audience := filters.get("audience"):
            checks.append(
                lambda item: item.for_companies if audience == "company" else item.for_persons
            )
        if not checks:
            return None
        return lambda item: all(check(item) for check in checks)


_lock = threading.Lock()
_current: SearchIndex | None = None


def get_index(revision: int, load_rows, load_synonyms=dict) -> SearchIndex:
    """The process's index for ``revision``, rebuilt (once, under a lock) when it moved."""
    global _current
    index = _current
    if index is not None and index.revision == revision:
        return index
    with _lock:
        if _current is None or _current.revision != revision:
            _current = SearchIndex.build(revision, load_rows(), load_synonyms())
        return _current


def reset() -> None:
    global _current
    with _lock:
        _current = None
