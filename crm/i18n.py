"""The languages of the app, their gettext catalogues, and the locale dates and numbers are written in.

The interface speaks English, Chinese (simplified), French and Spanish (``LANGUAGES``): Flask-Babel picks
one per request (``upr.app``: the signed-in user's choice, else the one chosen on the sign-in page, else the
browser's Accept-Language). E-mail to a contact is written in the contact's language with the same
catalogues (``catalogue``), outside any request.

The catalogues are ``translations/<language>/LC_MESSAGES/messages.po`` (the source, in the repository),
compiled to ``messages.mo`` by ``pybabel compile -d translations`` (``scripts/setup.sh`` and the tests do
it). They are the ones Flask-Babel reads, so translating the interface (issue 15) extends the same files.
English is the source language: its words are the message ids themselves.
"""

from __future__ import annotations

import gettext
import os
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import format_date
from flask import has_app_context
from flask_babel import get_locale

TRANSLATIONS = Path(__file__).resolve().parents[1] / "translations"
SOURCE_LANGUAGE = "en"
# Each language as its speakers write its name, for the language menu.
LANGUAGES = {"en": "English", "zh": "中文", "fr": "Français", "es": "Español"}
# English dates read "6 November 2018" (British order, as the UN writes them), not "November 6, 2018";
# Chinese is the simplified script used in mainland China, as UN documents write it.
DATE_LOCALES = {"en": "en_GB", "zh": "zh_Hans_CN"}


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
        # i18n: fixed (written when the catalogues themselves cannot be read)
        raise CatalogueNotCompiled(
            f"The {language} catalogue is not compiled: run `pybabel compile -d translations` "  # i18n: fixed
            "(scripts/setup.sh does it)."
        )
    with compiled.open("rb") as handle:
        return gettext.GNUTranslations(handle)


def language_of(tag: str | None) -> str:
    """The app's language for a BCP 47 tag ("fr-CH" -> "fr", "zh-Hans" -> "zh"); English if it has none."""
    primary = (tag or "").replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else SOURCE_LANGUAGE


def current_language() -> str:
    """The language Flask-Babel chose for this request or command; English outside the app."""
    if not has_app_context():
        return SOURCE_LANGUAGE
    return language_of(str(get_locale() or SOURCE_LANGUAGE))


def locale_for(language: str) -> Locale:
    """The Babel locale dates and numbers of ``language`` are written in."""
    try:
        return Locale.parse(DATE_LOCALES.get(language, language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(DATE_LOCALES[SOURCE_LANGUAGE])


def long_date(day: date, language: str) -> str:
    """A date as a letter in ``language`` writes it: "6 November 2018", "6 novembre 2018"."""
    return format_date(day, format="long", locale=locale_for(language))


def language_outside_app() -> str:
    """The language of messages written where no app exists (before the configuration is read, after a
    command has ended): ``UPR_LANGUAGE``'s, else English."""
    return language_of(os.environ.get("UPR_LANGUAGE"))


def gettext_outside_app(message: str, **values: object) -> str:
    """``message`` in :func:`language_outside_app`, with its named ``%(value)s`` placeholders filled."""
    try:
        text = catalogue(language_outside_app()).gettext(message)
    except CatalogueNotCompiled:
        text = message  # the English words are better than no message at all
    return text % values if values else text
