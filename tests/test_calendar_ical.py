"""Every exported feed read back by Mozilla's ical.js: instants, all-day flags, alarms and status match."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crm.db import db
from tests.calendar_helpers import china_reviews, parse_with_icaljs
from upr_calendar.agenda import agenda
from upr_calendar.ical import build_calendar, escape_text, fold
from upr_calendar.items import UID_DOMAIN, AgendaItem, CalendarError
from upr_calendar.models import EventKind, EventStatus
from upr_calendar.visits import local_instant, parse_day, save_event, set_status

ZONES = ["Europe/Zurich", "America/New_York", "Asia/Shanghai"]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _check_round_trip(items: list[AgendaItem], path: Path) -> dict[str, dict[str, object]]:
    path.write_text(build_calendar(items, "Test calendar"), encoding="utf-8", newline="")
    parsed = parse_with_icaljs(path)
    assert parsed["name"] == "Test calendar"
    events = {event["uid"]: event for event in parsed["events"]}
    assert len(events) == len(items)
    for item in items:
        event = events[item.uid]
        assert event["all_day"] is item.all_day
        assert event["summary"] == item.title.replace("\r\n", "\n").replace("\r", "\n")
        assert event["status"] == item.status.upper()
        expected_alarms = [] if item.status == "cancelled" else [f"-P{d}D" for d in item.remind_days_before]
        assert [a["trigger"] for a in event["alarms"]] == expected_alarms
        if item.all_day:
            assert isinstance(item.start, date)
            assert event["start_value"] == item.start.isoformat()
            assert event["end_value"] == item.end.isoformat()
        else:
            assert isinstance(item.start, datetime) and isinstance(item.end, datetime)
            assert event["start"] == _iso(item.start), item
            assert event["end"] == _iso(item.end), item
    return events


def test_text_escaping_and_folding() -> None:
    assert escape_text("a,b;c\\d\r\ne\rf\ng") == "a\\,b\\;c\\\\d\\ne\\nf\\ng"
    folded = fold("SUMMARY:" + "中国人权" * 30)
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "中国人权" * 30


def test_meetings_across_dst_changes_read_the_same_in_icaljs(tmp_path: Path) -> None:
    items = []
    # Wall-clock times, made aware in their zone below.
    moments = [
        ("Europe/Zurich", (2025, 3, 30, 1, 30)),  # just before spring forward
        ("Europe/Zurich", (2025, 3, 30, 3, 30)),  # just after
        ("Europe/Zurich", (2025, 10, 26, 2, 30)),  # the repeated hour, first time
        ("America/New_York", (2025, 3, 9, 1, 59)),
        ("America/New_York", (2025, 11, 2, 1, 30)),  # repeated hour in New York
        ("America/New_York", (2026, 7, 4, 9, 0)),
        ("Asia/Shanghai", (2025, 3, 30, 9, 0)),
    ]
    for number, (zone, wall) in enumerate(moments):
        start = datetime(*wall, tzinfo=ZoneInfo(zone))
        items.append(
            AgendaItem(
                uid=f"event-{number}@{UID_DOMAIN}",
                kind="visit",
                title=f"Meeting in {zone}",
                start=start,
                end=start + timedelta(hours=26),
                all_day=False,
                review_id=None,
                user_ids=[],
                remind_days_before=[21, 1],
                url="/calendar",
                status="confirmed",
            )
        )
    items.append(
        AgendaItem(
            uid=f"deadline@{UID_DOMAIN}",
            kind="review",
            title="CHN-4: UPR review",
            start=date(2024, 1, 23),
            end=date(2024, 1, 24),
            all_day=True,
            review_id=None,
            user_ids=[],
            remind_days_before=[7],
            url="/calendar",
            status="cancelled",
        )
    )
    events = _check_round_trip(items, tmp_path / "dst.ics")
    assert events[f"event-0@{UID_DOMAIN}"]["start"] == "2025-03-30T00:30:00.000Z"
    assert events[f"event-1@{UID_DOMAIN}"]["start"] == "2025-03-30T01:30:00.000Z"


titles = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
    | st.sampled_from([",", ";", "\\", "\n", "\r", "中"]),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s.strip())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(ZONES),
            st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)),  # noqa: DTZ001  # hypothesis wants naive bounds
            st.integers(min_value=15, max_value=60 * 24 * 3),
            titles,
            st.booleans(),
            st.lists(st.integers(min_value=1, max_value=60), max_size=3, unique=True),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_generated_events_round_trip_through_icaljs(tmp_path: Path, events: list[tuple]) -> None:  # type: ignore[type-arg]
    items = []
    for number, (zone, instant, minutes, title, cancelled, reminders) in enumerate(events):
        start = instant.replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
        items.append(
            AgendaItem(
                uid=f"generated-{number}@{UID_DOMAIN}",
                kind="visit",
                title=title,
                start=start,
                end=start + timedelta(minutes=minutes),
                all_day=False,
                review_id=None,
                user_ids=[],
                remind_days_before=reminders,
                url="/calendar",
                status="cancelled" if cancelled else "confirmed",
            )
        )
    _check_round_trip(items, tmp_path / "generated.ics")


def test_database_agenda_round_trips_including_visits(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        _chn3, chn4 = china_reviews()
        zurich = ZoneInfo("Europe/Zurich")
        visit = save_event(
            None,
            kind=EventKind.HEAD_OF_STATE_VISIT,
            title="Visit, Beijing; 中国\r\nsecond line",
            starts_at=local_instant(date(2024, 3, 29), time(10, 0), zurich),
            ends_at=local_instant(date(2024, 4, 2), time(12, 0), zurich),
            timezone="Europe/Zurich",
            briefing_days_before=21,
            review_id=chn4.id,
        )
        db.session.commit()
        set_status(visit, EventStatus.CANCELLED)
        db.session.commit()
        items = agenda(date(2023, 1, 1), date(2030, 1, 1))
        events = _check_round_trip(items, tmp_path / "agenda.ics")
        parsed = events[f"event-{visit.id}@{UID_DOMAIN}"]
        assert parsed["status"] == "CANCELLED" and parsed["sequence"] == 1
        briefing = events[f"event-{visit.id}-briefing@{UID_DOMAIN}"]
        assert briefing["start_value"] == "2024-03-08"
        review = events[f"review-{chn4.id}-stakeholder_submission@{UID_DOMAIN}"]
        assert (
            review["start_value"] == "2023-07-18"
            and "Derived 16 Jun 2023, official 18 Jul 2023" in review["description"]
        )


def test_bad_dates_and_times_are_refused_with_one_clear_message() -> None:
    with pytest.raises(CalendarError, match="There is no 31 June 2025"):
        parse_day("2025-06-31")
    with pytest.raises(CalendarError, match="YYYY-MM-DD"):
        parse_day("30/06/2025")
    with pytest.raises(CalendarError, match="does not exist in Europe/Zurich"):
        local_instant(date(2025, 3, 30), time(2, 30), ZoneInfo("Europe/Zurich"))
    assert local_instant(date(2025, 3, 30), time(3, 30), ZoneInfo("Europe/Zurich")).utcoffset() == timedelta(
        hours=2
    )


def test_an_end_before_the_start_is_refused(app: Flask) -> None:
    start = datetime(2025, 5, 1, 10, tzinfo=UTC)
    with app.app_context(), pytest.raises(CalendarError, match="end must be after the start"):
        save_event(
            None,
            kind=EventKind.MEETING,
            title="x",
            starts_at=start,
            ends_at=start - timedelta(hours=1),
            timezone="UTC",
        )
