"""UPR Info's action category (1-5) from a recommendation's wording, read from its main verb.

The verbs and what they mean are data, ``data/action_verbs.csv`` (phrase, category, basis): UPR Info's own
definition of the scale (1 minimal: share, seek, call on; 2 continuing: continue, maintain, pursue; 3
considering: consider, explore, review; 4 general: ensure, promote, take measures; 5 specific: ratify,
adopt a law, abolish, establish, implement) and the verbs UPR Info categorised that way in its database.

The main verb is usually the first word ("Ratify ..."). Before it may come words that do not change the
action ("Further", "Urgently"), an opening clause closed by a comma ("In line with CEDAW's
recommendations, adopt ..."), or a subject ("That the Government release ...", "It was recommended that
Benin establish ...", "Recommended the establishment of ..."); then the first verb (or the noun made from
one) within the next words is taken. The longest phrase wins, so "adopt measures" (general action) is
told from "adopt a law" (specific action).

What follows the verb can change the action, as it does for UPR Info: a specific verb whose object is
general ("implement measures", "adopt a comprehensive approach") is general action; a general verb of
making or providing whose object is a concrete instrument ("develop a national plan of action",
"undertake a study", "provide human rights training") is specific, as "draw up" and "launch" are; the
means a continuing or general action names ("Take measures ..., including by adopting legislation") is
the action; and "seek to improve ..." is improving, while "seek" alone asks for help (minimal action).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import crm
from crm.recommendations.words import letter_runs

# Found from the crm package rather than this file, which may be loaded from a compiled build (``compiled``).
VERBS_FILE = Path(crm.__file__).resolve().parents[1] / "data" / "action_verbs.csv"
SUBJECT_WORDS = 25
_WORD = re.compile(r"[a-z]+")
# Opening words of a clause that comes before the action and ends with a comma.
_OPENERS = frozenset(
    [
        "in",
        "with",
        "while",
        "within",
        "as",
        "following",
        "given",
        "taking",
        "bearing",
        "recognizing",
        "recognising",
        "acknowledging",
        "noting",
        "considering",
        "building",
        "based",
        "consistent",
        "pursuant",
        "according",
        "under",
        "when",
        "through",
        "on",
        "after",
        "before",
        "for",
        "welcoming",
        "commending",
        "mindful",
        "during",
        "regarding",
        "concerning",
        "without",
        "upon",
    ]
)
_CLAUSE = 300
# The verb is read from the first characters of the wording only.
_HEAD = 600
# Words before the verb that do not change the action ("Further strengthen", "Urgently release").
_FILLER = frozenset(
    [
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
        "as",
        "previously",
        "recommended",
        "systematically",
        "vigorously",
        "rapidly",
        "continuously",
        "resolutely",
        "firmly",
        "properly",
        "adequately",
        "thoroughly",
        "officially",
        "publicly",
        "truly",
        "it",
        "was",
        "is",
        "be",
        "are",
        "recommends",
        "recommend",
        "encouraged",
        "urged",
        "invited",
        "called",
        "favourably",
        "favorably",
        "positively",
        "explicitly",
        "widely",
        "soon",
        "possible",
    ]
)


# "Implement measures", "introduce measures", "adopt effective measures", "adopt a comprehensive approach":
# the object is general.
_GENERAL_OBJECTS = frozenset({"measures", "steps", "means", "efforts", "approach", "approaches"})
_OBJECT_WORDS = 4
# General verbs of making or providing, and the concrete instruments that make them specific action when
# named within the next words ("develop a comprehensive national action plan").
_MAKING = frozenset({"develop", "undertake", "put in place", "provide"})
_INSTRUMENTS = frozenset(
    {
        "plan",
        "plans",
        "programme",
        "programmes",
        "program",
        "programs",
        "campaign",
        "campaigns",
        "study",
        "studies",
        "training",
    }
)
_INSTRUMENT_WORDS = 5
# The means named after "by" or "through" ("..., including by adopting legislation") that is taken as the
# action, for a continuing and for a general action.
_MEANS_TAKEN = {2: frozenset({4, 5}), 4: frozenset({5})}


@dataclass(frozen=True)
class Lexicon:
    phrases: dict[tuple[str, ...], int]
    # For each word a phrase begins with, the lengths of its phrases, longest first: most words begin
    # none, and are passed over with one lookup.
    starting: dict[str, tuple[int, ...]]

    def at(self, words: list[str], start: int) -> int | None:
        """The category of the phrase at ``start``, read with what follows it (see ``_combined``)."""
        lengths = self.starting.get(words[start]) if start < len(words) else None
        for length in lengths or ():
            category = self.phrases.get(tuple(words[start : start + length]))
            if category is not None:
                category = self._combined(words, start + length, category)
                if category == 4 and " ".join(words[start : start + length]) in _MAKING:
                    objects = words[start + length : start + length + _INSTRUMENT_WORDS]
                    return 5 if _INSTRUMENTS.intersection(objects) else 4
                return category
        return None

    def _verb(self, words: list[str], start: int) -> int | None:
        lengths = self.starting.get(words[start]) if start < len(words) else None
        for length in lengths or ():
            category = self.phrases.get(tuple(words[start : start + length]))
            if category is not None:
                return category
        return None

    def _combined(self, words: list[str], end: int, category: int) -> int:
        """Two verbs joined ("continue and strengthen", "establish and provide") and general objects.

        UPR Info files a pair that includes a general action as general, "sign and ratify" as specific,
        and "continue and intensify" as the second verb; a specific verb whose object is "measures" or
        "steps" is general action.
        """
        following = _skip(words, end)
        if category == 2 and self._verb(words, following) == 1:
            return 1  # "continue to seek technical assistance"
        if end < len(words) and words[end] in {"and", "or"}:
            second = self._verb(words, _skip(words, end + 1))
            if second is not None:
                pair = {category, second}
                if 4 in pair:
                    return 4
                if category == 2:
                    return second
        objects = words[end : end + _OBJECT_WORDS]
        if category == 5 and _GENERAL_OBJECTS.intersection(objects):
            return 4
        return category


def _forms(verb: str) -> set[str]:
    """A verb and its inflections: ratify, ratifies, ratified, ratifying; release, released, releasing."""
    forms = {verb, verb + "s", verb + "es", verb + "ed", verb + "d", verb + "ing"}
    if verb.endswith("e"):
        forms.add(verb[:-1] + "ing")
    if verb.endswith("y"):
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgmnprt]$", verb):
        forms |= {verb + verb[-1] + "ed", verb + verb[-1] + "ing"}
    return forms


@cache
def lexicon(path: Path = VERBS_FILE) -> Lexicon:
    phrases: dict[tuple[str, ...], int] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            first, *rest = _WORD.findall(row["phrase"].casefold())
            for form in _forms(first):
                phrases.setdefault((form, *rest), int(row["category"]))
    starting: dict[str, set[int]] = {}
    for phrase in phrases:
        starting.setdefault(phrase[0], set()).add(len(phrase))
    return Lexicon(
        phrases, {word: tuple(sorted(lengths, reverse=True)) for word, lengths in starting.items()}
    )


def _skip(words: list[str], start: int) -> int:
    while start < len(words) and words[start] in _FILLER:
        start += 1
    return start


def _main_clause(lowered: str) -> str:
    """Without opening clauses closed by a comma ("With the support of the international community, ...")."""
    while True:
        # The comma first: most wordings have none near their start, and need no other look.
        comma = lowered.find(",", 0, _CLAUSE)
        if comma < 0:
            return lowered
        first = _WORD.match(lowered.lstrip(" -–•'\"("))
        if first is None or first[0] not in _OPENERS:
            return lowered
        lowered = lowered[comma + 1 :]


def _means(words: list[str], start: int, known: Lexicon) -> int | None:
    """The category of the first means named after ``start`` ("by adopting", "through strengthening")."""
    if "by" not in words and "through" not in words:
        return None  # one scan of the words in C, where most wordings name no means
    for index in range(start, len(words) - 1):
        if words[index] in {"by", "through"} and words[index + 1].endswith("ing"):
            return known.at(words, index + 1)
    return None


def action_category(text: str, lowered: str | None = None, runs: list[str] | None = None) -> int | None:
    """UPR Info's action category from the main verb of ``text``; None when no verb is known.

    ``lowered`` is ``text.casefold()`` and ``runs`` its ``letter_runs``, when the caller has them already.
    """
    head = lowered if lowered is not None and len(text) <= _HEAD else text[:_HEAD].casefold()
    main = _main_clause(head)
    # A wording without an opening clause is its own main clause: its words are the runs given.
    words = runs if runs is not None and main is lowered else letter_runs(main)
    known = lexicon()
    start = _skip(words, 0)
    if words[start : start + 2] == ["seek", "to"] and known.at(words, start + 2) is not None:
        start += 2  # "Seek to improve ...": the action is improving
    category = known.at(words, start)
    if category in _MEANS_TAKEN:
        # "Continue its efforts ..., including by strengthening ...": the means named is the action.
        means = _means(words, start, known)
        if means in _MEANS_TAKEN[category]:
            return means
    if category is not None:
        return category
    for index in range(start + 1, min(len(words), start + SUBJECT_WORDS)):
        category = known.at(words, index)
        if category is not None:
            return category
    return None
