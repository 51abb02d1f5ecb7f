"""States' names in the UN's six languages, and the forms a sentence needs ("de la Suisse", "du Canada").

The names are the UN terminology database's (``data/un_state_names.csv``; its source and checks are in
``data/un_state_names.SOURCE.md``). UNTERM writes a short name with its article in brackets ("Suisse (la)",
"Canada (le)", "Bahamas (The)"); where the brackets hold more than an article ("Iran (République islamique
d')") the formal name is the one a sentence uses ("la République islamique d'Iran"), as UN documents do.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NAMES_FILE = Path(__file__).resolve().parents[1] / "data" / "un_state_names.csv"
LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
_BRACKETS = re.compile(r"^(?P<noun>.+?) \((?P<inside>[^()]+)\)$")
ARTICLES = {"en": {"the"}, "fr": {"le", "la", "les", "l'"}, "es": {"el", "la", "los", "las"}}
_LEADING_ARTICLE = re.compile(r"^(?:(?:the|le|la|les|el|los|las)\s+|l['\u2019])", re.IGNORECASE)
_VOWELS = "aeiouyhâàéèêëîïôûüAEIOUYHÂÀÉÈÊËÎÏÔÛÜ"


@dataclass(frozen=True)
class StateName:
    """A state as a sentence in one language names it.

    ``name`` is the form used inside a sentence ("la Suisse", "the Netherlands", "Suiza"), ``capitalised``
    the same at the start of one, ``of`` and ``to`` the name after "of" and "to" ("de la Suisse", "du
    Canada", "à la Suisse", "au Canada"; in English "of Switzerland", "to Switzerland"), and ``possessive``
    the English "Switzerland's". Languages without articles (Arabic, Chinese, Russian) use the name as is.
    """

    name: str
    of: str
    to: str
    possessive: str

    @property
    def capitalised(self) -> str:
        return self.name[:1].upper() + self.name[1:]

    def __str__(self) -> str:
        return self.name


@cache
def _table() -> dict[str, dict[str, str]]:
    with NAMES_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["alpha3"]: row for row in csv.DictReader(handle)}


def state_name(code: str, language: str, fallback: str) -> StateName:
    """The state ``code`` in ``language`` (a primary subtag); ``fallback`` when the UN lists no such name."""
    row = _table().get(code)
    language = language if language in LANGUAGES else "en"
    if row is None:
        return _forms(fallback, language)
    short, formal = row[f"{language}_short"], row[f"{language}_formal"]
    # One cell of the source is empty (the Russian short name of the United Kingdom): the formal one serves.
    if not short and not formal:
        return _forms(fallback, language)
    return _forms(_in_a_sentence(short or formal, formal, language), language)


def display_name(code: str, language: str, fallback: str) -> str:
    """The state ``code`` as a list or a heading in ``language`` shows it: the UN short name without its
    article ("Suisse", "Suiza", "瑞士"), or ``fallback`` (the app's English name) in English and where the UN
    lists no such name."""
    row = _table().get(code)
    if language == "en" or language not in LANGUAGES or row is None:
        return fallback
    short = row[f"{language}_short"] or row[f"{language}_formal"]
    if not short:
        return fallback
    match = _BRACKETS.match(short)
    if match is not None and match["inside"].lower() in ARTICLES.get(language, set()):
        return match["noun"]
    return short


def un_codes() -> set[str]:
    """The states the UN's list names."""
    return set(_table())


def all_names(code: str) -> set[str]:
    """Every short and formal name the UN gives ``code`` in its six languages, for search."""
    row = _table().get(code)
    if row is None:
        return set()
    return {value for key, value in row.items() if key != "alpha3" and value}


def search_names(code: str) -> set[str]:
    """Every way a person may write ``code`` from the UN's names: each short and formal name as listed
    ("Suisse (la)"), without its brackets ("Suisse"), with the bracketed part in front ("la Suisse",
    "République islamique d'Iran", "Kingdom of the Netherlands"), and without a leading article
    ("Confédération suisse")."""
    forms: set[str] = set()
    for name in all_names(code):
        forms.add(name)
        match = _BRACKETS.match(name)
        if match is not None:
            inside = match["inside"]
            separator = "" if inside.endswith("'") else " "
            forms.update({match["noun"], f"{inside}{separator}{match['noun']}"})
    return forms | {bare for form in forms if (bare := without_article(form)) != form}


def without_article(name: str) -> str:
    """ "la Suisse" -> "Suisse", "l'Iran" -> "Iran", "the Gambia" -> "Gambia"; other names as they are."""
    match = _LEADING_ARTICLE.match(name)
    return name[match.end() :] if match and match.end() < len(name) else name


def _in_a_sentence(short: str, formal: str, language: str) -> str:
    """ "Suisse (la)" -> "la Suisse"; "Iran (République islamique d')" -> the formal name."""
    match = _BRACKETS.match(short)
    if match is None:
        return short
    article = match["inside"].lower()
    if article in ARTICLES.get(language, set()):
        separator = "" if article.endswith("'") else " "
        return f"{article}{separator}{match['noun']}"
    return formal or short


def _forms(name: str, language: str) -> StateName:
    if language == "fr":
        return StateName(name, _french(name, "de"), _french(name, "à"), name)
    if language == "es":
        return StateName(name, _spanish(name, "de"), _spanish(name, "a"), name)
    if language == "en":
        possessive = f"{name}'" if name.endswith("s") else f"{name}'s"
        return StateName(name, f"of {name}", f"to {name}", possessive)
    return StateName(name, name, name, name)


def _french(name: str, preposition: str) -> str:
    """ "de"/"à" before a name: du Canada, des Comores, de la Suisse, de l'Allemagne, d'Israël, à Cuba."""
    contracted = {"de": {"le": "du", "les": "des"}, "à": {"le": "au", "les": "aux"}}[preposition]
    first, _, rest = name.partition(" ")
    if first in contracted and rest:
        return f"{contracted[first]} {rest}"
    if preposition == "de" and not name.startswith(("la ", "l'")) and name[:1] in _VOWELS:
        return f"d'{name}"
    return f"{preposition} {name}"


def _spanish(name: str, preposition: str) -> str:
    """ "de"/"a" before a name: del Canadá, al Canadá, de la India, de Suiza."""
    if name.startswith("el "):
        return f"{'del' if preposition == 'de' else 'al'} {name[3:]}"
    return f"{preposition} {name}"
