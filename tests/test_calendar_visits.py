"""The visits list: upcoming first, past folded away, filters, and cancel/uncancel as calendars see it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm import dates
from crm.auth.models import Role, User
from crm.db import db, utcnow
from tests.calendar_helpers import china_reviews, parse_with_icaljs
from tests.conftest import sign_in
from upr_calendar import feeds
from upr_calendar.items import UID_DOMAIN
from upr_calendar.models import Event, EventKind, FeedScope
from upr_calendar.visits import save_event


def _visit(kind: EventKind, title: str, starts: datetime, review_id: int | None) -> int:
    event = save_event(
        None,
        kind=kind,
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        timezone="Europe/Zurich",
        review_id=review_id,
    )
    db.session.commit()
    return event.id


def _plan(app: Flask) -> dict[str, int]:
    """A dialogue long past, a visit next month on CHN-4, a meeting next week on no review."""
    with app.app_context():
        _chn3, chn4 = china_reviews()
        now = utcnow().replace(minute=0, second=0, microsecond=0)
        return {
            "chn4": chn4.id,
            "past": _visit(EventKind.DIALOGUE, "Dialogue in Bern", now - timedelta(days=400), chn4.id),
            "visit": _visit(EventKind.HEAD_OF_STATE_VISIT, "State visit", now + timedelta(days=30), chn4.id),
            "meeting": _visit(EventKind.MEETING, "Geneva briefing", now + timedelta(days=7), None),
        }


def test_upcoming_first_past_folded_and_filters(app: Flask, admin_client: FlaskClient) -> None:
    ids = _plan(app)
    page = admin_client.get("/calendar/visits").get_data(as_text=True)
    upcoming, past = page.split('<details class="past">')
    assert upcoming.index("Geneva briefing") < upcoming.index("State visit")
    assert "Dialogue in Bern" not in upcoming and "Dialogue in Bern" in past
    for event_id in (ids["past"], ids["visit"], ids["meeting"]):
        assert f'href="/calendar/events/{event_id}"' in page
    by_review = admin_client.get(f"/calendar/visits?review={ids['chn4']}").get_data(as_text=True)
    assert "State visit" in by_review and "Geneva briefing" not in by_review
    by_kind = admin_client.get("/calendar/visits?kind=meeting").get_data(as_text=True)
    assert "Geneva briefing" in by_kind and "State visit" not in by_kind and "Dialogue in Bern" not in by_kind
    nonsense = admin_client.get("/calendar/visits?kind=party&review=x")
    assert nonsense.status_code == 200 and "State visit" in nonsense.get_data(as_text=True)


def test_viewers_see_the_list_but_cannot_cancel(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    ids = _plan(app)
    sign_in(client, make_user(Role.VIEWER))
    page = client.get("/calendar/visits").get_data(as_text=True)
    assert "State visit" in page and "Cancel</button>" not in page
    assert client.post(f"/calendar/events/{ids['visit']}/status", data={"cancelled": "1"}).status_code == 403


def test_cancel_keeps_the_event_in_the_feed_as_cancelled_then_uncancel(
    app: Flask, admin_client: FlaskClient, tmp_path: Path
) -> None:
    ids = _plan(app)
    with app.app_context():
        owner = db.session.scalar(select(User))
        assert owner is not None
        chn4 = db.session.get(Event, ids["visit"])
        assert chn4 is not None and chn4.review is not None
        _row, token = feeds.create_token(owner, FeedScope.REVIEW, review=chn4.review)
        db.session.commit()
    uid = f"event-{ids['visit']}@{UID_DOMAIN}"

    def feed_event(name: str) -> dict[str, Any]:
        response = app.test_client().get(f"/calendar/feed/{token}.ics")
        (tmp_path / name).write_bytes(response.data)
        return {e["uid"]: e for e in parse_with_icaljs(tmp_path / name)["events"]}[uid]

    confirmed = feed_event("confirmed.ics")
    assert confirmed["status"] == "CONFIRMED" and confirmed["alarms"]
    cancel = admin_client.post(
        f"/calendar/events/{ids['visit']}/status?review={ids['chn4']}", data={"cancelled": "1"}
    )
    assert cancel.status_code == 302 and cancel.headers["Location"].endswith(
        f"/calendar/visits?review={ids['chn4']}"
    )
    listed = admin_client.get("/calendar/visits").get_data(as_text=True)
    assert "Uncancel</button>" in listed and 'badge">cancelled' in listed
    cancelled = feed_event("cancelled.ics")
    assert cancelled["status"] == "CANCELLED" and cancelled["alarms"] == []
    assert cancelled["sequence"] > confirmed["sequence"]
    assert cancelled["start"] == confirmed["start"]

    admin_client.post(f"/calendar/events/{ids['visit']}/status", data={"cancelled": "0"})
    assert admin_client.post("/calendar/events/999999/status", data={"cancelled": "1"}).status_code == 404
    again = feed_event("again.ics")
    assert again["status"] == "CONFIRMED" and again["sequence"] > cancelled["sequence"]
    with app.app_context():
        event = db.session.get(Event, ids["visit"])
        assert event is not None and event.local_start.tzinfo == ZoneInfo("Europe/Zurich")


def test_agenda_shows_the_open_mid_term_window(app: Flask, admin_client: FlaskClient) -> None:
    ids = _plan(app)
    today = admin_client.get("/calendar/?from=2026-11-23").get_data(as_text=True)
    window = today.split('aria-label="Open now"')[1].split("</section>")[0]
    assert "CHN-4: Mid-term report window" in window and "open since 23 July 2026 (estimated)" in window
    assert f"/calendar/reviews/{ids['chn4']}#midterm_report" in window
    assert "CHN-3" not in window  # its mid-term window closed when CHN-4 took place
    assert 'aria-label="Open now"' not in admin_client.get("/calendar/?from=2029-02-01").get_data(
        as_text=True
    )
    other_kind = admin_client.get("/calendar/?from=2026-11-23&kind=visit").get_data(as_text=True)
    assert 'aria-label="Open now"' not in other_kind


def test_demo_adds_one_invented_meeting_with_a_briefing_reminder(
    app: Flask, admin_client: FlaskClient
) -> None:
    from upr_calendar.demo import DEMO_MEETING, load_demo

    with app.app_context():
        china_reviews()
        load_demo()
        load_demo()
        db.session.commit()
        events = db.session.scalars(select(Event).where(Event.title == DEMO_MEETING)).all()
        assert len(events) == 1
        meeting = events[0]
        assert "(demo)" in meeting.title and "Invented for the demo" in meeting.description
        assert meeting.briefing_days_before == 7 and meeting.review is not None
        start = meeting.local_start.date()
    assert timedelta(days=14) <= start - dates.today() <= timedelta(days=28)
    agenda = admin_client.get("/calendar/").get_data(as_text=True)
    assert f"Meeting: {DEMO_MEETING}".replace("'", "&#39;") in agenda
    assert f"Send the briefing for {DEMO_MEETING}".replace("'", "&#39;") in agenda
