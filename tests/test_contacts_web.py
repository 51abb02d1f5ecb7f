"""Contacts in the web UI: access rules for every role, at-risk protection, editing, archiving (merging:
``test_contacts_merge``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from crm.auth.models import Role, User
from crm.contacts.interactions import save_interaction
from crm.contacts.models import (
    AuditLog,
    Contact,
    Interaction,
    InteractionKind,
    Succession,
    Task,
    TaskKind,
)
from crm.db import db
from tests.conftest import sign_in
from tests.contacts_world import World, build_world


def _world(app: Flask) -> World:
    with app.app_context():
        return build_world()


def _as(client: FlaskClient, make_user: Callable[..., User], role: Role, team: object | None) -> User:
    user = make_user(role, teams=[team] if team is not None else [])
    sign_in(client, user)
    return user


def _audit_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditLog)) or 0


def test_officer_of_another_team_cannot_open_an_at_risk_contact_by_url(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    _as(client, make_user, Role.OFFICER, world.other_team)
    hidden = world.ids["hidden"]
    assert client.get(f"/contacts/{hidden}").status_code == 404
    assert client.get(f"/contacts/{hidden}/edit").status_code == 404
    assert client.post(f"/contacts/{hidden}/archive").status_code == 404
    listing = client.get("/contacts").get_data(as_text=True)
    assert "Hidden Person" not in listing and "Åsa Bergström" in listing
    assert _audit_count(app) == 0


def test_team_officer_and_admin_see_an_at_risk_contact_and_each_view_is_audited(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    officer = _as(client, make_user, Role.OFFICER, world.team)
    page = client.get(f"/contacts/{world.ids['hidden']}")
    assert page.status_code == 200 and "Hidden Person" in page.get_data(as_text=True)
    assert client.get(f"/contacts/{world.ids['asa']}").status_code == 200  # not at risk: not audited
    with app.app_context():
        entry = db.session.scalars(select(AuditLog)).one()
        assert (entry.user_id, entry.action, entry.contact_id) == (officer.id, "view", world.ids["hidden"])
    assert client.get("/audit").status_code == 403  # only admins read the audit log
    client.post("/sign-out")
    _as(client, make_user, Role.ADMIN, None)
    assert client.get(f"/contacts/{world.ids['hidden']}").status_code == 200
    audit = client.get("/audit")
    assert audit.status_code == 200 and audit.get_data(as_text=True).count(f"#{world.ids['hidden']}") == 2


def test_viewer_of_the_team_reads_but_neither_edits_nor_sees_at_risk_people(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    _as(client, make_user, Role.VIEWER, world.team)
    assert client.get(f"/contacts/{world.ids['asa']}").status_code == 200
    assert client.get(f"/contacts/{world.ids['hidden']}").status_code == 404
    assert client.get("/contacts/new").status_code == 403
    assert client.post(f"/contacts/{world.ids['asa']}/edit", data={"full_name": "X"}).status_code == 403
    assert client.post("/interactions/new").status_code == 403
    assert client.post(f"/teams/{world.ids['team']}/assign", data={"state": "SWE"}).status_code == 403
    assert client.post("/agency-mandates", data={"theme_id": "all"}).status_code == 403
    assert client.get("/contacts/export.csv").status_code == 403


def _contact_form(world: World, **changes: object) -> dict[str, object]:
    form: dict[str, object] = {
        "organisation_id": world.ids["swe_mission"],
        "full_name": "Åsa Bergström",
        "title": "Minister Counsellor",
        "email": "asa@example.org",
        "languages": "sv;en",
        "timezone": "Europe/Zurich",
        "safety_level": "normal",
        "owner_team_id": world.ids["team"],
    }
    form.update(changes)
    return form


def test_officer_edits_their_teams_contacts_only(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    _as(client, make_user, Role.OFFICER, world.other_team)
    assert client.post(f"/contacts/{world.ids['asa']}/edit", data=_contact_form(world)).status_code == 403
    client.post("/sign-out")
    _as(client, make_user, Role.OFFICER, world.team)
    response = client.post(f"/contacts/{world.ids['asa']}/edit", data=_contact_form(world))
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Contact, world.ids["asa"]).title == "Minister Counsellor"  # type: ignore[union-attr]


def test_bad_input_is_one_message_and_nothing_is_saved(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    _as(client, make_user, Role.COORDINATOR, world.team)
    backwards = _contact_form(
        world,
        full_name="New Person",
        email="new@example.org",
        posting_start="2025-09-01",
        posting_end="2024-01-01",
    )
    page = client.post("/contacts/new", data=backwards, follow_redirects=True).get_data(as_text=True)
    assert "The posting ends (2024-01-01) before it starts (2025-09-01)." in page
    taken = client.post(
        "/contacts/new", data=_contact_form(world, full_name="Copy", email="JOHAN@example.org")
    )
    assert f"already belongs to contact #{world.ids['johan']}" in taken.get_data(as_text=True)
    malformed = client.post("/contacts/new", data=_contact_form(world, full_name="M", email="m@@example.org"))
    assert "is not a valid e-mail address" in malformed.get_data(as_text=True)
    created = client.post("/contacts/new", data=_contact_form(world, full_name="Idn", email="用户@例子.广告"))
    assert created.status_code == 302
    with app.app_context():
        names = set(db.session.scalars(select(Contact.full_name)))
        assert "New Person" not in names and "Copy" not in names and "Idn" in names


def test_archive_can_be_undone_and_hides_from_mapping(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    _as(client, make_user, Role.OFFICER, world.team)
    url = f"/contacts/{world.ids['asa']}/archive"
    assert client.post(url).status_code == 302
    client.get("/contacts")  # shows the flash message naming the person
    brief = client.get(f"/recommendations/{world.ids['rec_swe']}/who-to-brief").get_data(as_text=True)
    assert "Åsa Bergström" not in brief and "Johan Ekholm" in brief
    assert "Åsa" in client.get("/contacts?archived=1").get_data(as_text=True)
    assert client.post(url, data={"undo": "1"}).status_code == 302
    with app.app_context():
        assert db.session.get(Contact, world.ids["asa"]).archived_at is None  # type: ignore[union-attr]


def test_successor_is_asked_for_and_recorded(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    _as(client, make_user, Role.OFFICER, world.team)
    with app.app_context():
        newcomer = Contact(
            organisation_id=world.maria.organisation_id,
            full_name="New Desk Officer",
            email="desk@example.org",
            posting_start=date(2024, 7, 1),
        )
        db.session.add(newcomer)
        db.session.commit()
        newcomer_id = newcomer.id
    page = client.get(f"/contacts/{world.ids['maria']}").get_data(as_text=True)
    assert "This posting ended on 30 June 2024" in page and "Who is the successor?" in page
    assert "New Desk Officer" in page
    response = client.post(f"/contacts/{world.ids['maria']}/successor", data={"successor_id": newcomer_id})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Succession, world.ids["maria"]).successor_id == newcomer_id  # type: ignore[union-attr]
    assert "Succeeded by" in client.get(f"/contacts/{world.ids['maria']}").get_data(as_text=True)
    assert "New Desk Officer" not in client.get("/coverage").get_data(as_text=True)


def test_logging_an_interaction_with_a_follow_up_puts_a_task_on_the_officers_calendar(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    officer = _as(client, make_user, Role.OFFICER, world.team)
    form = {
        "kind": "meeting",
        "occurred_at": "2026-03-10T10:30",
        "timezone": "Europe/Zurich",
        "contact_ids": [world.ids["asa"], world.ids["hidden"]],
        "recommendations": "CHN-3 28.83, 28.176",
        "summary": "Mid-term review plans",
        "outcome": "Send our assessment",
        "follow_up_on": "2026-04-15",
    }
    assert client.post("/interactions/new", data=form).status_code == 302
    with app.app_context():
        interaction = db.session.scalars(select(Interaction)).one()
        assert interaction.occurred_at == datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
        assert [r.number for r in interaction.recommendations] == ["28.83", "28.176"]
        task = db.session.scalars(select(Task)).one()
        assert (task.kind, task.due_on, task.assignee_id) == (
            TaskKind.FOLLOW_UP,
            date(2026, 4, 15),
            officer.id,
        )
        assert "Hidden" not in task.title and "Åsa" not in task.title
    bad = client.post("/interactions/new", data={**form, "recommendations": "CHN-3 99.1"})
    assert "CHN-3 has no recommendation numbered 99.1." in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Interaction)) == 1


def test_export_from_the_web_never_holds_at_risk_people(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    _as(client, make_user, Role.ADMIN, world.team)
    body = client.get("/contacts/export.csv").get_data(as_text=True)
    assert "Åsa Bergström" in body and "Hidden Person" not in body
    masked = client.get("/contacts/export.csv?mask=1").get_data(as_text=True)
    assert "Å.B." in masked and "asa@example.org" not in masked


def test_editing_an_interaction_moves_its_follow_up_and_keeps_hidden_people(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    # The author is in another team: the at-risk person (marked so after the call) is hidden from them.
    author = make_user(Role.OFFICER, email="author@example.org", teams=[world.other_team])
    with app.app_context():
        people = [db.session.get(Contact, world.ids[name]) for name in ("asa", "hidden")]
        interaction = save_interaction(
            officer=db.session.get(User, author.id),  # type: ignore[arg-type]
            kind=InteractionKind.CALL,
            occurred_at=datetime(2026, 3, 10, 8, tzinfo=UTC),
            contacts=people,  # type: ignore[arg-type]
            follow_up_on=date(2026, 4, 1),
        )
        db.session.commit()
        url = f"/interactions/{interaction.id}/edit"
    _as(client, make_user, Role.OFFICER, world.team)
    # Only the officer who logged it (or an admin); others are answered as if it did not exist.
    assert client.get(url).status_code == 404
    client.post("/sign-out")
    sign_in(client, author)
    form = client.get(url).get_data(as_text=True)
    assert 'value="2026-03-10T09:00"' in form  # shown in Geneva time
    assert "Hidden Person" not in form
    edited = {
        "kind": "call", "occurred_at": "2026-03-10T09:00", "timezone": "Europe/Zurich",
        "contact_ids": [world.ids["asa"]], "follow_up_on": "2026-05-02",
    }  # fmt: skip
    assert client.post(url, data=edited).status_code == 302
    with app.app_context():
        task = db.session.scalars(select(Task)).one()
        assert task.due_on == date(2026, 5, 2) and task.assignee_id == author.id
        saved = db.session.get(Interaction, interaction.id)
        assert saved is not None and {c.id for c in saved.contacts} == {world.ids["asa"], world.ids["hidden"]}
    assert client.post(url, data={**edited, "follow_up_on": ""}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Task)) == 0


def test_a_contacts_page_names_the_recommending_states(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    _as(client, make_user, Role.OFFICER, world.team)
    basis = client.get(f"/contacts/{world.ids['asa']}").get_data(as_text=True).split('class="list basis"')[1]
    row = basis.split("28.83")[1].split("</tr>")[0]
    assert "<td>Sweden, Norway</td>" in row and "SWE" not in row
