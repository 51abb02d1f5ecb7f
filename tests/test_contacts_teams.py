"""Teams divide the outreach: assignments, the board, a suggested split, coalition exchange and coverage."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.contacts.coverage import ended_postings, missions_not_contacted, states_without_contact
from crm.contacts.interactions import save_interaction
from crm.contacts.models import Contact, InteractionKind
from crm.db import db
from crm.models import Recommendation, RecommendingState, State
from crm.teams.models import Assignment, CoalitionClaim, Team
from crm.teams.services import AssignmentError, assign_state, set_priority_themes
from crm.teams.split import suggest_split
from tests.conftest import sign_in
from tests.contacts_world import World, build_world

SAMPLES = Path(__file__).parent / "samples" / "contacts"


def _prioritised_world(app: Flask) -> World:
    """The world, with the team's priority theme set and more states recommending on it."""
    with app.app_context():
        world = build_world()
        set_priority_themes(world.team, {world.ids["theme"]})
        theme = world.theme
        for n, codes in enumerate((["FRA"], ["FRA", "DEU"], ["BRA"], ["KEN"], ["JPN"]), start=1):
            rec = Recommendation(
                review=world.review, number=f"28.{900 + n}", sort_key=900 + n, text=f"R{n}", themes=[theme]
            )
            rec.recommending = [RecommendingState(state_code=c, position=i) for i, c in enumerate(codes)]
            db.session.add(rec)
        db.session.commit()
        return world


