"""The app in English, Chinese, French and Spanish: who picks the language, what is translated, and that the
catalogues are complete."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from crm.auth.models import Role, User
from crm.db import db
from crm.i18n import LANGUAGES, SOURCE_LANGUAGE, TRANSLATIONS
from tests.conftest import sign_in
from tests.i18n_lint import findings

TRANSLATED = [language for language in LANGUAGES if language != SOURCE_LANGUAGE]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w*)\}")


def _lang(page: str) -> str:
    found = re.search(r'<html lang="([^"]+)"', page)
    assert found, page[:200]
    return found.group(1)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("fr-CH,fr;q=0.9,en;q=0.5", "fr"),
        ("zh-CN,zh;q=0.9", "zh"),
        ("es-ES", "es"),
        ("de-DE,de", "en"),
        ("", "en"),
    ],
)
def test_before_sign_in_the_browser_s_languages_decide(
    client: FlaskClient, header: str, expected: str
) -> None:
    page = client.get("/sign-in", headers={"Accept-Language": header}).get_data(as_text=True)
    assert _lang(page) == expected


def test_the_menu_on_the_sign_in_page_switches_and_remembers(client: FlaskClient) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    assert all(f'value="{code}"' in page for code in LANGUAGES)  # the switcher is on the page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    chosen = client.post(
        "/language", data={"language": "zh", "next": "/sign-in", "csrf_token": token.group(1)}
    )
    assert chosen.status_code == 302 and chosen.headers["Location"].endswith("/sign-in")
    assert _lang(client.get("/sign-in", headers={"Accept-Language": "fr"}).get_data(as_text=True)) == "zh"


def test_a_language_the_app_does_not_have_is_refused(client: FlaskClient) -> None:
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    assert client.post("/language", data={"language": "xx", "csrf_token": token.group(1)}).status_code == 400


def test_the_profile_s_language_wins_over_the_browser_and_follows_the_user(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.COORDINATOR)
    sign_in(client, user)
    page = client.get("/account").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    client.post("/language", data={"language": "es", "next": "/account", "csrf_token": token.group(1)})
    with app.app_context():
        assert db.session.get(User, user.id).language == "es"  # kept in the profile
    other_browser = app.test_client()
    sign_in(other_browser, user)
    dashboard = other_browser.get("/dashboard", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert _lang(dashboard) == "es"


def test_dates_and_numbers_follow_the_language(app: Flask) -> None:
    from crm.dates import format_day, format_instant, format_long_day, format_number

    day, moment = date(2024, 1, 23), datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    expected = {
        "en": ("23 Jan 2024", "23 January 2024", "23 Nov 2026, 10:00 UTC", "12,345"),
        "fr": ("23 janv. 2024", "23 janvier 2024", "23 nov. 2026, 10:00 UTC", "12\u202f345"),
        "zh": ("2024年1月23日", "2024年1月23日", "2026年11月23日 10:00 UTC", "12,345"),
        "es": ("23 ene 2024", "23 de enero de 2024", "23 nov 2026, 10:00 UTC", "12.345"),
    }
    for language, (short, long, instant, number) in expected.items():
        with app.test_request_context(headers={"Accept-Language": language}):
            assert format_day(day) == short, language
            assert format_long_day(day) == long, language
            assert format_instant(moment) == instant, language
            assert format_number(12345) == number, language


def test_no_words_for_people_are_left_outside_gettext() -> None:
    left = [str(finding) for finding in findings()]
    assert left == [], f"{len(left)} untranslated; run python -m tests.i18n_lint"


def _catalogue(language: str) -> dict[str | tuple[str, str], object]:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return {message.id: message for message in read_po(handle) if message.id}


def _template() -> list[object]:
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        return [message for message in read_po(handle) if message.id]


def test_the_template_holds_every_message_of_the_code_and_templates(tmp_path: Path) -> None:
    """messages.pot is up to date: extracting again finds no message it lacks."""
    import subprocess

    root = TRANSLATIONS.parent
    fresh = tmp_path / "fresh.pot"
    subprocess.run(["bash", "scripts/translations.sh", "extract", str(fresh)], cwd=root, check=True)
    with fresh.open("rb") as handle:
        extracted = {
            message.id if not message.context else (message.context, message.id)
            for message in read_po(handle)
            if message.id
        }
    known = {m.id if not m.context else (m.context, m.id) for m in _template()}  # type: ignore[attr-defined]
    assert extracted - known == set(), "run scripts/translations.sh extract, then update and translate"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated(language: str) -> None:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    missing = []
    for wanted in _template():
        found = catalogue.get(wanted.id, context=wanted.context)  # type: ignore[attr-defined]
        strings = found.string if found is not None else None
        texts = list(strings) if isinstance(strings, tuple) else [strings]
        if found is None or found.fuzzy or not all(texts):
            missing.append(wanted.id)  # type: ignore[attr-defined]
    assert missing == [], f"{len(missing)} messages untranslated in {language}"


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_their_placeholders(language: str) -> None:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    wrong = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {name for text in ids for name in PLACEHOLDER.findall(text)}
        for text in strings:
            # A translation may leave a value out ("Dear Ms {family_name}," is "Madame," in French), never
            # name one the code does not give.
            if {name for name in PLACEHOLDER.findall(text)} - wanted:
                wrong.append((ids[0], text))
    assert wrong == []
