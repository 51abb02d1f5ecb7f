"""Open follow-up tasks appear in the agenda and feeds; an at-risk contact's name never does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from crm import dates
from crm.auth.models import Role, User
from crm.contacts.models import Contact, Organisation, OrganisationKind, SafetyLevel, Task
from crm.contacts.privacy import PROTECTED_TITLE
from crm.db import db, utcnow
from tests.calendar_helpers import parse_with_icaljs
from upr_calendar.agenda import agenda
from upr_calendar.ical import build_calendar


def test_tasks_in_agenda_and_feeds_link_to_pages_that_exist_and_keep_at_risk_names_out(
    app: Flask, admin_client: FlaskClient, tmp_path: Path
) -> None:
    with app.app_context():
        ngo = Organisation(name="Local NGO", kind=OrganisationKind.NGO)
        safe = Contact(organisation=ngo, full_name="Anna Safe", safety_level=SafetyLevel.NORMAL)
        hidden = Contact(organisation=ngo, full_name="Wang Hidden", safety_level=SafetyLevel.AT_RISK)
        db.session.add_all([ngo, safe, hidden])
        db.session.flush()
        soon = date(2031, 5, 1)
        db.session.add_all(
            [
                Task(title="Call Anna Safe about 28.83", due_on=soon, contact_id=safe.id),
                Task(title="Meet Wang Hidden in Geneva", due_on=soon, contact_id=hidden.id),
                Task(title="Done already", due_on=soon, done_at=utcnow()),
                Task(title="Write the mid-term report", due_on=soon),
            ]
        )
        db.session.commit()
        safe_id = safe.id
        items = agenda(soon - timedelta(days=1), soon + timedelta(days=1))
        titles = sorted(item.title for item in items if item.kind == "task")
        assert titles == sorted(["Call Anna Safe about 28.83", PROTECTED_TITLE, "Write the mid-term report"])
        feed = build_calendar(items, "tasks")
        assert "Wang" not in feed and "Hidden" not in feed
        (tmp_path / "tasks.ics").write_text(feed, encoding="utf-8", newline="")
        parsed = parse_with_icaljs(tmp_path / "tasks.ics")["events"]
        assert {event["start_value"] for event in parsed} == {"2031-05-01"}
    # Each task links to where it is worked on: its contact, or (at-risk or no contact) the agenda's tasks.
    urls = {item.title: item.url for item in items if item.kind == "task"}
    assert urls["Call Anna Safe about 28.83"] == f"/contacts/{safe_id}"
    agenda_url = "/calendar/?kind=task&from=2031-05-01"
    assert urls[PROTECTED_TITLE] == urls["Write the mid-term report"] == agenda_url
    for url in urls.values():
        assert admin_client.get(url).status_code == 200, url
    assert "Write the mid-term report" in admin_client.get(agenda_url).get_data(as_text=True)


def test_the_tasks_the_app_writes_read_in_each_reader_s_language(
    app: Flask, make_user: Callable[..., User]
) -> None:
    """Follow-ups and successor tasks are worded when read; a task someone typed keeps their words."""
    from flask_babel import force_locale

    from crm.contacts.interactions import sync_follow_up_task
    from crm.contacts.models import Interaction, InteractionKind, TaskKind
    from crm.contacts.services import ensure_successor_task
    from crm.dates import format_day, format_long_day
    from crm.i18n import catalogue

    officer = make_user(Role.OFFICER)
    today = dates.today()
    with app.app_context():
        mission = Organisation(name="Mission of Sweden", kind=OrganisationKind.MISSION_GENEVA)
        leaving = Contact(organisation=mission, full_name="Karin Leaving", title="Counsellor")
        db.session.add_all([mission, leaving])
        db.session.flush()
        leaving.posting_end = today + timedelta(days=30)
        meeting = Interaction(
            kind=InteractionKind.MEETING,
            officer_id=officer.id,
            occurred_at=utcnow(),
            summary="x",
            follow_up_on=today + timedelta(days=7),
            contacts=[leaving],
        )
        db.session.add(meeting)
        db.session.flush()
        follow_up = sync_follow_up_task(meeting)
        successor = ensure_successor_task(leaving, today)
        typed = Task(title="Write the mid-term report", due_on=today, kind=TaskKind.OTHER)
        db.session.add(typed)
        db.session.commit()
        assert follow_up is not None and successor is not None
        start, end = today - timedelta(days=1), today + timedelta(days=60)
        for language in ("zh", "fr", "es"):
            with force_locale(language):
                titles = {item.title for item in agenda(start, end) if item.kind == "task"}
                words = catalogue(language).gettext
                expected_follow_up = words("Follow up the %(kind)s of %(day)s") % {
                    "kind": words("meeting"),
                    "day": format_day(meeting.occurred_at.date()),
                }
                expected_successor = words(
                    "Ask who succeeds the %(title)s at %(organisation)s (posting ends %(day)s)"
                ) % {
                    "title": "Counsellor",
                    "organisation": "Mission of Sweden",
                    "day": format_long_day(leaving.posting_end),
                }
            assert titles == {expected_follow_up, expected_successor, "Write the mid-term report"}, language
            assert expected_follow_up != follow_up.title and expected_successor != successor.title
