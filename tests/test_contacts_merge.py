"""Merging is deliberate and reversible: nothing pre-selected, a preview, a confirmation naming both, undo.

Contacts and organisations alike; at-risk people merge only for their team's officers and admins.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.contacts.interactions import save_interaction
from crm.contacts.merging import UNDO_DAYS, merge_contacts, undo_merge
from crm.contacts.models import (
    AgencyMandate,
    Contact,
    Interaction,
    InteractionKind,
    Organisation,
    OrganisationKind,
    RecordMerge,
    SafetyLevel,
    Task,
    TaskKind,
)
from crm.contacts.services import ContactError
from crm.db import db, utcnow
from crm.teams.models import Assignment, AssignmentAction, AssignmentChange, Team
from crm.teams.services import assign
from tests.conftest import sign_in
from tests.contacts_world import World, build_world
from upr.cli import cli


def _world_with_duplicate(app: Flask, make_user: Callable[..., User]) -> tuple[World, User, int]:
    """Åsa typed in twice: the duplicate has a phone, a task, a posting end and a meeting of her own."""
    with app.app_context():
        world = build_world()
    officer = make_user(Role.OFFICER, email="officer@example.org", teams=[world.team])
    with app.app_context():
        duplicate = Contact(
            organisation_id=world.ids["swe_mission"],
            full_name="Asa Bergstrom",
            email="asa.b@example.org",
            phone="+41 22 1",
            posting_end=date(2027, 8, 31),
            owner_team_id=world.ids["team"],
        )
        db.session.add(duplicate)
        me = db.session.get(User, officer.id)
        assert me is not None
        asa = db.session.get(Contact, world.ids["asa"])
        assert asa is not None
        save_interaction(
            officer=me,
            kind=InteractionKind.MEETING,
            contacts=[asa],
            occurred_at=datetime(2025, 3, 1, tzinfo=UTC),
        )
        save_interaction(
            officer=me,
            kind=InteractionKind.CALL,
            contacts=[duplicate],
            occurred_at=datetime(2025, 3, 2, tzinfo=UTC),
            follow_up_on=date(2025, 3, 9),
        )
        db.session.flush()
        db.session.add(Task(title="Send the report", due_on=date(2025, 4, 1), contact_id=duplicate.id))
        db.session.commit()
        return world, officer, duplicate.id


def _interaction_ids(contact_id: int) -> set[int]:
    query = select(Interaction.id).where(Interaction.contacts.any(Contact.id == contact_id))
    return set(db.session.scalars(query))


def test_a_contact_merge_is_chosen_previewed_confirmed_and_undone(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world, officer, duplicate_id = _world_with_duplicate(app, make_user)
    with app.app_context():
        asa_interactions, duplicate_interactions = (
            _interaction_ids(world.ids["asa"]),
            _interaction_ids(duplicate_id),
        )
    sign_in(client, officer)
    asa = world.ids["asa"]

    page = client.get(f"/contacts/{asa}").get_data(as_text=True)
    choice = page.split('id="merge-choice"')[1].split("</form>")[0]
    # Nothing is chosen for the officer: the first option is the empty one and the field is required.
    assert '<option value="">Choose the duplicate…</option>' in choice and "selected" not in choice
    assert 'method="get"' in page.split('id="merge-choice"')[0][-200:]

    preview = client.get(f"/contacts/{asa}/merge?duplicate_id={duplicate_id}").get_data(as_text=True)
    assert "Merge Asa Bergstrom into Åsa Bergström?" in preview
    moves = preview.split('id="merge-moves"')[1].split("</ul>")[0]
    assert "1 interaction move to Åsa Bergström" in moves
    assert "2 tasks move (2 still open)" in moves  # the follow-up of the call and the report
    fills = preview.split('id="merge-fills"')[1].split("</ul>")[0]
    assert "phone: +41 22 1" in fills and "posting end: 2027-08-31" in fills
    assert ">Merge Asa Bergstrom into Åsa Bergström</button>" in preview
    with app.app_context():  # the preview changed nothing
        assert db.session.get(Contact, duplicate_id).merged_into_id is None  # type: ignore[union-attr]
        assert db.session.scalar(select(RecordMerge.id)) is None

    # A POST without the confirmation only shows the preview again.
    unconfirmed = client.post(f"/contacts/{asa}/merge", data={"duplicate_id": duplicate_id})
    assert unconfirmed.status_code == 200 and "What moves" in unconfirmed.get_data(as_text=True)

    done = client.post(
        f"/contacts/{asa}/merge", data={"duplicate_id": duplicate_id, "confirm": "1"}, follow_redirects=True
    )
    text = done.get_data(as_text=True)
    until = (utcnow() + timedelta(days=UNDO_DAYS)).strftime("%-d %B %Y")
    assert f"Asa Bergstrom merged into Åsa Bergström. You can undo it below until {until}." in text
    assert "Undo this merge" in text
    with app.app_context():
        kept = db.session.get(Contact, asa)
        merged = db.session.get(Contact, duplicate_id)
        assert kept is not None and merged is not None  # the duplicate is kept, not deleted
        assert merged.merged_into_id == asa and merged.archived_at is not None
        assert kept.phone == "+41 22 1" and kept.posting_end == date(2027, 8, 31)
        assert "asa.b@example.org" in kept.notes
        assert _interaction_ids(asa) == asa_interactions | duplicate_interactions
        assert _interaction_ids(duplicate_id) == set()
        assert {t.title for t in db.session.scalars(select(Task).where(Task.contact_id == asa))} >= {
            "Send the report"
        }
        merge_id = db.session.scalar(select(RecordMerge.id))
    # The merged record's own page says where it went and offers the undo too.
    merged_page = client.get(f"/contacts/{duplicate_id}").get_data(as_text=True)
    assert "This record was merged into" in merged_page and "Undo this merge" in merged_page
    # A merged contact is out of the lists like an archived one.
    assert "Asa Bergstrom" not in client.get("/contacts").get_data(as_text=True)

    undone = client.post(f"/merges/{merge_id}/undo", follow_redirects=True).get_data(as_text=True)
    assert "Merge undone: Asa Bergstrom is a separate record again, next to Åsa Bergström." in undone
    with app.app_context():
        kept = db.session.get(Contact, asa)
        merged = db.session.get(Contact, duplicate_id)
        assert kept is not None and merged is not None
        assert merged.merged_into_id is None and merged.archived_at is None
        assert kept.phone == "" and kept.posting_end is None and "asa.b@example.org" not in kept.notes
        assert _interaction_ids(asa) == asa_interactions
        assert _interaction_ids(duplicate_id) == duplicate_interactions
        report = db.session.scalar(select(Task).where(Task.title == "Send the report"))
        assert report is not None and report.contact_id == duplicate_id
        follow_up = db.session.scalar(select(Task).where(Task.kind == TaskKind.FOLLOW_UP))
        assert follow_up is not None and follow_up.contact_id == duplicate_id
    assert (
        client.post(f"/merges/{merge_id}/undo", follow_redirects=True)
        .get_data(as_text=True)
        .count("was already undone")
    )


def test_undo_keeps_what_was_changed_after_the_merge_and_expires_after_30_days(
    app: Flask, make_user: Callable[..., User]
) -> None:
    world, _officer, duplicate_id = _world_with_duplicate(app, make_user)
    with app.app_context():
        keep, duplicate = db.session.get(Contact, world.ids["asa"]), db.session.get(Contact, duplicate_id)
        assert keep is not None and duplicate is not None
        duplicate.email = None
        keep.email = None
        db.session.flush()
        duplicate.email = "asa.b@example.org"
        record = merge_contacts(keep, duplicate)
        assert keep.email == "asa.b@example.org" and duplicate.email is None  # the address moved
        keep.phone = "+41 22 999"  # corrected by hand after the merge
        db.session.commit()
        with_deadline = db.session.get(RecordMerge, record.id)
        assert with_deadline is not None
        too_late = with_deadline.merged_at + timedelta(days=UNDO_DAYS, seconds=1)
        try:
            undo_merge(with_deadline, now=too_late)
        except ContactError as error:
            assert f"more than {UNDO_DAYS} days old" in str(error)
        else:
            raise AssertionError("an undo after 30 days was accepted")
        unchanged = undo_merge(with_deadline, now=with_deadline.merged_at + timedelta(days=UNDO_DAYS - 1))
        db.session.commit()
        assert unchanged == ["phone"]
        assert keep.phone == "+41 22 999" and keep.email is None
        assert duplicate.email == "asa.b@example.org" and duplicate.archived_at is None


def test_the_stricter_safety_level_wins_and_is_put_back(app: Flask, make_user: Callable[..., User]) -> None:
    world, _officer, duplicate_id = _world_with_duplicate(app, make_user)
    with app.app_context():
        keep, duplicate = db.session.get(Contact, world.ids["asa"]), db.session.get(Contact, duplicate_id)
        assert keep is not None and duplicate is not None
        duplicate.safety_level = SafetyLevel.AT_RISK
        record = merge_contacts(keep, duplicate)
        db.session.commit()
        assert keep.safety_level is SafetyLevel.AT_RISK
        undo_merge(record)
        db.session.commit()
        assert keep.safety_level is SafetyLevel.NORMAL and duplicate.safety_level is SafetyLevel.AT_RISK


def test_at_risk_contacts_merge_only_for_their_teams_officers_and_admins(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        world = build_world()
        twin = Contact(
            organisation_id=world.hidden.organisation_id,
            full_name="Hidden Person",
            email="hidden.2@example.org",
            safety_level=SafetyLevel.AT_RISK,
            owner_team_id=world.ids["team"],
        )
        unowned = Contact(organisation_id=world.hidden.organisation_id, full_name="Nobody's Contact")
        db.session.add_all([twin, unowned])
        db.session.commit()
        twin_id, unowned_id = twin.id, unowned.id
    hidden = world.ids["hidden"]
    outsider = make_user(Role.OFFICER, teams=[world.other_team])
    sign_in(client, outsider)
    assert client.get(f"/contacts/{hidden}/merge?duplicate_id={twin_id}").status_code == 404
    refused = client.post(f"/contacts/{hidden}/merge", data={"duplicate_id": twin_id, "confirm": "1"})
    assert refused.status_code == 404
    # Nor may an outsider fold an at-risk person into someone they may edit.
    into_unowned = client.post(
        f"/contacts/{unowned_id}/merge", data={"duplicate_id": twin_id, "confirm": "1"}
    )
    assert into_unowned.status_code == 404
    client.post("/sign-out")
    sign_in(client, make_user(Role.OFFICER, teams=[world.team]))
    preview = client.get(f"/contacts/{hidden}/merge?duplicate_id={twin_id}").get_data(as_text=True)
    assert "Merge Hidden Person (hidden.2@example.org) into Hidden Person (hidden@example.org)?" in preview
    ok = client.post(f"/contacts/{hidden}/merge", data={"duplicate_id": twin_id, "confirm": "1"})
    assert ok.status_code == 302
    with app.app_context():
        assert db.session.get(Contact, twin_id).merged_into_id == hidden  # type: ignore[union-attr]


def test_an_organisation_merge_is_previewed_and_undone_with_people_assignments_and_mandates(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        world = build_world()
        duplicate = Organisation(
            name="Swedish Mission Geneva",
            kind=OrganisationKind.MISSION_GENEVA,
            state_code="SWE",
            city="Geneva",
        )
        duplicate.contacts.append(Contact(full_name="Moved Person", email="moved@example.org"))
        db.session.add(duplicate)
        db.session.flush()
        db.session.add(AgencyMandate(organisation_id=duplicate.id, theme_id=world.ids["theme"]))
        db.session.commit()
        duplicate_id = duplicate.id
    anna = make_user(Role.OFFICER, email="anna@example.org", teams=[world.team])
    ben = make_user(Role.OFFICER, email="ben@example.org", teams=[world.team])
    with app.app_context():
        team = db.session.get(Team, world.ids["team"])
        kept_org = db.session.get(Organisation, world.ids["swe_mission"])
        twin = db.session.get(Organisation, duplicate_id)
        assert team is not None and kept_org is not None and twin is not None
        assign(team, db.session.get(User, anna.id), organisation=kept_org)  # type: ignore[arg-type]
        assign(team, db.session.get(User, ben.id), organisation=twin)  # type: ignore[arg-type]
        db.session.commit()
    sign_in(client, make_user(Role.COORDINATOR, teams=[world.team]))
    keep_url = f"/organisations/{world.ids['swe_mission']}"
    page = client.get(keep_url).get_data(as_text=True)
    choice = page.split('id="merge-choice"')[1].split("</form>")[0]
    assert "Swedish Mission Geneva" in choice and "selected" not in choice
    other_state = client.post(
        f"/organisations/{world.ids['che_mission']}/merge",
        data={"duplicate_id": duplicate_id, "confirm": "1"},
        follow_redirects=True,
    )
    assert "belong to different states; they are not duplicates" in other_state.get_data(as_text=True)

    preview = client.get(f"{keep_url}/merge?duplicate_id={duplicate_id}").get_data(as_text=True)
    assert "Merge Swedish Mission Geneva into Mission of Sweden?" in preview
    assert "1 person (with their history) move to Mission of Sweden" in preview
    assert "1 mandate move" in preview
    # One owner per mission: the kept mission is Anna's, so Ben's assignment of the twin is given back.
    assert "ben@example.org&#39;s assignment of Swedish Mission Geneva is given back" in preview
    assert (
        client.post(f"{keep_url}/merge", data={"duplicate_id": duplicate_id, "confirm": "1"}).status_code
        == 302
    )
    with app.app_context():
        moved = db.session.scalar(select(Contact).where(Contact.email == "moved@example.org"))
        assert moved is not None and moved.organisation_id == world.ids["swe_mission"]
        assert db.session.get(Organisation, duplicate_id).merged_into_id == world.ids["swe_mission"]  # type: ignore[union-attr]
        holders = db.session.scalars(
            select(Assignment.officer_id).where(Assignment.organisation_id.is_not(None))
        )
        assert list(holders) == [anna.id]
        given_back = db.session.scalar(
            select(AssignmentChange).where(AssignmentChange.action == AssignmentAction.UNASSIGNED)
        )
        assert given_back is not None and "merged into Mission of Sweden" in given_back.note
        merge_id = db.session.scalar(select(RecordMerge.id))
    client.post(f"/merges/{merge_id}/undo")
    with app.app_context():
        moved = db.session.scalar(select(Contact).where(Contact.email == "moved@example.org"))
        assert moved is not None and moved.organisation_id == duplicate_id
        twin = db.session.get(Organisation, duplicate_id)
        assert twin is not None and twin.merged_into_id is None and twin.archived_at is None
        mandate = db.session.scalar(
            select(AgencyMandate).where(AgencyMandate.organisation_id == duplicate_id)
        )
        assert mandate is not None
        owners = dict(db.session.execute(select(Assignment.organisation_id, Assignment.officer_id)).all())
        assert owners == {world.ids["swe_mission"]: anna.id, duplicate_id: ben.id}


def test_a_merged_record_comes_back_only_by_its_undo_and_a_protected_side_stays_unnamed(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        world = build_world()
        plain = Contact(
            organisation_id=world.hidden.organisation_id, full_name="Plain Twin", email="p@example.org"
        )
        db.session.add(plain)
        hidden = db.session.get(Contact, world.ids["hidden"])
        assert hidden is not None
        record = merge_contacts(hidden, plain)  # folded into the at-risk person
        db.session.commit()
        plain_id, merge_id = plain.id, record.id
    # "Bring back from the archive" is not how a merged record comes back.
    refused = runner.invoke(cli, ["contacts", "archive", "p@example.org", "--undo"])
    assert refused.exit_code != 0 and "undo the merge to bring it back" in refused.output
    sign_in(client, make_user(Role.OFFICER, teams=[world.other_team]))
    page = client.get(f"/contacts/{plain_id}").get_data(as_text=True)
    merges = page.split('id="merges"')[1].split("</section>")[0]
    # The outsider sees that it was merged, not into whom, and cannot undo it.
    assert "This record was merged into a protected contact" in merges
    assert "Hidden Person" not in page and "Undo this merge" not in merges
    assert "Bring back from the archive" not in page
    assert client.post(f"/merges/{merge_id}/undo").status_code == 404
    brought_back = client.post(f"/contacts/{plain_id}/archive", data={"undo": "1"}, follow_redirects=True)
    assert "undo the merge to bring it back" in brought_back.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Contact, plain_id).merged_into_id == world.ids["hidden"]  # type: ignore[union-attr]
