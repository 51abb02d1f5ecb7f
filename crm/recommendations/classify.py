"""Classifying a recommendation from its wording: UPR Info's action category and the SMART signals.

The **action category** follows UPR Info's five-level scale (1 minimal, 2 continuing, 3 considering,
4 general, 5 specific action), read from the main verb by ``actions.action_category`` with the verbs of
``data/action_verbs.csv``. A wording whose verb is in none of the lists gets no category (shown as "—")
until a person sets it; a person's choice is never overwritten by a later import, and a category the
file itself gives (UPR Info's ``Action`` column) is stored as given.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import lazy_pgettext

from crm.recommendations.actions import action_category
from crm.recommendations.words import letter_runs

_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


class _Signal:
    """A wording pattern, the substrings of which every match contains at least one, and the words (letter
    runs) of which every match not found by a substring holds one.

    Every imported row is tested, and most wordings contain none of the substrings: ``in`` tests on
    them cost a fraction of a regular-expression scan, which then runs only where it can match. Where a
    match always ends or starts a word of a few spellings (``years?\\b`` preceded by a space), one set
    lookup per word of the wording, which an import has split already, replaces a test per substring.
    The test suite checks that each signal answers exactly as its bare pattern does.
    """

    def __init__(self, pattern: str, needles: tuple[str, ...], words: frozenset[str] = frozenset()) -> None:
        self.pattern = re.compile(pattern)
        self.needles = needles
        self.words = words

    def found_in(self, lowered: str, runs: list[str] | None = None) -> bool:
        """``runs`` are ``letter_runs(lowered)``, when the caller has them."""
        if self.words:
            runs = letter_runs(lowered) if runs is None else runs
            if not self.words.isdisjoint(runs):
                return self.pattern.search(lowered) is not None
        for needle in self.needles:
            if needle in lowered:
                return self.pattern.search(lowered) is not None
        return False


TIME_BOUND = _Signal(
    r"\b(?:by|before|until|no later than|within|in|from|during)\s+(?:the\s+)?(?:end\s+of\s+)?"
    r"(?:(?:19|20)\d{2}\b|(?:one|two|three|four|five|six|twelve|eighteen|\d+)\s+(?:years?|months?)\b"
    r"|(?:the\s+)?(?:next|fourth|fifth|following)\s+(?:upr|review|cycle|universal periodic review)\b"
    r"|(?:its|the)\s+next\s+(?:review|cycle|upr)\b|(?:the\s+)?mid-term\b)"
    r"|\b(?:timeline|timetable|time-bound|time frame|timeframe|deadline)s?\b",
    # A year holds one of these; every other match holds one of the words below, whole: each is preceded
    # by a space or ``\b`` and followed by ``\b``, a space or a hyphen ("mid-term", "time-bound").
    ("19", "20"),
    frozenset(
        {
            *("year", "years", "month", "months", "upr", "review", "cycle", "mid", "time"),
            *("timeline", "timelines", "timetable", "timetables", "timeframe", "timeframes"),
            *("deadline", "deadlines"),
        }
    ),
)
MEASURABLE = _Signal(
    r"\b(?:\d+(?:\.\d+)?\s*(?:%|per cent|percent)|indicators?|benchmarks?|targets?|statistics|data\b"
    r"|disaggregated|number of|figures|measurable|baseline"
    r"|publish(?:es|ing)? (?:the )?(?:number|annual|data))",
    (
        "%",
        "per cent",
        "percent",
        "indicator",
        "benchmark",
        "target",
        "statistics",
        "data",
        "disaggregated",
        "number of",
        "figures",
        "measurable",
        "baseline",
        "publish",
    ),
)
SPECIFIC_WORDS = _Signal(
    r"\b(?:ratif\w*|accede|accession|repeal\w*|abolish\w*|amend\w*|release\w*|decriminali[sz]\w*|"
    r"criminali[sz]\w*|standing invitation"
    r"|adopt(?:ing)? (?:a |an |the )?(?:comprehensive )?(?:law|legislation|bill))\b",
    ("ratif", "acce", "repeal", "abolish", "amend", "release", "criminali", "standing invitation", "adopt"),
)


class Classification(NamedTuple):
    """What the wording says about a recommendation (a tuple: one is built for every imported row)."""

    action_category: int | None
    is_time_bound: bool
    is_specific_action: bool
    is_measurable: bool
    is_continue_form: bool


def classify(text: str, lowered: str | None = None, runs: list[str] | None = None) -> Classification:
    """``lowered`` is ``text.casefold()`` and ``runs`` its ``letter_runs``, when the caller has them already
    (an import shares them with the words it links by)."""
    return Classification(*classified(text, lowered, runs))


def classified(
    text: str, lowered: str | None = None, runs: list[str] | None = None
) -> tuple[int | None, bool, bool, bool, bool]:
    """``classify``'s answer as a plain tuple, for an import's every row: a NamedTuple is made by Python
    code even where this module is compiled."""
    lowered = text.casefold() if lowered is None else lowered
    category = action_category(text, lowered, runs)
    return (
        category,
        TIME_BOUND.found_in(lowered, runs),
        category == 5 or SPECIFIC_WORDS.found_in(lowered),
        MEASURABLE.found_in(lowered),
        category == 2,
    )


CATEGORY_NAMES = {
    1: "Minimal action",
    2: "Continuing action",
    3: "Considering action",
    4: "General action",
    5: "Specific action",
}
# The names as the interface shows them; CATEGORY_NAMES stay the English ones files and exports carry.
CATEGORY_LABELS = {
    1: lazy_pgettext("action category", "Minimal action"),
    2: lazy_pgettext("action category", "Continuing action"),
    3: lazy_pgettext("action category", "Considering action"),
    4: lazy_pgettext("action category", "General action"),
    5: lazy_pgettext("action category", "Specific action"),
}


def parse_category(value: str) -> int | None:
    """A category written by a database ("5", "Specific action", "5 - Specific action"); None when blank."""
    value = value.strip().casefold()
    if not value:
        return None
    digit = re.match(r"^\s*([1-5])\b", value)
    if digit:
        return int(digit[1])
    for number, name in CATEGORY_NAMES.items():
        if name.casefold() in value:
            return number
    raise ValueError(
        _(
            "action category %(value)s is not 1-5 or one of %(names)s",
            value=repr(value),
            names=", ".join(CATEGORY_NAMES.values()),
        )
    )
