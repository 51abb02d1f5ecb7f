"""Every text field has a limit and refuses control characters, on the web, the CLI and imports (the suite
runs on PostgreSQL too, which would otherwise fail on a NUL with a database error)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from crm.auth.models import Role, User
from crm.contacts.models import Contact, Organisation, OrganisationKind
from crm.db import db
from crm.text import NOTES, TextError, clean_text, printable
from upr.cli import cli

from .conftest import sign_in


@pytest.fixture
def mission(app: Flask) -> int:
    with app.app_context():
        found = Organisation(name="Mission of Sweden", kind=OrganisationKind.MISSION_GENEVA, state_code="SWE")
        db.session.add(found)
        db.session.commit()
        return found.id


def _contact_form(mission: int, **changes: str) -> dict[str, object]:
    form: dict[str, object] = {
        "organisation_id": mission,
        "full_name": "Åsa Bergström",
        "languages": "sv;en",
        "timezone": "Europe/Zurich",
        "safety_level": "normal",
        "owner_team_id": 0,
    }
    return {**form, **changes}


def _contacts(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contact)) or 0


def test_notes_have_a_limit_on_the_web(app: Flask, admin_client: FlaskClient, mission: int) -> None:
    too_long = admin_client.post("/contacts/new", data=_contact_form(mission, notes="x" * (NOTES + 1)))
    assert too_long.status_code == 200
    assert f"{NOTES:,} characters" in too_long.get_data(as_text=True)
    huge = admin_client.post("/contacts/new", data=_contact_form(mission, notes="x" * 3_000_000))
    assert huge.status_code in (200, 413)
    assert _contacts(app) == 0
    fits = admin_client.post("/contacts/new", data=_contact_form(mission, notes="a\tb\r\nc" * 1000))
    assert fits.status_code == 302
    with app.app_context():
        notes = db.session.scalar(select(Contact.notes))
    assert notes is not None and notes.startswith("a\tb\nc")  # tabs and line breaks kept, CRLF made LF


@pytest.mark.parametrize("field", ["full_name", "title", "notes", "phone"])
def test_a_nul_is_refused_with_a_message_on_the_web(
    app: Flask, admin_client: FlaskClient, mission: int, field: str
) -> None:
    response = admin_client.post("/contacts/new", data=_contact_form(mission, **{field: "Ab\x00cd"}))
    assert response.status_code == 400
    assert "control character" in response.get_data(as_text=True)
    assert _contacts(app) == 0


def test_a_line_break_in_a_name_is_refused(app: Flask, admin_client: FlaskClient, mission: int) -> None:
    response = admin_client.post("/contacts/new", data=_contact_form(mission, title="Counsellor\nBcc: x"))
    assert "Title holds a line break" in response.get_data(as_text=True)
    assert _contacts(app) == 0


def test_control_characters_in_a_search_or_any_form_are_refused(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    sign_in(client, make_user(Role.ADMIN))
    assert client.get("/contacts", query_string={"q": "a\x00b"}).status_code == 400
    # Any area's form, not only the contacts': a campaign, a team...
    response = client.post("/outreach/campaigns", data={"name": "Brief\x07ing"})
    assert response.status_code == 400 and "control character" in response.get_data(as_text=True)


def test_the_command_line_refuses_them_too(app: Flask, mission: int) -> None:
    runner = app.test_cli_runner()
    base = ["contacts", "add", "asa@example.org", "--organisation", "Mission of Sweden"]
    nul = runner.invoke(cli, [*base, "--name", "Åsa\x00"])
    assert nul.exit_code == 1 and "Full name holds a control character" in nul.output
    long_notes = runner.invoke(cli, [*base, "--name", "Åsa", "--notes", "x" * (NOTES + 1)])
    assert long_notes.exit_code == 1 and "Notes is too long" in long_notes.output
    organisation = runner.invoke(
        cli, ["organisations", "add", "Mission\x1bof Norway", "--kind", "mission_geneva"]
    )
    assert organisation.exit_code == 1 and "control character" in organisation.output
    assert _contacts(app) == 0


def test_imports_name_the_row_and_the_field(app: Flask, tmp_path: Path) -> None:
    rows = tmp_path / "contacts.csv"
    rows.write_text(
        "organisation,full_name,email,notes\n"
        "Mission of Sweden,Åsa Bergström,asa@example.org,fine\n"
        "Mission of Sweden,Johan\x00Ekholm,johan@example.org,\n"
        f"Mission of Sweden,Lars,lars@example.org,{'y' * (NOTES + 1)}\n",
        encoding="utf-8",
    )
    result = app.test_cli_runner().invoke(cli, ["import", "contacts", str(rows)])
    assert result.exit_code == 1
    assert "Row 3: Full name holds a control character" in result.output
    assert "Row 4: Notes is too long" in result.output
    assert _contacts(app) == 0


def test_no_flush_stores_a_control_character(app: Flask) -> None:
    with app.app_context():
        db.session.add(Organisation(name="Bad\x00Name", kind=OrganisationKind.NGO))
        with pytest.raises(TextError, match=r"Organisation\.name holds a control character"):
            db.session.flush()
        db.session.rollback()


def test_clean_text_says_what_is_wrong() -> None:
    assert clean_text("  Counsellor  ", 200, "Title") == "Counsellor"
    assert clean_text("one\r\ntwo\rthree", 100, "Notes", multiline=True) == "one\ntwo\nthree"
    with pytest.raises(TextError, match=r"Title is too long: at most 5 characters, not 6\."):
        clean_text("abcdef", 5, "Title")
    with pytest.raises(TextError, match="character 3"):
        clean_text("ab\x0bcd", 100, "Notes", multiline=True)
    with pytest.raises(TextError, match="line break"):
        clean_text("ab\ncd", 100, "Title")


def test_an_organisation_edit_without_its_state_field_keeps_the_state(
    app: Flask, admin_client: FlaskClient, mission: int
) -> None:
    response = admin_client.post(
        f"/organisations/{mission}/edit", data={"name": "Mission of Sweden", "kind": "mission_geneva"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, mission).state_code == "SWE"  # type: ignore[union-attr]


def test_the_upr_command_answers_a_refused_text_in_one_sentence(
    app: Flask, database_url: str, tmp_path: Path
) -> None:
    """Text refused below every command's own checks (the flush guard) is one sentence, not a traceback."""
    env = {
        **os.environ,
        "UPR_ENV": "testing",
        "UPR_DATABASE_URL": database_url,
        "UPR_SECRET_KEY": "test-secret-key-not-for-production",
        "UPR_INSTANCE_PATH": str(tmp_path / "instance"),
        "UPR_NEW_USER_PASSWORD": "a long enough passphrase",
    }
    upr = str(Path(sys.executable).with_name("upr"))
    command = [
        upr,
        "user",
        "create",
        "--email",
        "bell@example.org",
        "--role",
        "viewer",
        "--name",
        "Ring\x07Bell",
    ]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 1
    assert "User.full_name holds a control character (U+0007)" in result.stderr
    assert "Traceback" not in result.stderr
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


@settings(max_examples=500, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from([*map(chr, range(128)), "\xa0", "é", "\u2028", "\x85", "中"]), max_size=12
    )
)
def test_the_quick_printable_test_answers_as_isprintable(text: str) -> None:
    # An import decides with it whether a row's cells need the full check for control characters.
    assert printable(text) is text.isprintable()
