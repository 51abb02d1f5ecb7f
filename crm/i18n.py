"""Gettext catalogues and Babel's formatting of dates, per language.

The catalogues are ``translations/<language>/LC_MESSAGES/messages.po`` (the source, in the repository),
compiled to ``messages.mo`` by ``pybabel compile -d translations`` (``scripts/setup.sh`` and the tests do
it). They are the ones Flask-Babel reads, so translating the interface (issue 15) extends the same files.
English is the source language: its words are the message ids themselves.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
SOURCE_LANGUAGE = "en"
# English dates read "6 November 2018" (British order, as the UN writes them), not "November 6, 2018".
DATE_LOCALES = {"en": "en_GB"}


class CatalogueNotCompiled(RuntimeError):
    """A language has a catalogue whose compiled form is missing or older than it."""


def has_catalogue(language: str) -> bool:
    return language == SOURCE_LANGUAGE or (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").exists()


@cache
def catalogue(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``language``; for the source language or one without a catalogue, the
    message ids themselves (``has_catalogue`` tells the two apart)."""
    folder = TRANSLATIONS / language / "LC_MESSAGES"
    source, compiled = folder / "messages.po", folder / "messages.mo"
    if language == SOURCE_LANGUAGE or not source.exists():
        return gettext.NullTranslations()
    if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
        raise CatalogueNotCompiled(
            f"The {language} catalogue is not compiled: run `pybabel compile -d translations` "
            "(scripts/setup.sh does it)."
        )
    with compiled.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def long_date(day: date, language: str) -> str:
    """A date as a letter in ``language`` writes it: "6 November 2018", "6 novembre 2018"."""
    try:
        locale = Locale.parse(DATE_LOCALES.get(language, language))
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(DATE_LOCALES[SOURCE_LANGUAGE])
    return format_date(day, format="long", locale=locale)
