"""``upr bench ical-export``: our feed of 10,000 events with alarms against icalendar building the same."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import icalendar

from upr.benchmarks.harness import Measurement, Stopwatch, Workload, bench_database
from upr_calendar.items import AgendaItem

ZONES = ("Europe/Zurich", "America/New_York", "Asia/Shanghai")


def _seed(count: int) -> None:
    from crm.db import db
    from upr_calendar.models import Event, EventKind, EventStatus

    start = datetime(2026, 1, 5, 8, tzinfo=UTC)
    db.session.add_all(
        Event(
            kind=EventKind.MEETING,
            title=f"Briefing, mission {n}; follow-up 中国",
            description="Agenda:\nrecommendations 28.83, 28.84",
            starts_at=start + timedelta(hours=7 * n),
            ends_at=start + timedelta(hours=7 * n + 1),
            timezone=ZONES[n % len(ZONES)],
            status=EventStatus.CANCELLED if n % 50 == 0 else EventStatus.CONFIRMED,
            sequence=0,
        )
        for n in range(count)
    )
    db.session.commit()


def icalendar_floor(items: list[AgendaItem]) -> bytes:
    """The same events through icalendar's object model, as a careful integrator would write them."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//bench//EN")
    calendar.add("version", "2.0")
    stamp = datetime.now(UTC)
    for item in items:
        event = icalendar.Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", item.sequence)
        event.add("dtstart", item.start)
        event.add("dtend", item.end)
        event.add("summary", item.title)
        if item.description:
            event.add("description", item.description)
        event.add("url", item.url)
        event.add("status", "CANCELLED" if item.status == "cancelled" else "CONFIRMED")
        if item.status != "cancelled":
            for days in item.remind_days_before:
                alarm = icalendar.Alarm()
                alarm.add("action", "DISPLAY")
                alarm.add("description", item.title)
                alarm.add("trigger", timedelta(days=-days))
                event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def run(scale: float) -> Measurement:
    from upr_calendar.agenda import agenda
    from upr_calendar.ical import build_calendar

    count = max(100, int(10_000 * scale))
    with bench_database():
        _seed(count)
        first, last = date(2026, 1, 1), date(2036, 1, 1)
        with Stopwatch() as ours:
            items = agenda(first, last)
            body = build_calendar(items, "bench")
        with Stopwatch() as floor:
            icalendar_floor(items)
    assert len(items) == count and body.count("BEGIN:VEVENT") == count
    detail = (
        f"{count} events ({sum(1 for i in items if i.status == 'cancelled')} cancelled), {len(body)} bytes"
    )
    return Measurement(ours.seconds, floor.seconds, detail)


WORKLOADS = [
    Workload(
        "ical-export",
        1.3,
        "the agenda of 10,000 visits with alarms as an .ics feed vs icalendar building the same events",
        run,
    )
]
