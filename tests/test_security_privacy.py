"""One at-risk defender, planted in the demo where every output could pick them up, appears in none.

The contact sits at a recommending state's mission (so who-to-brief would list them), owns a follow-up task
whose title names them (so calendars would show it), and every export, feed and command is read back.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.contacts.models import Contact, Organisation, SafetyLevel, Task, TaskKind
from crm.db import db, utcnow
from crm.models import Recommendation, RecommendingState, Review
from crm.teams.models import Team
from upr.cli import cli
from upr_calendar import feeds
from upr_calendar.models import FeedScope

from .conftest import sign_in

NAME = "Defender Whose Name Must Not Leak"
EMAIL = "must.not.leak@example.net"
PHONE = "+41 22 555 0199"
SECRETS = (NAME, EMAIL, PHONE, "must.not.leak")


def _assert_clean(label: str, text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"{secret!r} leaked into {label}"


@pytest.fixture
def planted(app: Flask, runner: FlaskCliRunner) -> dict[str, object]:
    """The demo with one at-risk person at a mission that appears in who-to-brief for CHN-3."""
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    with app.app_context():
        mission = db.session.scalars(
            select(Organisation)
            .join(RecommendingState, RecommendingState.state_code == Organisation.state_code)
            .join(Contact, Contact.organisation_id == Organisation.id)
            .where(Contact.safety_level == SafetyLevel.NORMAL, Contact.archived_at.is_(None))
        ).first()
        assert mission is not None and mission.state_code is not None
        rec = db.session.scalars(
            select(Recommendation)
            .join(Review)
            .join(RecommendingState)
            .where(Review.cycle == 3, RecommendingState.state_code == mission.state_code)
        ).first()
        assert rec is not None
        team = db.session.scalars(select(Team).order_by(Team.id)).first()
        officer = db.session.scalars(select(User).order_by(User.id)).first()
        assert team is not None and officer is not None
        person = Contact(
            organisation_id=mission.id,
            full_name=NAME,
            email=EMAIL,
            phone=PHONE,
            notes=f"Notes about {NAME}",
            safety_level=SafetyLevel.AT_RISK,
            owner_team_id=team.id,
            languages="en",
        )
        db.session.add(person)
        db.session.flush()
        db.session.add(
            Task(
                title=f"Call {NAME} back",
                kind=TaskKind.FOLLOW_UP,
                due_on=utcnow().date() + timedelta(days=3),
                assignee_id=officer.id,
                team_id=team.id,
                contact_id=person.id,
            )
        )
        db.session.commit()
        return {
            "review": rec.review.code,
            "number": rec.number,
            "rec_id": rec.id,
            "team_id": team.id,
            "team_name": team.name,
            "officer_id": officer.id,
            "officer_email": officer.email,
            "state": mission.state_code,
        }


def test_no_command_prints_or_writes_the_at_risk_person(
    planted: dict[str, object], runner: FlaskCliRunner, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    review, number = str(planted["review"]), str(planted["number"])
    commands: list[list[str]] = [
        ["export", "contacts", str(tmp_path / "contacts.csv")],
        ["export", "contacts", "--mask", str(tmp_path / "masked.csv")],
        ["export", "calendar", "--review", review, "-o", str(tmp_path / "review.ics")],
        ["export", "calendar", "--team", str(planted["team_name"]), "-o", str(tmp_path / "team.ics")],
        ["export", "calendar", "--user", str(planted["officer_email"]), "-o", str(tmp_path / "user.ics")],
        ["export", "matrix", "--review", review, "-o", str(tmp_path / "matrix.csv")],
        ["export", "matrix", "--review", review, "-o", str(tmp_path / "matrix.html")],
    ] + [["who-to-brief", review, number, "--format", kind] for kind in ("table", "csv", "json")]
    with caplog.at_level(logging.DEBUG):
        for command in commands:
            result = runner.invoke(cli, command)
            _assert_clean(" ".join(command[:2]) + " output", result.output)
        # The address typed in is echoed in the refusal; nothing else about the person is told.
        basis = runner.invoke(cli, ["briefing-basis", EMAIL, "--review", review, "--format", "json"])
    assert basis.exit_code != 0
    assert NAME not in basis.output and PHONE not in basis.output and "28." not in basis.output
    who = runner.invoke(cli, ["who-to-brief", review, number, "--format", "json"])
    assert who.exit_code == 0, who.output
    assert json.loads(who.output), "who-to-brief listed nobody: the planted mission should have colleagues"
    written = sorted(path for path in tmp_path.iterdir() if path.is_file())
    assert len(written) == 7, written
    for path in written:
        _assert_clean(path.name, path.read_text(encoding="utf-8", errors="replace"))
    _assert_clean("the logs", caplog.text)


def test_no_web_export_or_feed_holds_the_at_risk_person(
    app: Flask, planted: dict[str, object], client: FlaskClient, make_user: Callable[..., User]
) -> None:
    team_id = planted["team_id"]
    sign_in(client, make_user(Role.ADMIN))
    pages = {
        "contacts export": client.get("/contacts/export.csv"),
        "masked contacts export": client.get("/contacts/export.csv?mask=1"),
        "coalition csv": client.get(f"/teams/{team_id}/coalition.csv"),
        "calendar download": client.get("/calendar/download.ics"),
    }
    for label, response in pages.items():
        assert response.status_code == 200, label
        _assert_clean(label, response.get_data(as_text=True))
    # Admins see the person in the app (that is the point of the list); an officer of no team does not.
    outsider = app.test_client()
    sign_in(outsider, make_user(Role.OFFICER))
    who = outsider.get(f"/recommendations/{planted['rec_id']}/who-to-brief")
    assert who.status_code == 200
    _assert_clean("who-to-brief page of an officer of no team", who.get_data(as_text=True))
    with app.app_context():
        owner = db.session.get(User, planted["officer_id"])
        team = db.session.get(Team, team_id)
        assert owner is not None and team is not None
        tokens = [
            feeds.create_token(owner, FeedScope.USER)[1],
            feeds.create_token(owner, FeedScope.TEAM, team=team)[1],
        ]
        db.session.commit()
    anonymous = app.test_client()
    for token in tokens:
        feed = anonymous.get(f"/calendar/feed/{token}.ics")
        assert feed.status_code == 200
        body = feed.get_data(as_text=True)
        assert "protected contact" in body  # the task is there, under its neutral title
        _assert_clean("a calendar feed", body)