def test_assigning_a_state_to_someone_outside_the_team_is_refused(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _prioritised_world(app)
    coordinator = make_user(Role.COORDINATOR, teams=[world.team])
    outsider = make_user(Role.OFFICER, email="outsider@example.org", teams=[world.other_team])
    member = make_user(Role.OFFICER, email="member@example.org", teams=[world.team])
    sign_in(client, coordinator)
    refused = client.post(
        f"/teams/{world.ids['team']}/assign",
        data={"state": "Sweden", "officer_id": outsider.id},
        follow_redirects=True,
    )
    assert "outsider@example.org is not a member of China team" in refused.get_data(as_text=True)
    ok = client.post(
        f"/teams/{world.ids['team']}/assign",
        data={"state": "France", "officer_id": member.id},
        follow_redirects=True,
    )
    assert "France assigned to member@example.org." in ok.get_data(as_text=True)
    with app.app_context():
        held = db.session.scalars(select(Assignment)).all()
        assert [(a.state_code, a.officer_id) for a in held] == [("FRA", member.id)]
    # Coordinators manage only their own teams; officers manage none.
    assert client.post(f"/teams/{world.ids['other_team']}/assign", data={"state": "SWE"}).status_code == 403
    client.post("/sign-out")
    sign_in(client, member)
    assert client.post(f"/teams/{world.ids['team']}/assign", data={"state": "SWE"}).status_code == 403


def test_board_shows_loads_and_unassigned_states(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _prioritised_world(app)
    member = make_user(Role.OFFICER, email="member@example.org", teams=[world.team])
    with app.app_context():
        assign_state(db.session.get(Team, world.ids["team"]), db.session.get(User, member.id), "SWE")  # type: ignore[arg-type]
        db.session.commit()
    sign_in(client, make_user(Role.VIEWER, teams=[world.team]))
    page = client.get(f"/teams?team={world.ids['team']}").get_data(as_text=True)
    loads = page.split('id="loads"')[1].split("</table>")[0]
    # Sweden: 1 priority recommendation (28.83) and 4 contacts on file (the at-risk one is Norwegian).
    assert "member@example.org" in loads and "Sweden" in loads
    assert '<td class="num">4</td><td class="num">1</td>' in loads
    unassigned = page.split('id="unassigned"')[1].split("</ul>")[0]
    # CHN-3, the latest review: every recommending state, most on the priority themes first.
    assert (
        "France (2, 2 on priority themes)" in unassigned and "Norway (1, 1 on priority themes)" in unassigned
    )
    assert "Sweden" not in unassigned and "Switzerland (1, 0 on priority themes)" in unassigned
    assert unassigned.index("France") < unassigned.index("Norway") < unassigned.index("Switzerland")
    assert "Suggest a split" not in page  # viewers do not manage


def test_suggested_split_is_even_and_mixes_regional_groups(
    app: Flask, make_user: Callable[..., User]
) -> None:
    world = _prioritised_world(app)
    first = make_user(Role.OFFICER, email="a@example.org", teams=[world.team])
    second = make_user(Role.OFFICER, email="b@example.org", teams=[world.team])
    with app.app_context():
        team = db.session.get(Team, world.ids["team"])
        assert team is not None
        proposal = suggest_split(team)
        counts = {"FRA": 2, "SWE": 1, "NOR": 1, "DEU": 1, "BRA": 1, "KEN": 1, "JPN": 1}
        loads = [sum(counts[c] for c in proposal[user.id]) for user in (first, second)]
        assert sorted(c for codes in proposal.values() for c in codes) == sorted(counts)
        assert abs(loads[0] - loads[1]) <= 1
        for codes in proposal.values():
            groups = {db.session.get(State, c).regional_group for c in codes}  # type: ignore[union-attr]
            assert len(groups) >= 2


def test_coordinator_accepts_an_edited_split(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _prioritised_world(app)
    member = make_user(Role.OFFICER, email="member@example.org", teams=[world.team])
    sign_in(client, make_user(Role.COORDINATOR, teams=[world.team]))
    page = client.get(f"/teams?team={world.ids['team']}&split=1").get_data(as_text=True)
    assert 'name="state_FRA"' in page
    response = client.post(
        f"/teams/{world.ids['team']}/split",
        data={"state_FRA": str(member.id), "state_KEN": "", "state_BRA": str(member.id)},
    )
    assert response.status_code == 302
    with app.app_context():
        assert sorted(db.session.scalars(select(Assignment.state_code))) == ["BRA", "FRA"]


def test_coalition_exchange_holds_states_and_themes_only(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _prioritised_world(app)
    coordinator = make_user(Role.COORDINATOR, teams=[world.team])
    with app.app_context():
        assign_state(db.session.get(Team, world.ids["team"]), db.session.get(User, coordinator.id), "SWE")  # type: ignore[arg-type]
        db.session.commit()
    sign_in(client, coordinator)
    exported = client.get(f"/teams/{world.ids['team']}/coalition.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert rows == [{"state_code": "SWE", "state": "Sweden", "themes": "NON-DISCRIMINATION AND EQUALITY"}]
    assert "@" not in exported and "Åsa" not in exported
    url = f"/teams/{world.ids['team']}/coalition"
    with (SAMPLES / "coalition-personal.csv").open("rb") as handle:
        refused = client.post(
            url, data={"partner": "Lantern", "file": (handle, "p.csv")}, follow_redirects=True
        )
    assert "a coalition file holds states and themes only" in refused.get_data(as_text=True)
    with (SAMPLES / "coalition.csv").open("rb") as handle:
        client.post(url, data={"partner": "Lantern", "file": (handle, "c.csv")})
    with app.app_context():
        assert sorted(db.session.scalars(select(CoalitionClaim.state_code))) == ["NOR", "SWE"]
    board = client.get(f"/teams?team={world.ids['team']}").get_data(as_text=True)
    assert "briefed by Lantern" in board.split('id="unassigned"')[1]  # Norway, unassigned here


def test_coverage_gaps(app: Flask, client: FlaskClient, make_user: Callable[..., User]) -> None:
    world = _prioritised_world(app)
    officer = make_user(Role.OFFICER, teams=[world.team])
    today = date(2026, 1, 1)
    with app.app_context():
        team = db.session.get(Team, world.ids["team"])
        assert team is not None
        gaps = {gap.state.code: gap.priority_recommendations for gap in states_without_contact(team, today)}
        # Sweden and Norway have current contacts; France made two priority recommendations and has none.
        assert gaps == {"FRA": 2, "DEU": 1, "BRA": 1, "KEN": 1, "JPN": 1}
        assert [c.full_name for c in ended_postings(today, None)] == ["Maria Sundberg"]
        since, missions = missions_not_contacted(today)
        assert since == date(2018, 11, 6)
        assert [m.name for m in missions] == [
            "Mission of Norway",
            "Mission of Sweden",
            "Mission of Switzerland",
        ]
        save_interaction(
            officer=db.session.get(User, officer.id),
            kind=InteractionKind.EMAIL,  # type: ignore[arg-type]
            occurred_at=datetime(2025, 1, 1, tzinfo=UTC),
            contacts=[db.session.get(Contact, world.ids["asa"])],
        )  # type: ignore[list-item]
        db.session.commit()
        assert [m.name for m in missions_not_contacted(today)[1]] == [
            "Mission of Norway",
            "Mission of Switzerland",
        ]
    sign_in(client, officer)
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert "Coverage gaps" in dashboard and "France (2)" in dashboard
    assert "2 Geneva missions not contacted since the last review (6 Nov 2018)" in dashboard
    assert "Mission of Norway</a> — not contacted since the last review" in dashboard
    assert "Maria Sundberg" in client.get("/coverage").get_data(as_text=True)


def test_assignment_service_refuses_unknown_state_and_viewers(
    app: Flask, make_user: Callable[..., User]
) -> None:
    world = _prioritised_world(app)
    viewer = make_user(Role.VIEWER, teams=[world.team])
    officer = make_user(Role.OFFICER, teams=[world.team])
    with app.app_context():
        team = db.session.get(Team, world.ids["team"])
        assert team is not None
        for user, code, message in ((viewer, "SWE", "is a viewer"), (officer, "XXX", "not the alpha-3 code")):
            try:
                assign_state(team, db.session.get(User, user.id), code)  # type: ignore[arg-type]
            except AssignmentError as error:
                assert message in str(error)
            else:
                raise AssertionError(f"assigning {code} to {user.email} was accepted")


def test_coverage_gaps_lead_to_adding_a_contact_or_assigning(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _prioritised_world(app)
    sign_in(client, make_user(Role.COORDINATOR, teams=[world.team]))
    page = client.get(f"/coverage?team={world.ids['team']}").get_data(as_text=True)
    gaps = page.split('id="gaps"')[1].split("</ul>")[0]
    assert 'href="/contacts/new?state=France">add a contact for France</a>' in gaps
    assert (
        f'href="/teams?team={world.ids["team"]}&amp;review=all&amp;assign=France#assign">assign France</a>'
        in gaps
    )
    # France has no organisation on file: the form says so and links to adding its mission, prefilled.
    form = client.get("/contacts/new?state=France").get_data(as_text=True)
    assert "New contact <small>for France</small>" in form
    callout = form.split('id="no-organisation"')[1].split("</p>")[0]
    assert 'href="/organisations/new?state=France&amp;kind=mission_geneva"' in callout
    organisation_form = client.get("/organisations/new?state=France&kind=mission_geneva").get_data(
        as_text=True
    )
    assert 'name="state" type="text" value="France"' in organisation_form
    assert (
        'value="mission_geneva" selected' in organisation_form
        or 'selected value="mission_geneva"' in organisation_form
    )
    # The board's assign form comes prefilled with the state.
    board = client.get(f"/teams?team={world.ids['team']}&review=all&assign=France").get_data(as_text=True)
    assert 'name="state" placeholder="Sweden or SWE" value="France"' in board
    # Norway has one organisation: it is chosen for the person (the link said which state).
    norway = client.get("/contacts/new?state=NOR").get_data(as_text=True)
    chosen = norway.split('name="organisation_id"')[1].split("</select>")[0]
    assert "selected" in chosen.split("Mission of Norway")[0].rsplit("<option", 1)[1]


def test_the_organisation_of_a_new_contact_is_never_chosen_silently(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _prioritised_world(app)
    sign_in(client, make_user(Role.OFFICER, teams=[world.team]))
    form = client.get("/contacts/new").get_data(as_text=True)
    choices = form.split('name="organisation_id"')[1].split("</select>")[0]
    # The first option, which a browser shows when nothing is selected, is the explicit empty choice.
    assert "selected" not in choices and choices.startswith('><option value="0">Choose the organisation…')
    refused = client.post(
        "/contacts/new",
        data={"organisation_id": "0", "full_name": "Someone New", "safety_level": "normal",
              "owner_team_id": str(world.ids["team"]), "languages": "en", "timezone": "UTC"},
    )  # fmt: skip
    assert refused.status_code == 200
    assert "Choose the organisation the person works at." in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Contact).where(Contact.full_name == "Someone New")) is None
