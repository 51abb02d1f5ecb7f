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


# An import links each new review with the State's other cycles, and the next review of a multi-State
# file reads the same wordings again: each is worked out once.
@lru_cache(maxsize=200_000)
def signature(text: str) -> frozenset[str]:
    """The meaningful words of a recommendation, crudely stemmed, for comparing wordings across cycles."""
    words = set()
    for written in _WORD.findall(text.casefold()):
        if len(written) < 4 or written in _STOPWORDS:
            continue
        stem = written
        for suffix in ("ations", "ation", "ing", "ies", "es", "ed", "s"):
            if written.endswith(suffix) and len(written) - len(suffix) >= 4:
                stem = written[: -len(suffix)]
                break
        words.add(stem)
    return frozenset(words)
