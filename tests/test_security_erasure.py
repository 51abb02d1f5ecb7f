"""Erasing a contact for good: nothing of them stays in any table (nor, on SQLite, in the file's free pages),
only "contact erased by X on date" in the audit log; on the web with a confirmation, and on the CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.engine import make_url

from crm.auth.models import Role, User
from crm.contacts.audit import record_access
from crm.contacts.interactions import save_interaction
from crm.contacts.models import (
    AuditLog,
    Contact,
    Interaction,
    InteractionKind,
    Organisation,
    OrganisationKind,
    SafetyLevel,
    Task,
)
from crm.db import db, utcnow
from outreach.capture import captured_mail_folder
from outreach.models import MessageKind, OutboxMessage
from upr.cli import cli
from upr.schema import metadata

from .conftest import sign_in

NAME = "Erasable Defender Qx7"
EMAIL = "erasable.qx7@example.net"
PHONE = "+41 22 555 0177"
TRACES = (NAME, EMAIL, PHONE, "erasable.qx7", "Notes about Qx7")


@pytest.fixture
def person(app: Flask, make_user: Callable[..., User]) -> dict[str, int]:
    """An at-risk contact with a meeting alone, a meeting shared with a colleague, a task, mail and audit."""
    officer = make_user(Role.OFFICER)
    with app.app_context():
        mission = Organisation(
            name="Mission of Norway", kind=OrganisationKind.MISSION_GENEVA, state_code="NOR"
        )
        contact = Contact(
            organisation=mission,
            full_name=NAME,
            email=EMAIL,
            phone=PHONE,
            notes="Notes about Qx7",
            safety_level=SafetyLevel.AT_RISK,
        )
        colleague = Contact(organisation=mission, full_name="Colleague Staying", email="stays@example.org")
        db.session.add_all([contact, colleague])
        db.session.flush()
        author = db.session.get(User, officer.id)
        assert author is not None
        alone = save_interaction(
            officer=author,
            kind=InteractionKind.MEETING,
            occurred_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
            contacts=[contact],
            summary=f"Met {NAME} about detention.",
            follow_up_on=date(2026, 4, 1),
        )
        shared = save_interaction(
            officer=author,
            kind=InteractionKind.EVENT,
            occurred_at=datetime(2026, 3, 2, 9, tzinfo=UTC),
            contacts=[contact, colleague],
            summary=f"Side event; {NAME} spoke after the colleague.",
        )
        db.session.add(
            OutboxMessage(
                idempotency_key="erasure-test",
                kind=MessageKind.BRIEFING,
                contact_id=contact.id,
                to_address=EMAIL,
                to_name=NAME,
                subject="Briefing",
                body_text=f"Dear {NAME}",
                message_id="<erasure-test@example.org>",
                next_attempt_at=utcnow(),
            )
        )
        record_access(author, "view", contact)
        db.session.commit()
        folder = captured_mail_folder(app.instance_path)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{EMAIL.replace('@', '_at_')}-00001.eml").write_text(f"To: {EMAIL}\n\nDear {NAME}")
        return {"contact": contact.id, "colleague": colleague.id, "alone": alone.id, "shared": shared.id}


def _traces_in_tables() -> list[str]:
    found = []
    for table in metadata.sorted_tables:
        for row in db.session.execute(select(table)).all():
            text = " ".join(str(value) for value in row)
            found += [f"{table.name}: {trace}" for trace in TRACES if trace in text]
    return found


def _sqlite_files(app: Flask) -> list[Path]:
    database = make_url(str(db.engine.url)).database
    assert database
    return [Path(database + suffix) for suffix in ("", "-wal") if Path(database + suffix).exists()]


def test_an_admin_erases_a_contact_after_confirming(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], person: dict[str, int], backend: str
) -> None:
    admin = make_user(Role.ADMIN, email="erasing-admin@example.org")
    sign_in(client, admin)
    url = f"/contacts/{person['contact']}/erase"
    assert "Erase for good" in client.get(f"/contacts/{person['contact']}").get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "1 interaction with them alone" in page and "from 1 shared" in page and "cannot be undone" in page

    refused = client.post(url, data={"confirm_name": "someone else"}, follow_redirects=True)
    assert "full name exactly as shown" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Contact, person["contact"]) is not None
        db.session.remove()
        if backend == "sqlite":
            db.reclaim_deleted_space()
            assert any(NAME.encode() in f.read_bytes() for f in _sqlite_files(app))  # the check can fail

    done = client.post(url, data={"confirm_name": f"  {NAME.lower()} "})
    assert done.status_code == 302 and done.headers["Location"] == "/contacts"
    with app.app_context():
        assert db.session.get(Contact, person["contact"]) is None
        assert db.session.get(Interaction, person["alone"]) is None
        shared = db.session.get(Interaction, person["shared"])
        assert shared is not None and [c.id for c in shared.contacts] == [person["colleague"]]
        assert shared.summary == "Side event; [erased] spoke after the colleague."
        assert db.session.scalars(select(Task)).all() == []
        assert _traces_in_tables() == []
        entries = db.session.scalars(select(AuditLog)).all()
        assert [(e.action, e.contact_id) for e in entries] == [("contact erased", None)]
        assert entries[0].detail == (
            f"Contact #{person['contact']} erased by erasing-admin@example.org on {utcnow():%Y-%m-%d}."
        )
        db.session.remove()
        if backend == "sqlite":
            for file in _sqlite_files(app):
                data = file.read_bytes()
                assert all(trace.encode() not in data for trace in TRACES), file.name
    assert list(captured_mail_folder(app.instance_path).glob("*.eml")) == []


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.OFFICER, Role.VIEWER])
def test_only_admins_erase(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], person: dict[str, int], role: Role
) -> None:
    sign_in(client, make_user(role))
    url = f"/contacts/{person['contact']}/erase"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"confirm_name": NAME}).status_code == 403
    with app.app_context():
        assert db.session.get(Contact, person["contact"]) is not None


def test_the_command_line_erases_in_an_admin_s_name(
    app: Flask, make_user: Callable[..., User], person: dict[str, int]
) -> None:
    runner = app.test_cli_runner()
    officer = make_user(Role.OFFICER)
    refused = runner.invoke(cli, ["contacts", "erase", EMAIL, "--by", officer.email, "--yes"])
    assert refused.exit_code == 1 and "only admins erase" in refused.output
    admin = make_user(Role.ADMIN)
    kept = runner.invoke(cli, ["contacts", "erase", EMAIL, "--by", admin.email], input="n\n")
    assert kept.exit_code == 1 and "Nothing was erased" in kept.output
    with app.app_context():
        assert db.session.get(Contact, person["contact"]) is not None
    done = runner.invoke(cli, ["contacts", "erase", f"#{person['contact']}", "--by", admin.email, "--yes"])
    assert done.exit_code == 0, done.output
    assert f"Contact #{person['contact']} erased by {admin.email}" in done.output
    with app.app_context():
        assert _traces_in_tables() == []
