"""Reading what a person types into the recommendation search: numbers, and names spelt several ways.

"28.83" finds the recommendation numbered 28.83; "Uyghur" finds "Uighurs" and "Xizang" finds "Tibet",
through the groups of spellings in ``data/search_synonyms.csv`` (their basis is in ``search_synonyms.md``).
A state named in any of the UN's six languages ("Suisse", "la République islamique d'Iran", "瑞士") finds
what that state recommended and the wordings that name it. Every term must match (AND); the spellings of
one group are alternatives (OR).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from sqlalchemy import ColumnElement, or_, select

from crm.models import Recommendation, RecommendingState
from crm.states import StateResolver

SYNONYMS_FILE = Path(__file__).resolve().parents[2] / "data" / "search_synonyms.csv"
MAX_TERMS = 6
# The longest UN name has eleven words ("the United Kingdom of Great Britain and Northern Ireland").
MAX_NAME_WORDS = 12
_EDGE_PUNCTUATION = '.,;:!?"«»“”()'
RECOMMENDATION_NUMBER = re.compile(r"^\d{1,4}(\.\d{1,4})+$")


@dataclass(frozen=True)
class Term:
    """One thing a recommendation must have: any of ``spellings`` in its text, or (for "28.83") the number
    itself, or (for a state's name) ``state`` among its recommending states."""

    spellings: tuple[str, ...]
    number: str | None = None
    state: str | None = None


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    with SYNONYMS_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            tuple(v.strip() for v in row["variants"].split("|") if v.strip())
            for row in csv.DictReader(handle)
        )


def parse_query(text: str, resolver: StateResolver | None = None) -> list[Term]:
    """The terms of a search: states' names first (with ``resolver``), then the other known names (they
    may hold spaces, "East Turkestan"), then words."""
    terms: list[Term] = []
    rest = text
    if resolver is not None:
        rest, terms = _state_terms(text, resolver)
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


def _state_terms(text: str, resolver: StateResolver) -> tuple[str, list[Term]]:
    """The states ``text`` names, longest names first, and the words left."""
    words = text.split()
    left: list[str] = []
    terms: list[Term] = []
    start = 0
    while start < len(words):
        for end in range(min(len(words), start + MAX_NAME_WORDS), start, -1):
            written = " ".join(words[start:end]).strip(_EDGE_PUNCTUATION)
            code = resolver.find_name(written) if written else None
            if code is not None:
                term = Term(tuple(dict.fromkeys((written, resolver.display_names[code]))), state=code)
                if term not in terms:
                    terms.append(term)
                start = end
                break
        else:
            left.append(words[start])
            start += 1
    return " ".join(left), terms


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def term_clause(term: Term) -> ColumnElement[bool]:
    matches: list[ColumnElement[bool]] = [
        Recommendation.text.ilike(_like(spelling), escape="\\") for spelling in term.spellings
    ]
    if term.number is not None:
        matches.append(Recommendation.number == term.number)
    if term.state is not None:
        matches.append(
            select(RecommendingState.recommendation_id)
            .where(
                RecommendingState.recommendation_id == Recommendation.id,
                RecommendingState.state_code == term.state,
            )
            .exists()
        )
    return or_(*matches)
