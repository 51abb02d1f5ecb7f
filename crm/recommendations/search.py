"""Reading what a person types into the recommendation search: numbers, and names spelt several ways.

"28.83" finds the recommendation numbered 28.83; "Uyghur" finds "Uighurs" and "Xizang" finds "Tibet",
through the groups of spellings in ``data/search_synonyms.csv`` (their basis is in ``search_synonyms.md``).
Every term must match (AND); the spellings of one group are alternatives (OR).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import ColumnElement, or_

from crm.models import Recommendation

SYNONYMS_FILE = Path(__file__).resolve().parents[2] / "data" / "search_synonyms.csv"
MAX_TERMS = 6
RECOMMENDATION_NUMBER = re.compile(r"^\d{1,4}(\.\d{1,4})+$")


@dataclass(frozen=True)
class Term:
    """One thing the text must contain: any of ``spellings``, or (for "28.83") the number itself."""

    spellings: tuple[str, ...]
    number: str | None = None


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    with SYNONYMS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            tuple(v.strip() for v in row["variants"].split("|") if v.strip())
            for row in csv.DictReader(handle)
        )


def parse_query(text: str) -> list[Term]:
    """The terms of a search: known names first (they may hold spaces, "East Turkestan"), then words."""
    terms: list[Term] = []
    rest = text
    spellings = sorted(
        ((spelling, group) for group in synonym_groups() for spelling in group),
        key=lambda pair: -len(pair[0]),
    )
    for spelling, group in spellings:
        pattern = re.compile(rf"(?<!\w){re.escape(spelling)}\w*", re.IGNORECASE)
        if pattern.search(rest):
            rest = pattern.sub(" ", rest)
            if Term(group) not in terms:
                terms.append(Term(group))
    for word in rest.split():
        number = word.rstrip(".,;") if RECOMMENDATION_NUMBER.match(word.rstrip(".,;")) else None
        terms.append(Term((word,), number))
    return terms[:MAX_TERMS]


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def term_clause(term: Term) -> ColumnElement[bool]:
    matches: list[ColumnElement[bool]] = [
        Recommendation.text.ilike(_like(spelling), escape="\\") for spelling in term.spellings
    ]
    if term.number is not None:
        matches.append(Recommendation.number == term.number)
    return or_(*matches)
