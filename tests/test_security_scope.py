"""No existence oracles, team-scoped feeds and holds, sensitive contacts' details, links from UPR_BASE_URL."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.contacts.models import AuditLog, Contact, SafetyLevel
from crm.db import db
from crm.teams.models import Team
from upr.cli import cli
from upr_calendar.models import FeedScope, FeedToken

from .conftest import sign_in
from .contacts_world import World, build_world

SENSITIVE_EMAIL, SENSITIVE_PHONE = "sensitive.person@example.net", "+41 22 555 0123"


def _world(app: Flask) -> World:
    with app.app_context():
        world = build_world()
        johan = db.session.get(Contact, world.ids["johan"])
        assert johan is not None
        johan.safety_level, johan.email, johan.phone = SafetyLevel.SENSITIVE, SENSITIVE_EMAIL, SENSITIVE_PHONE
        db.session.commit()
        return world


def _signed_in(app: Flask, make_user: Callable[..., User], role: Role, team: Team | None) -> FlaskClient:
    client = app.test_client()
    sign_in(client, make_user(role, teams=[team] if team else []))
    return client


def _new_contact(client: FlaskClient, world: World, email: str, team: str = "other_team") -> str:
    form = {
        "organisation_id": world.ids["swe_mission"],
        "full_name": "Someone New",
        "email": email,
        "languages": "en",
        "timezone": "UTC",
        "safety_level": "normal",
        "owner_team_id": world.ids[team],
    }
    return client.post("/contacts/new", data=form).get_data(as_text=True)


def test_a_duplicate_address_never_reveals_a_hidden_contact(
    app: Flask, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    outsider = _signed_in(app, make_user, Role.OFFICER, world.other_team)
    page = _new_contact(outsider, world, "hidden@example.org")  # the at-risk contact's address
    assert "an address that cannot be used" in page
    assert f"#{world.ids['hidden']}" not in page and "already belongs" not in page
    assert outsider.get(f"/contacts/{world.ids['hidden']}").status_code == 404
    with app.app_context():
        [entry] = db.session.scalars(select(AuditLog).where(AuditLog.action == "address refused")).all()
        assert entry.contact_id == world.ids["hidden"]
    # A contact the asker can see is still named, with its number, so the duplicate can be found.
    assert f"already belongs to contact #{world.ids['asa']}" in _new_contact(
        outsider, world, "asa@example.org"
    )
    # Their own team's officers may see the at-risk holder, and are told who it is.
    insider = _signed_in(app, make_user, Role.OFFICER, world.team)
    assert f"already belongs to contact #{world.ids['hidden']}" in _new_contact(
        insider, world, "hidden@example.org", "team"
    )


def test_imports_and_commands_do_not_reveal_a_hidden_contact(
    app: Flask, tmp_path: Path, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    runner = app.test_cli_runner()
    rows = tmp_path / "contacts.csv"
    rows.write_text("organisation,full_name,email\nMission of Sweden,Someone,hidden@example.org\n")
    result = runner.invoke(cli, ["import", "contacts", str(rows)])
    assert result.exit_code == 1
    assert "Row 2: hidden@example.org is an address that cannot be used" in result.output
    assert f"#{world.ids['hidden']}" not in result.output
    added = runner.invoke(
        cli, ["contacts", "add", "hidden@example.org", "--organisation", "Mission of Sweden", "--name", "X"]
    )
    assert added.exit_code == 1 and "cannot be used" in added.output
    with app.app_context():
        refused = db.session.scalars(select(AuditLog.contact_id).where(AuditLog.action == "address refused"))
        assert list(refused) == [world.ids["hidden"], world.ids["hidden"]]


def test_a_sensitive_contact_s_details_are_for_their_team(app: Flask, make_user: Callable[..., User]) -> None:
    world = _world(app)
    url = f"/contacts/{world.ids['johan']}"
    for role in (Role.VIEWER, Role.OFFICER, Role.COORDINATOR):
        outsider = _signed_in(app, make_user, role, world.other_team)
        page = outsider.get(url).get_data(as_text=True)
        assert "Johan Ekholm" in page, role  # the person is visible...
        assert SENSITIVE_EMAIL not in page and SENSITIVE_PHONE not in page, role  # ...their details are not
        assert "Johan" not in outsider.get("/contacts", query_string={"q": "sensitive.person"}).get_data(
            as_text=True
        )
        export = (
            outsider.get("/contacts/export.csv").get_data(as_text=True) if role is not Role.VIEWER else ""
        )
        assert SENSITIVE_EMAIL not in export and SENSITIVE_PHONE not in export
    for role in (Role.VIEWER, Role.OFFICER, Role.ADMIN):
        member = _signed_in(app, make_user, role, world.team if role is not Role.ADMIN else None)
        page = member.get(url).get_data(as_text=True)
        assert SENSITIVE_EMAIL in page and SENSITIVE_PHONE in page, role
    exported = _signed_in(app, make_user, Role.OFFICER, world.team).get("/contacts/export.csv")
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True).lstrip("\ufeff"))))
    assert {r["email"] for r in rows if r["full_name"] == "Johan Ekholm"} == {SENSITIVE_EMAIL}


def _feed_form(team_id: int) -> dict[str, Any]:
    return {"scope": FeedScope.TEAM.value, "team_id": team_id, "review_id": 0}


def test_team_feeds_are_created_seen_and_revoked_by_the_team(
    app: Flask, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    outsider = _signed_in(app, make_user, Role.VIEWER, world.other_team)
    refused = outsider.post("/calendar/feeds", data=_feed_form(world.ids["team"])).get_data(as_text=True)
    assert "/calendar/feed/" not in refused
    with app.app_context():
        assert db.session.scalars(select(FeedToken)).all() == []

    creator = _signed_in(app, make_user, Role.OFFICER, world.team)
    created = creator.post("/calendar/feeds", data=_feed_form(world.ids["team"])).get_data(as_text=True)
    assert "/calendar/feed/" in created
    with app.app_context():
        [feed] = db.session.scalars(select(FeedToken)).all()
    colleague = _signed_in(app, make_user, Role.VIEWER, world.team)
    assert "Team China team" in colleague.get("/calendar/feeds").get_data(as_text=True)
    assert "Team China team" not in outsider.get("/calendar/feeds").get_data(as_text=True)
    assert outsider.post(f"/calendar/feeds/{feed.id}/revoke").status_code == 404  # like a missing one
    assert colleague.post(f"/calendar/feeds/{feed.id}/revoke").status_code == 302
    with app.app_context():
        assert db.session.get(FeedToken, feed.id).revoked_at is not None  # type: ignore[union-attr]


def test_a_forged_host_never_reaches_a_feed_or_its_address(
    app_config: dict[str, Any], make_user: Callable[..., User]
) -> None:
    from upr.app import create_app

    # The test client speaks plain http: the session cookie must not be Secure for it to come back.
    app = create_app({**app_config, "base_url": "https://upr.example.org", "SESSION_COOKIE_SECURE": False})
    world = _world(app)
    client = app.test_client()
    sign_in(client, make_user(Role.OFFICER, teams=[world.team]))
    evil = {"Host": "evil.example"}
    cookie = client.get_cookie("session")
    assert cookie is not None
    client.set_cookie("session", cookie.value, domain="evil.example")  # the browser at the forged name
    page = client.post("/calendar/feeds", data=_feed_form(world.ids["team"]), headers=evil)
    text = page.get_data(as_text=True)
    assert "https://upr.example.org/calendar/feed/" in text and "evil.example" not in text
    feed_path = text.split("https://upr.example.org")[1].split("<")[0].strip()
    first = client.get(feed_path, headers=evil).get_data(as_text=True)  # built, then cached
    again = client.get(feed_path).get_data(as_text=True)
    assert "evil.example" not in first + again
    download = client.get(f"/calendar/download.ics?review={world.ids['review']}", headers=evil)
    assert "evil.example" not in download.get_data(as_text=True)


def test_holding_back_a_recipient_needs_the_team(app: Flask, make_user: Callable[..., User]) -> None:
    from outreach.models import Campaign, CampaignHold
    from outreach.rendering import ensure_default_template

    world = _world(app)
    with app.app_context():
        review = world.review
        db.session.merge(review).team_id = world.ids["team"]
        campaign = Campaign(name="CHN-3", review_id=world.ids["review"], template=ensure_default_template())
        db.session.add(campaign)
        db.session.commit()
        url = f"/outreach/campaigns/{campaign.id}/hold/{world.ids['asa']}"
    outsider = _signed_in(app, make_user, Role.OFFICER, world.other_team)
    assert outsider.post(url, data={"held": "1"}).status_code == 404
    assert "Hold back" not in outsider.get(f"/outreach/campaigns/{campaign.id}").get_data(as_text=True)
    member = _signed_in(app, make_user, Role.OFFICER, world.team)
    assert member.post(url, data={"held": "1"}).status_code == 302
    with app.app_context():
        assert len(db.session.scalars(select(CampaignHold)).all()) == 1


def test_scripts_ask_as_nobody_for_sensitive_details(app: Flask, tmp_path: Path) -> None:
    _world(app)
    runner = app.test_cli_runner()
    brief = runner.invoke(cli, ["who-to-brief", "CHN-3", "28.83", "--format", "json"])
    assert brief.exit_code == 0, brief.output
    assert "Johan Ekholm" in brief.output and SENSITIVE_EMAIL not in brief.output
    out = tmp_path / "contacts.csv"
    assert runner.invoke(cli, ["export", "contacts", str(out)]).exit_code == 0
    exported = out.read_text(encoding="utf-8-sig")
    assert "Johan Ekholm" in exported and SENSITIVE_EMAIL not in exported and SENSITIVE_PHONE not in exported
