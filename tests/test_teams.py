"""Teams from day one: setting them up (web and CLI), one owner per mission per review, moves and history,
disabling users, and a partner's coalition file in any encoding."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.auth.services import UserError, set_active
from crm.contacts.models import Organisation
from crm.db import db
from crm.models import Recommendation, RecommendingState, Review
from crm.teams.membership import remove_member, set_member
from crm.teams.models import Assignment, AssignmentAction, AssignmentChange, Team, TeamRole
from crm.teams.services import AssignmentError, assign, unassign
from tests.conftest import sign_in
from tests.contacts_world import World, build_world
from upr.cli import cli


@pytest.fixture
def world(app: Flask) -> World:
    """China's third review (Sweden, Norway, Switzerland) and a fourth at which Sweden recommends again."""
    with app.app_context():
        world = build_world()
        chn4 = Review(state_code="CHN", cycle=4, review_date=date(2024, 1, 23))
        rec = Recommendation(review=chn4, number="161.1", sort_key=1, text="Ratify the ICCPR.")
        rec.recommending = [RecommendingState(state_code="SWE", position=0)]
        db.session.add(chn4)
        db.session.commit()
        world.ids["chn4"] = chn4.id
        return world


def _get(model: type, key: int):  # type: ignore[no-untyped-def]  # a test shorthand for db.session.get
    found = db.session.get(model, key)
    assert found is not None
    return found


def _refused(call: Callable[[], object]) -> str:
    try:
        call()
    except AssignmentError as error:
        return str(error)
    raise AssertionError("the assignment was accepted")


def test_one_owner_per_mission_per_review(app: Flask, world: World, make_user: Callable[..., User]) -> None:
    anna = make_user(Role.OFFICER, email="anna@example.org", teams=[world.team])
    ben = make_user(Role.OFFICER, email="ben@example.org", teams=[world.team])
    carl = make_user(Role.OFFICER, email="carl@example.org", teams=[world.other_team])
    with app.app_context():
        team, other = _get(Team, world.ids["team"]), _get(Team, world.ids["other_team"])
        chn3, chn4 = _get(Review, world.ids["review"]), _get(Review, world.ids["chn4"])
        mission = _get(Organisation, world.ids["swe_mission"])
        a, b, c = _get(User, anna.id), _get(User, ben.id), _get(User, carl.id)
        assign(team, a, state_code="SWE", review=chn4)
        # Sweden's Geneva mission to another officer of the team: refused, naming who holds it.
        message = _refused(lambda: assign(team, b, organisation=mission, review=chn4))
        assert message.startswith("Mission of Sweden is already held by anna@example.org (China team, Sweden")
        assert "move it from anna@example.org to ben@example.org" in message
        # The same state in a second team: refused too.
        assert "held by anna@example.org (China team" in _refused(
            lambda: assign(other, c, state_code="SWE", review=chn4)
        )
        # Another review is another piece of work: Sweden at China's third review may go to Ben.
        assign(team, b, state_code="SWE", review=chn3)
        # Giving it again to the one who holds it changes nothing.
        assert assign(team, a, state_code="SWE", review=chn4).officer_id == a.id
        db.session.commit()
        assert (
            db.session.scalar(select(AssignmentChange.id).where(AssignmentChange.to_officer_id == c.id))
            is None
        )

        # An explicit move: the mission goes to Ben, Anna keeps the rest of Sweden, both are in the history.
        assign(team, b, organisation=mission, review=chn4, move=True)
        message = _refused(lambda: assign(team, a, organisation=mission, review=chn4))
        assert message.startswith("Mission of Sweden is already held by ben@example.org")
        # Moving the whole state to another team takes the mission with it.
        assign(other, c, state_code="SWE", review=chn4, move=True)
        db.session.commit()
        held = db.session.execute(
            select(
                Assignment.team_id, Assignment.officer_id, Assignment.state_code, Assignment.organisation_id
            ).where(Assignment.review_id == chn4.id)
        ).all()
        assert held == [(other.id, c.id, "SWE", None)]
        moves = db.session.scalars(
            select(AssignmentChange)
            .where(AssignmentChange.action == AssignmentAction.MOVED)
            .order_by(AssignmentChange.id)
        ).all()
        assert [(m.what, m.from_officer_id, m.to_officer_id) for m in moves] == [
            ("Mission of Sweden", a.id, b.id),
            ("Sweden", a.id, c.id),
            ("Sweden", b.id, c.id),
        ]
        assert moves[0].note == "held as part of Sweden"
        # A standing assignment (every review) counts for each review.
        assign(team, a, state_code="NOR")
        assert "held by anna@example.org (China team, Norway for every review)" in _refused(
            lambda: assign(other, c, state_code="NOR", review=chn3)
        )
        unassign(db.session.scalars(select(Assignment).where(Assignment.state_code == "NOR")).one(), None)
        db.session.commit()
        last = db.session.scalars(select(AssignmentChange).order_by(AssignmentChange.id.desc())).first()
        assert (
            last is not None and last.action is AssignmentAction.UNASSIGNED and last.from_officer_id == a.id
        )


