"""The meaningful words of a wording, for finding the same request in different cycles and documents."""

from __future__ import annotations

import re
from functools import lru_cache

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


# The same words come back in wording after wording: each is stemmed once (the empty string: not a
# meaningful word).
@lru_cache(maxsize=100_000)
def _stem(written: str) -> str:
    if len(written) < 4 or written in _STOPWORDS:
        return ""
    if written.endswith(_SUFFIXES):
        for suffix in _SUFFIXES:
            if written.endswith(suffix) and len(written) - len(suffix) >= 4:
                return written[: -len(suffix)]
    return written


def signature(text: str) -> frozenset[str]:
    """The meaningful words of a recommendation, crudely stemmed, for comparing wordings across cycles."""
    # ``filter(None, ...)`` leaves out the words that are not meaningful (stemmed to "").
    return frozenset(filter(None, map(_stem, _WORD.findall(text.casefold()))))
