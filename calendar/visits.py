"""Visits, dialogues and meetings: local wall times turned into instants, refusing times that do not exist."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from crm import dates
from crm.db import db
from upr_calendar.items import UID_DOMAIN, AgendaItem, CalendarError
from upr_calendar.models import DeadlineKind, Event, EventKind, EventStatus, SensitiveDate
from upr_calendar.sensitive_dates import sensitive_near


def parse_day(text: str) -> date:
    """An ISO date (2025-06-30); "2025-06-31" gets "There is no 31 June 2025." rather than a bare error."""
    try:
        return dates.parse_day(text)
    except dates.DateError as problem:
        raise CalendarError(str(problem)) from None


def local_instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    """The instant a wall-clock time names in a zone; a time skipped when clocks go forward is refused."""
    moment = datetime.combine(day, at, zone)
    back = moment.astimezone(UTC).astimezone(zone)
    if back.replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise CalendarError(
            f"{at:%H:%M} on {day:%-d %B %Y} does not exist in {zone.key}: the clocks go forward that night. "
            "Choose a time before or after the change."
        )
    return moment


def save_event(
    event: Event | None,
    *,
    kind: EventKind,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    timezone: str,
    description: str = "",
    location: str = "",
    briefing_days_before: int | None = None,
    review_id: int | None = None,
    team_id: int | None = None,
    owner_id: int | None = None,
) -> Event:
    """Add a visit or change one; any change bumps its SEQUENCE so subscribed calendars update it."""
    if not title.strip():
        raise CalendarError("Give the visit or meeting a title.")
    if ends_at <= starts_at:
        raise CalendarError("The end must be after the start.")
    if briefing_days_before is not None and not 0 < briefing_days_before <= 365:
        raise CalendarError("Send the briefing between 1 and 365 days before.")
    fields = {
        "kind": kind,
        "title": title.strip(),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "timezone": dates.zone(timezone).key,
        "description": description.strip(),
        "location": location.strip(),
        "briefing_days_before": briefing_days_before,
        "review_id": review_id,
        "team_id": team_id,
        "owner_id": owner_id,
    }
    if event is None:
        event = Event(sequence=0, status=EventStatus.CONFIRMED, **fields)
        db.session.add(event)
        return event
    if any(getattr(event, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(event, name, value)
        event.sequence += 1
    return event


def set_status(event: Event, status: EventStatus) -> None:
    if event.status is not status:
        event.status = status
        event.sequence += 1


def list_events(
    now: datetime, *, review_id: int | None = None, kind: EventKind | None = None
) -> tuple[list[Event], list[Event]]:
    """Visits still to come (soonest first) and those already over (latest first), filtered."""
    query = select(Event)
    if review_id is not None:
        query = query.where(Event.review_id == review_id)
    if kind is not None:
        query = query.where(Event.kind == kind)
    upcoming = db.session.scalars(query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id))
    past = db.session.scalars(query.where(Event.ends_at < now).order_by(Event.starts_at.desc(), Event.id))
    return list(upcoming), list(past)


def event_items(
    event: Event, members: dict[int, list[int]], sensitive: list[SensitiveDate] | None = None
) -> list[AgendaItem]:
    """A visit and, if asked for, the all-day "send the briefing" item so many days before it."""
    zone = dates.zone(event.timezone)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    users = sorted(
        {*(members.get(event.team_id, []) if event.team_id else []), *filter(None, [event.owner_id])}
    )
    warnings = tuple(
        sensitive_near(start.date(), end.date(), event.review.state_code if event.review else None, sensitive)
    )
    reminders = [1] + ([event.briefing_days_before] if event.briefing_days_before else [])
    visit = AgendaItem(
        uid=f"event-{event.id}@{UID_DOMAIN}",
        kind=DeadlineKind.VISIT.value,
        title=f"{event.kind.label}: {event.title}",
        start=start,
        end=end,
        all_day=False,
        remind_days_before=sorted(set(reminders)),
        description="\n".join(
            [event.description, *[f"Sensitive date nearby: {w}" for w in warnings]]
        ).strip(),
        warnings=warnings,
        review_id=event.review_id,
        user_ids=users,
        status=event.status.value,
        sequence=event.sequence,
        team_id=event.team_id,
        url=f"/calendar/events/{event.id}/summary",
    )
    if not event.briefing_days_before:
        return [visit]
    due = start.date() - timedelta(days=event.briefing_days_before)
    # The reminder to send the briefing shares the visit's people, status, version and page.
    briefing = replace(
        visit,
        uid=f"event-{event.id}-briefing@{UID_DOMAIN}",
        kind=DeadlineKind.BRIEFING.value,
        title=f"Send the briefing for {event.title}",
        start=due,
        end=due + timedelta(days=1),
        all_day=True,
        remind_days_before=[2],
        description=f"{event.briefing_days_before} days before, {start:%-d %b %Y %H:%M}.",
        warnings=(),
    )
    return [visit, briefing]
