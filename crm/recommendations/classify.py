"""Classifying a recommendation from its wording: UPR Info's action category and the SMART signals.

**Action category** follows UPR Info's five-level scale, read from the leading verb (after words such as
"further", "urgently" or "take steps to" that do not change the action):

1. minimal action — addressed to others or asking for help: share, seek, request, call on, exchange;
2. continuing action — continue, maintain, persevere, pursue, sustain, keep;
3. considering action — consider, explore, review, reflect, study, examine, evaluate, envisage;
4. general action — take measures, ensure, promote, strengthen, guarantee, protect, improve, combat...;
5. specific action — adopt, ratify, abolish, repeal, amend, establish, release, enact, accede, extend,
   criminalise, publish, investigate, allow, grant...

A sentence whose verb is in none of the lists gets no category (shown as "—") until a person sets it; a
person's choice is never overwritten by a later import.
"""

from __future__ import annotations

import re
from typing import NamedTuple

CATEGORY_VERBS: dict[int, tuple[str, ...]] = {
    1: ("share", "seek", "request", "call on", "call upon", "exchange", "welcome"),
    2: ("continue", "maintain", "persevere", "pursue", "sustain", "keep", "carry on", "go on"),
    3: ("consider", "explore", "review", "reflect", "study", "examine", "evaluate", "envisage", "look into"),
    4: (
        "take measures",
        "take steps",
        "take action",
        "take effective",
        "take all",
        "take concrete",
        "take",
        "ensure",
        "promote",
        "strengthen",
        "guarantee",
        "protect",
        "respect",
        "improve",
        "intensify",
        "step up",
        "enhance",
        "combat",
        "uphold",
        "increase",
        "redouble",
        "fight",
        "work",
        "make",
        "implement",
        "provide",
        "develop",
        "support",
        "foster",
        "encourage",
        "raise awareness",
        "address",
        "tackle",
        "reinforce",
        "expand",
        "advance",
        "further develop",
        "engage",
        "cooperate",
        "apply",
        "enable",
        "give",
        "expedite",
        "respond",
    ),
    5: (
        "adopt",
        "ratify",
        "abolish",
        "repeal",
        "amend",
        "establish",
        "release",
        "put an end",
        "enact",
        "accede",
        "withdraw",
        "extend",
        "allow",
        "grant",
        "criminalise",
        "criminalize",
        "prohibit",
        "end",
        "cease",
        "close",
        "publish",
        "investigate",
        "introduce",
        "revise",
        "lift",
        "remove",
        "set up",
        "create",
        "eliminate",
        "halt",
        "stop",
        "submit",
        "invite",
        "declare",
        "issue",
        "reduce",
        "decriminalise",
        "decriminalize",
        "legalise",
        "legalize",
        "align",
        "dismantle",
        "disclose",
        "restore",
        "bring",
        "hold",
        "prosecute",
        "reinstate",
        "outlaw",
        "free",
        "permit",
        "recognise",
        "recognize",
    ),
}
# Words before the verb that do not change the action ("Further strengthen", "Urgently release").
_LEADING_FILLER = {
    "further",
    "also",
    "urgently",
    "immediately",
    "swiftly",
    "promptly",
    "effectively",
    "fully",
    "seriously",
    "expeditiously",
    "duly",
    "to",
    "that",
    "and",
    "actively",
    "progressively",
    "formally",
    "unconditionally",
    "consistently",
    "strongly",
    "genuinely",
    "speedily",
    "quickly",
    "please",
    "should",
    "gradually",
    # "As previously recommended, respond positively ...": the reminder is not the action.
    "as",
    "previously",
    "recommended",
}


def _verb_lookup() -> dict[tuple[str, ...], int]:
    lookup: dict[tuple[str, ...], int] = {}
    for category, verbs in CATEGORY_VERBS.items():
        for verb in verbs:
            lookup.setdefault(tuple(verb.split()), category)
    return lookup


# Looked up by word tuple, longest first ("take measures" before "take"): one dict probe per length
# instead of a scan of every verb, since every imported row is classified.
_VERB_LOOKUP = _verb_lookup()
_VERB_LENGTHS = sorted({len(words) for words in _VERB_LOOKUP}, reverse=True)
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


class _Signal:
    """A wording pattern and the substrings of which every match contains at least one.

    Every imported row is tested, and most wordings contain none of the substrings: ``in`` tests on
    them cost a fraction of a regular-expression scan, which then runs only where it can match. The
    test suite checks that each signal answers exactly as its bare pattern does.
    """

    def __init__(self, pattern: str, needles: tuple[str, ...]) -> None:
        self.pattern = re.compile(pattern)
        self.needles = needles

    def found_in(self, lowered: str) -> bool:
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
    ("19", "20", "year", "month", "upr", "review", "cycle", "mid-term", "time", "deadline"),
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


def leading_verb_category(text: str) -> int | None:
    """UPR Info's action category from the first verb of ``text`` (see the module's lists)."""
    words = _WORD.findall(text[:160].casefold())
    start = 0
    while start < len(words) and words[start] in _LEADING_FILLER:
        start += 1
    for length in _VERB_LENGTHS:
        category = _VERB_LOOKUP.get(tuple(words[start : start + length]))
        if category is not None:
            return category
    return None


def classify(text: str) -> Classification:
    lowered = text.casefold()
    category = leading_verb_category(text)
    return Classification(
        action_category=category,
        is_time_bound=TIME_BOUND.found_in(lowered),
        is_specific_action=category == 5 or SPECIFIC_WORDS.found_in(lowered),
        is_measurable=MEASURABLE.found_in(lowered),
        is_continue_form=category == 2,
    )


CATEGORY_NAMES = {
    1: "Minimal action",
    2: "Continuing action",
    3: "Considering action",
    4: "General action",
    5: "Specific action",
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
    raise ValueError(f"action category {value!r} is not 1-5 or one of {', '.join(CATEGORY_NAMES.values())}")
