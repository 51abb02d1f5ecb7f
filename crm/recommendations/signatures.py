"""The meaningful words of a wording, for finding the same request in different cycles and documents."""

from __future__ import annotations

import re
from functools import lru_cache

from crm.recommendations.words import letter_runs

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")
_STOPWORDS = frozenset(
    [
        "the",
        "and",
        "for",
        "with",
        "that",
        "this",
        "those",
        "these",
        "their",
        "its",
        "into",
        "from",
        "such",
        "also",
        "other",
        "all",
        "any",
        "have",
        "been",
        "being",
        "are",
        "was",
        "were",
        "will",
        "would",
        "should",
        "could",
        "including",
        "include",
        "through",
        "which",
        "while",
        "where",
        "when",
        "including",
        "human",
        "rights",
        "state",
        "states",
        "country",
        "national",
        "government",
        "continue",
        "ensure",
        "take",
        "measures",
        "necessary",
        "further",
        "efforts",
        "effective",
        "effectively",
        "order",
        "well",
        "particular",
        "relevant",
        "concerned",
        "people",
        "persons",
        "china",
        "chinese",
        "upr",
        "recommended",
        "previously",
        "recommendation",
        "recommendations",
        "accordance",
        "line",
    ]
)


_SUFFIXES = ("ations", "ation", "ing", "ies", "es", "ed", "s")


def _stem(written: str) -> str:
    """The word with a plural or verb ending taken off; the empty string for one that is not meaningful."""
    if len(written) < 4 or written in _STOPWORDS:
        return ""
    if written.endswith(_SUFFIXES):
        for suffix in _SUFFIXES:
            if written.endswith(suffix) and len(written) - len(suffix) >= 4:
                return written[: -len(suffix)]
    return written


# Each word's stem, worked out the first time it is asked for: a linking pass asks for every word of tens
# of thousands of wordings, most of them many times. A plain dict, which a compiled build reads directly.
Stems = dict[str, str]

_SHARED_STEMS = lru_cache(maxsize=100_000)(_stem)


def signature(
    text: str, stems: Stems | None = None, lowered: str | None = None, runs: list[str] | None = None
) -> frozenset[str]:
    """The meaningful words of a recommendation, crudely stemmed, for comparing wordings across cycles.

    ``stems`` keeps the stems of one batch of work (its memory goes with it); without it a bounded cache
    shared by all callers is used. ``lowered`` is ``text.casefold()`` and ``runs`` its ``letter_runs``,
    when the caller has them already.
    """
    lowered = text.casefold() if lowered is None else lowered
    # Without an apostrophe, a word with one ("women's") cannot occur: the words are the letter runs.
    if runs is None or "'" in lowered:
        words = _WORD.findall(lowered) if "'" in lowered else letter_runs(lowered)
    else:
        words = runs
    if stems is None:
        return frozenset(filter(None, map(_SHARED_STEMS, words)))
    found = set()
    for written in words:
        stem = stems.get(written)
        if stem is None:
            stem = stems[written] = _stem(written)
        if stem:  # "" is a word that is not meaningful
            found.add(stem)
    return frozenset(found)
