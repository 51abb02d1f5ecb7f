"""Reminders to officers before deadlines, visits and follow-ups: by e-mail once per occurrence, and on
the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm.auth.models import Role, User
from crm.contacts.models import Task, TaskKind
from crm.db import db, utcnow
from crm.models import Review
from crm.teams.models import Team
from outreach.sweep import run_sweep
from tests.conftest import sign_in
from tests.outreach_support import MONDAY
from tests.smtp_support import SmtpServer, smtp_fixture  # noqa: F401 - the fixture
from upr_calendar.deadlines import deadline_date
from upr_calendar.models import Event, EventKind

VISIT = "Meeting with the Swedish mission"
FOLLOW_UP = "Send Åsa the factsheet"


@pytest.fixture
def team(app: Flask) -> Team:
    with app.app_context():
        team = Team(name="Asia desk")
        db.session.add(team)
        db.session.commit()
        db.session.refresh(team)
        db.session.expunge(team)
    return team


def _visit_and_follow_up(officer: User, day: date) -> None:
    """A visit at 10:00 UTC on ``day`` and a follow-up due that day, both the officer's."""
    starts = datetime.combine(day, time(10), UTC)
    db.session.add(
        Event(
            kind=EventKind.MEETING,
            title=VISIT,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            owner_id=officer.id,
        )
    )
    db.session.add(Task(title=FOLLOW_UP, kind=TaskKind.FOLLOW_UP, due_on=day, assignee_id=officer.id))


def _subjects(smtp: SmtpServer, address: str, containing: str) -> list[str]:
    return [str(r.message["Subject"]) for r in smtp.handler.to(address) if containing in r.message["Subject"]]


def test_officers_get_one_reminder_per_occurrence_of_a_visit_follow_up_and_deadline(
    app: Flask, smtp: SmtpServer, team: Team, make_user: Callable[..., User]
) -> None:
    officer = make_user(Role.OFFICER, email="officer@example.org", teams=[team])
    make_user(Role.COORDINATOR, email="bystander@example.org")  # in no team, owns nothing
    tuesday = MONDAY.date() + timedelta(days=1)
    with app.app_context():
        _visit_and_follow_up(officer, tuesday)
        review = Review(
            state_code="CHN", cycle=4, team_id=team.id, review_date=MONDAY.date() + timedelta(days=60)
        )
        db.session.add(review)
        db.session.commit()
        pre_session = deadline_date(review.id, "pre_session")
        assert pre_session is not None

        run_sweep(smtp.settings, MONDAY - timedelta(days=1))
        # Two days ahead is too early for a reminder given one day before.
        assert _subjects(smtp, officer.email, VISIT) == _subjects(smtp, officer.email, FOLLOW_UP) == []

        for at in (MONDAY, MONDAY + timedelta(hours=1), MONDAY + timedelta(days=1)):
            run_sweep(smtp.settings, at)
        [visit] = _subjects(smtp, officer.email, VISIT)
        [follow_up] = _subjects(smtp, officer.email, FOLLOW_UP)
        assert visit == f"Reminder: Meeting: {VISIT} on {tuesday:%-d %B %Y}"
        assert follow_up == f"Reminder: {FOLLOW_UP} on {tuesday:%-d %B %Y}"
        body = next(r for r in smtp.handler.to(officer.email) if VISIT in r.message["Subject"]).part("plain")
        assert f"Hello {officer.display_name}" in body and "in 1 day" in body
        assert "/calendar/events/" in body
        assert smtp.handler.to("bystander@example.org") == []

        # The pre-session is reminded 14 and 2 days ahead: two occurrences, each sent once.
        pre_subject = f"on {pre_session:%-d %B %Y}"
        for days_before in (15, 14, 13, 3, 2, 1):
            run_sweep(
                smtp.settings, datetime.combine(pre_session - timedelta(days=days_before), time(9), UTC)
            )
            run_sweep(
                smtp.settings, datetime.combine(pre_session - timedelta(days=days_before), time(16), UTC)
            )
        pre_session_mail = [s for s in _subjects(smtp, officer.email, pre_subject) if "CHN-4" in s]
        assert len(pre_session_mail) == 2
        texts = [
            r.part("plain") for r in smtp.handler.to(officer.email) if pre_subject in r.message["Subject"]
        ]
        assert any("in 14 days" in t for t in texts) and any("in 2 days" in t for t in texts)


def test_the_dashboard_panel_lists_the_signed_in_officers_reminders(
    app: Flask, client: FlaskClient, team: Team, make_user: Callable[..., User]
) -> None:
    officer = make_user(Role.OFFICER, email="officer@example.org", teams=[team])
    other = make_user(Role.OFFICER, email="other@example.org")
    with app.app_context():
        _visit_and_follow_up(officer, utcnow().date() + timedelta(days=1))
        db.session.commit()

    sign_in(client, officer)
    page = client.get("/dashboard").get_data(as_text=True)
    panel = page.split("Your reminders</h2>")[1].split("</ul>")[0]
    assert VISIT in panel and FOLLOW_UP in panel
    assert "/calendar/events/" in panel

    client.post("/sign-out")
    sign_in(client, other)
    panel = client.get("/dashboard").get_data(as_text=True).split("Your reminders</h2>")[1].split("</ul>")[0]
    assert VISIT not in panel and "Nothing is due for you today or in the coming days." in panel
