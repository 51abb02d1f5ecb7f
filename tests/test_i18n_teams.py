"""Teams, accounts and asks in the reader's language: state names, dates and counts on the board, the account
and asks pages; refusals whole with the state named as the reader writes it. (That the sign-in page answers
known and unknown addresses alike in every language is in tests/test_security_throttle.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from flask_babel import get_translations
from markupsafe import Markup, escape

from crm.auth.models import Role, User
from crm.dates import format_instant
from crm.db import db
from crm.models import Review, State
from crm.reviews.services import get_review
from crm.state_names import display_name
from crm.teams.models import Team
from crm.teams.services import assign
from tests.conftest import sign_in
from tests.contacts_world import World, build_world
from upr.cli import cli


@pytest.fixture
def world(app: Flask) -> World:
    with app.app_context():
        return build_world()


def _speaks(app: Flask, user: User, language: str) -> None:
    with app.app_context():
        found = db.session.get(User, user.id)
        assert found is not None
        found.language = language
        db.session.commit()


def _english(app: Flask, code: str) -> str:
    with app.app_context():
        state = db.session.get(State, code)
        assert state is not None
        return state.name


def _text(html: str) -> str:
    """The words of an HTML fragment, without its tags and their attributes."""
    return re.sub(r"<[^>]*>", " ", html)


def _instant(app: Flask, moment: datetime, language: str) -> str:
    with app.test_request_context(headers={"Accept-Language": language}):
        return format_instant(moment)


def _message(
    app: Flask,
    language: str,
    singular: str,
    plural: str | None = None,
    *,
    flashed: bool = False,
    **values: object,
) -> str:
    """The whole message as the catalogue of ``language`` writes it (the English words until a catalogue has
    it), its values in place, as a page shows it: a flash escaped whole, a template's message with its own
    markup and its values escaped. So the test holds on this branch and once the translations are merged."""
    with app.test_request_context(headers={"Accept-Language": language}):
        translations = get_translations()
        if plural is None:
            raw = translations.ugettext(singular)
        else:
            count = values["num"]
            assert isinstance(count, int)
            raw = translations.ungettext(singular, plural, count)
        # A catalogue's message is markup the app's own authors wrote, as Jinja's i18n extension takes it.
        return str(escape(raw % values)) if flashed else str(Markup(raw) % values)  # noqa: S704


def test_a_chinese_reader_sees_the_board_s_states_and_history_in_chinese(
    app: Flask, client: FlaskClient, world: World, make_user: Callable[..., User]
) -> None:
    lead = make_user(Role.COORDINATOR, email="lead@example.org", teams=[world.team])
    anna = make_user(Role.OFFICER, email="anna@example.org", teams=[world.team])
    with app.app_context():
        team = db.session.get(Team, world.ids["team"])
        review = db.session.get(Review, world.ids["review"])
        officer = db.session.get(User, anna.id)
        assert team is not None and review is not None and officer is not None
        assign(team, officer, state_code="SWE", review=review)
        db.session.commit()
    _speaks(app, lead, "zh")
    sign_in(client, lead)
    page = client.get(f"/teams?team={world.ids['team']}&review={world.ids['review']}").get_data(as_text=True)
    sweden, norway = display_name("SWE", "zh", "Sweden"), display_name("NOR", "zh", "Norway")
    assert sweden != "Sweden" and norway != "Norway"  # the UN's Chinese names, not the English ones
    loads = _text(page.split('id="loads"')[1].split("</table>")[0])
    assert sweden in loads and _english(app, "SWE") not in loads
    # What people read; the "assign" link still carries the English name the assign form resolves.
    unassigned = _text(page.split('id="unassigned"')[1].split("</ul>")[0])
    assert norway in unassigned and _english(app, "NOR") not in unassigned
    history = page.split('id="history"')[1].split("</table>")[0]
    assert sweden in _text(history) and _english(app, "SWE") not in _text(history)
    # The history's moment is written the Chinese way ("2026年12月2日 10:00 UTC").
    moment = re.search(r'<td class="nowrap">([^<]*)</td>', history)
    assert moment is not None and "年" in moment.group(1) and "UTC" in moment.group(1)
    # The review picker names China in Chinese too.
    assert f"{display_name('CHN', 'zh', 'China')} — CHN-3" in page
    # The team page's confirmations count what is given back, each a whole message.
    members = client.get(f"/teams/{world.ids['team']}").get_data(as_text=True)
    leaves = "%(name)s leaves %(team)s; their %(count)s assignments become unassigned (the board's history keeps them). You can add them again later."  # noqa: E501  # the message as the template has it
    person: dict[str, object] = {"name": "anna@example.org", "team": "China team"}
    assert _message(app, "zh", leaves, leaves, num=1, count=1, **person) in members
    archive = "The team leaves the board and the pickers; members, contacts and history stay. Its %(count)s assignments are given back, so other teams can take those states. You can bring it back here."  # noqa: E501  # as above
    assert _message(app, "zh", archive, archive, num=1, count=1) in members


def test_a_refusal_names_the_state_as_its_reader_writes_it_in_one_message(
    app: Flask, client: FlaskClient, world: World, make_user: Callable[..., User]
) -> None:
    lead = make_user(Role.COORDINATOR, email="lead@example.org", teams=[world.team])
    anna = make_user(Role.OFFICER, email="anna@example.org", teams=[world.team])
    ben = make_user(Role.OFFICER, email="ben@example.org", teams=[world.team])
    with app.app_context():
        team = db.session.get(Team, world.ids["team"])
        officer = db.session.get(User, anna.id)
        assert team is not None and officer is not None
        assign(team, officer, state_code="SWE")
        db.session.commit()
    _speaks(app, lead, "fr")
    sign_in(client, lead)
    response = client.post(
        f"/teams/{world.ids['team']}/assign",
        data={"officer_id": ben.id, "state": "SWE"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    suede = display_name("SWE", "fr", "Sweden")
    assert suede != "Sweden"
    flash = page.split('class="flash error"')[1].split("</p>")[0]
    # One message with every value in its place, the state in French wherever it is named.
    holder = _message(
        app, "fr", "%(officer)s (%(team)s, %(what)s for every review)",
        officer="anna@example.org", team="China team", what=suede,
    )  # fmt: skip
    refusal = _message(
        app,
        "fr",
        "%(what)s is already held by %(holders)s. Nobody briefs a mission twice: to hand it over, "
        "move it from %(holder)s to %(officer)s.",
        flashed=True,
        what=suede,
        holders=holder,
        holder="anna@example.org",
        officer="ben@example.org",
    )
    assert suede in holder and refusal in flash and "Sweden" not in flash
    # The callout offering the move names the state the same way.
    callout = page.split('id="pending-move"')[1].split("</p>")[0]
    held_by = _message(
        app, "fr", "%(officer)s (%(team)s, every review)", officer="anna@example.org", team="China team"
    )
    held_by_markup = Markup(held_by)  # noqa: S704  # the template writes the holders' list, then places it whole
    held = "<strong>%(what)s</strong> is held by %(held_by)s."
    assert _message(app, "fr", held, what=suede, held_by=held_by_markup) in callout


def test_the_account_page_writes_dates_and_the_role_in_the_reader_s_language(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.OFFICER)
    _speaks(app, user, "fr")
    sign_in(client, user)
    # Two-factor sign-in turned on since (the page reads the date; enrolling is tested elsewhere).
    enabled = datetime(2024, 1, 23, 9, 30, tzinfo=UTC)
    with app.app_context():
        found = db.session.get(User, user.id)
        assert found is not None
        found.totp_secret, found.totp_enabled_at = "JBSWY3DPEHPK3PXP", enabled
        db.session.commit()
    page = client.get("/account").get_data(as_text=True)
    french = _instant(app, enabled, "fr")
    assert "23 janv. 2024" in french
    since = "On since %(when)s; %(count)s recovery code left."
    assert _message(app, "fr", since, since.replace("code", "codes"), num=0, count=0, when=french) in page
    assert _instant(app, enabled, "en") not in page
    assert '<html lang="fr">' in page


def test_a_chinese_reader_sees_the_asks_page_with_chinese_state_names(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    reader = make_user(Role.VIEWER)
    _speaks(app, reader, "zh")
    with app.app_context():
        review_id = get_review("CHN-3").id
    sign_in(client, reader)
    page = client.get(f"/reviews/{review_id}/asks").get_data(as_text=True)
    china = display_name("CHN", "zh", "China")
    assert china == "中国"
    heading = page.split("<h1>")[1].split("</h1>")[0]
    assert china in heading and "China" not in heading
    czechia = display_name("CZE", "zh", _english(app, "CZE"))
    assert f">{czechia}</a>" in page
    assert f">{_english(app, 'CZE')}</a>" not in page