def test_the_board_refuses_a_double_assignment_and_offers_the_explicit_move(
    app: Flask, world: World, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    anna = make_user(Role.OFFICER, email="anna@example.org", teams=[world.team])
    ben = make_user(Role.OFFICER, email="ben@example.org", teams=[world.team])
    lead = make_user(Role.COORDINATOR, email="lead@example.org", teams=[world.team])
    sign_in(client, lead)
    chn4, team_id = world.ids["chn4"], world.ids["team"]
    board = client.get(f"/teams?team={team_id}&review={chn4}").get_data(as_text=True)
    # The review's unassigned recommending states come first on the board.
    assert board.index('id="unassigned"') < board.index('id="loads"')
    assert "Sweden (1)" in board.split('id="unassigned"')[1].split("</ul>")[0]
    url = f"/teams/{team_id}/assign"
    ok = client.post(
        url, data={"state": "Sweden", "officer_id": anna.id, "review_id": chn4}, follow_redirects=True
    )
    assert "Sweden assigned to anna@example.org for CHN-4." in ok.get_data(as_text=True)
    refused = client.post(
        url,
        data={"organisation_id": world.ids["swe_mission"], "officer_id": ben.id, "review_id": chn4},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Mission of Sweden is already held by anna@example.org" in refused
    pending = refused.split('id="pending-move"')[1].split("</section>")[0]
    assert "Move from anna@example.org to ben@example.org" in pending
    with app.app_context():
        assert db.session.scalar(select(Assignment.id).where(Assignment.organisation_id.is_not(None))) is None
    moved = client.post(
        url,
        data={
            "organisation_id": world.ids["swe_mission"],
            "officer_id": ben.id,
            "review_id": chn4,
            "move": "1",
        },
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "Mission of Sweden assigned to ben@example.org for CHN-4." in moved
    history = moved.split('id="history"')[1].split("</table>")[0]
    assert "moved from anna@example.org to ben@example.org" in history and "lead@example.org" in history
    # Unassigning is recorded too, and the state is unassigned again.
    with app.app_context():
        swe = db.session.scalar(select(Assignment.id).where(Assignment.state_code == "SWE"))
    after = client.post(f"/teams/{team_id}/unassign", data={"assignment_id": swe}, follow_redirects=True)
    text = after.get_data(as_text=True)
    assert "Sweden is no longer held by anna@example.org" in text
    assert "unassigned from anna@example.org" in text.split('id="history"')[1]
    assert "Sweden (1)" not in text.split('id="unassigned"')[1].split("</ul>")[0]  # Ben holds its mission


def test_a_coordinator_cannot_take_work_from_a_team_they_do_not_manage(
    app: Flask, world: World, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    anna = make_user(Role.OFFICER, email="anna@example.org", teams=[world.team])
    carl = make_user(Role.OFFICER, email="carl@example.org", teams=[world.other_team])
    with app.app_context():
        assign(
            _get(Team, world.ids["team"]),
            _get(User, anna.id),
            state_code="SWE",
            review=_get(Review, world.ids["chn4"]),
        )
        db.session.commit()
    sign_in(client, make_user(Role.COORDINATOR, teams=[world.other_team]))
    refused = client.post(
        f"/teams/{world.ids['other_team']}/assign",
        data={"state": "SWE", "officer_id": carl.id, "review_id": world.ids["chn4"], "move": "1"},
        follow_redirects=True,
    )
    assert "Sweden is held by China team: only its coordinators or an admin can move it." in refused.get_data(
        as_text=True
    )
    with app.app_context():
        assert list(db.session.scalars(select(Assignment.officer_id))) == [anna.id]


def test_a_coordinator_sets_a_team_up_on_the_web(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    lead = make_user(Role.COORDINATOR, email="lead@example.org")
    anna = make_user(Role.OFFICER, email="anna@example.org")
    ben = make_user(Role.OFFICER, email="ben@example.org")
    make_user(Role.VIEWER, email="viewer@example.org")
    sign_in(client, lead)
    listing = client.get("/teams/all").get_data(as_text=True)
    assert "No team yet." in listing and 'id="new-team"' in listing
    created = client.post("/teams/new", data={"name": "  Asia   team "}, follow_redirects=True)
    text = created.get_data(as_text=True)
    assert "Team Asia team created. Add its officers below." in text
    members = text.split('id="members"')[1].split("</table>")[0]
    assert "lead@example.org" in members and 'value="lead" selected' in members
    candidates = text.split('id="add-member"')[1].split("</form>")[0]
    assert "anna@example.org" in candidates and "viewer@example.org" not in candidates
    assert '<option value="">Choose a person…</option>' in candidates
    with app.app_context():
        team_id = db.session.scalar(select(Team.id).where(Team.name == "Asia team"))
    assert "There is already a team called Asia team." in client.post(
        "/teams/new", data={"name": "asia TEAM"}, follow_redirects=True
    ).get_data(as_text=True)
    for user, role in ((anna, "officer"), (ben, "officer")):
        added = client.post(
            f"/teams/{team_id}/members", data={"user_id": user.id, "role": role}, follow_redirects=True
        )
        assert f"{user.email} added to Asia team as officer." in added.get_data(as_text=True)
    changed = client.post(
        f"/teams/{team_id}/members", data={"user_id": ben.id, "role": "observer"}, follow_redirects=True
    )
    assert "ben@example.org is now observer in Asia team." in changed.get_data(as_text=True)
    with app.app_context():
        team = _get(Team, team_id)
        # An observer takes no outreach work.
        assert "observer in Asia team" in _refused(lambda: assign(team, _get(User, ben.id), state_code="SWE"))
        assign(team, _get(User, anna.id), state_code="SWE")
        db.session.commit()
    renamed = client.post(
        f"/teams/{team_id}/rename", data={"name": "Asia-Pacific team"}, follow_redirects=True
    )
    assert "Asia team is now called Asia-Pacific team." in renamed.get_data(as_text=True)
    removed = client.post(f"/teams/{team_id}/members/{anna.id}/remove", follow_redirects=True).get_data(
        as_text=True
    )
    assert "anna@example.org left Asia-Pacific team; their 1 assignments are unassigned again." in removed
    with app.app_context():
        assert db.session.scalar(select(Assignment.id)) is None
        actions = db.session.scalars(select(AssignmentChange).order_by(AssignmentChange.id)).all()
        assert [change.action for change in actions] == [
            AssignmentAction.ASSIGNED,
            AssignmentAction.UNASSIGNED,
        ]
        assert actions[1].note == "anna@example.org left Asia-Pacific team"
    archived = client.post(f"/teams/{team_id}/archive", follow_redirects=True).get_data(as_text=True)
    assert "Asia-Pacific team archived" in archived and "Bring Asia-Pacific team back" in archived
    # The archived team leaves the board (it was the only one).
    assert "No team yet." in client.get("/teams").get_data(as_text=True)
    back = client.post(f"/teams/{team_id}/archive", data={"undo": "1"}, follow_redirects=True)
    assert "Asia-Pacific team is back" in back.get_data(as_text=True)
    # An officer manages no team; a coordinator only their own.
    client.post("/sign-out")
    sign_in(client, ben)
    assert client.post(f"/teams/{team_id}/rename", data={"name": "Mine"}).status_code == 403
    assert client.post("/teams/new", data={"name": "Mine"}).status_code == 403


def test_teams_from_the_command_line(
    app: Flask, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    make_user(Role.COORDINATOR, email="lead@example.org")
    make_user(Role.OFFICER, email="anna@example.org")
    assert "No team yet" in runner.invoke(cli, ["teams", "list"]).output
    added = runner.invoke(cli, ["teams", "add", "China team", "--lead", "lead@example.org"])
    assert added.exit_code == 0 and "Created team China team led by lead@example.org." in added.output
    again = runner.invoke(cli, ["teams", "add", "china team"])
    assert again.exit_code != 0 and "There is already a team called China team." in again.output
    member = runner.invoke(
        cli, ["teams", "members", "China team", "--add", "anna@example.org", "--role", "officer"]
    )
    assert member.exit_code == 0, member.output
    assert "anna@example.org added as officer of China team." in member.output
    listed = runner.invoke(cli, ["teams", "members", "China team"]).output.splitlines()
    assert listed == ["lead@example.org\tlead\t0 assignments", "anna@example.org\tofficer\t0 assignments"]
    unknown = runner.invoke(cli, ["teams", "members", "China team", "--add", "nobody@example.org"])
    assert unknown.exit_code != 0 and "No user signs in as nobody@example.org" in unknown.output
    assert runner.invoke(cli, ["teams", "rename", "China team", "East Asia team"]).exit_code == 0
    missing = runner.invoke(cli, ["teams", "archive", "China team"])
    assert missing.exit_code != 0 and "There is no team called 'China team'" in missing.output
    archived = runner.invoke(cli, ["teams", "archive", "East Asia team"])
    assert archived.exit_code == 0 and "East Asia team archived" in archived.output
    assert "East Asia team" not in runner.invoke(cli, ["teams", "list"]).output
    assert "(archived)" in runner.invoke(cli, ["teams", "list", "--archived"]).output
    assert runner.invoke(cli, ["teams", "archive", "East Asia team", "--undo"]).exit_code == 0
    removed = runner.invoke(cli, ["teams", "members", "East Asia team", "--remove", "anna@example.org"])
    assert removed.exit_code == 0 and "anna@example.org left East Asia team" in removed.output
    with app.app_context():
        team = db.session.scalars(select(Team)).one()
        assert [u.email for u in team.members] == ["lead@example.org"]


def test_membership_services_keep_roles_and_refuse_disabled_accounts(
    app: Flask, world: World, make_user: Callable[..., User]
) -> None:
    anna = make_user(Role.OFFICER, email="anna@example.org")
    with app.app_context():
        team, user = _get(Team, world.ids["team"]), _get(User, anna.id)
        assert set_member(team, user, TeamRole.LEAD) is True
        assert set_member(team, user, TeamRole.OFFICER) is False
        user.active = False
        assert remove_member(team, user, None) == 0
        with pytest.raises(Exception, match="disabled"):
            set_member(team, user, TeamRole.OFFICER)


def test_an_admin_disables_and_enables_a_user_and_their_sessions_end(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    admin = make_user(Role.ADMIN, email="admin@example.org")
    officer = make_user(Role.OFFICER, email="officer@example.org")
    theirs = app.test_client()
    sign_in(theirs, officer)
    assert theirs.get("/contacts").status_code == 200
    sign_in(client, admin)
    page = client.get("/users").get_data(as_text=True)
    assert "Disable officer@example.org" in page and "Disable admin@example.org" not in page  # not oneself
    done = client.post(f"/users/{officer.id}/active", data={"active": "0"}, follow_redirects=True)
    assert "officer@example.org is disabled: their sessions have ended" in done.get_data(as_text=True)
    # Their open session no longer works, and they cannot sign in again.
    assert theirs.get("/contacts").status_code == 302
    assert (
        theirs.post(
            "/sign-in", data={"email": officer.email, "password": "correct horse battery staple"}
        ).status_code
        == 200
    )
    assert (
        client.post(f"/users/{admin.id}/active", data={"active": "0"}, follow_redirects=True)
        .get_data(as_text=True)
        .count("You cannot disable your own account.")
    )
    enabled = runner.invoke(cli, ["user", "enable", "officer@example.org"])
    assert enabled.exit_code == 0 and "enabled again" in enabled.output
    sign_in(theirs, officer)
    assert "officer@example.org\tofficer\tactive\tno team" in runner.invoke(cli, ["user", "list"]).output
    last_admin = runner.invoke(cli, ["user", "disable", "admin@example.org"])
    assert last_admin.exit_code != 0 and "is the last active admin" in last_admin.output
    assert client.get("/users").status_code == 200
    client.post("/sign-out")
    sign_in(client, officer)
    assert client.get("/users").status_code == 403
    with app.app_context(), pytest.raises(UserError, match="own account"):
        set_active(_get(User, officer.id), False, by=_get(User, officer.id))


def test_a_coalition_file_in_any_encoding_and_an_image_get_one_clear_sentence(
    app: Flask, world: World, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    sign_in(client, make_user(Role.COORDINATOR, teams=[world.team]))
    url = f"/teams/{world.ids['team']}/coalition"
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)
    import io

    refused = client.post(
        url, data={"partner": "Lantern", "file": (io.BytesIO(png), "logo.png")}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Nothing imported: logo.png is a binary file, not a CSV file." in refused
    assert "codec" not in refused
    text = "state_code,state,themes\nCHE,Suisse,Égalité\n"
    for encoded in (text.encode("cp1252"), codecs.BOM_UTF16_LE + text.encode("utf-16-le")):
        done = client.post(
            url,
            data={"partner": "Lantern", "file": (io.BytesIO(encoded), "partner.csv")},
            follow_redirects=True,
        )
        assert "1 states now marked as briefed by Lantern." in done.get_data(as_text=True)
