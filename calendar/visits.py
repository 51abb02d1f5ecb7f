"""Visits, dialogues and meetings: local wall times turned into instants, refusing times that do not exist."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from crm import dates
from crm.auth.access import EDITOR_ROLES
from crm.auth.models import User
from crm.contacts.models import Contact, InteractionKind, Organisation
from crm.contacts.origins import Origin
from crm.contacts.references import ContactReferences
from crm.db import db
from crm.teams.models import team_memberships
from upr_calendar.items import UID_DOMAIN, AgendaItem, CalendarError
from upr_calendar.models import DeadlineKind, Event, EventKind, EventStatus, SensitiveDate, event_contacts
from upr_calendar.sensitive_dates import sensitive_near
from upr_calendar.translate import _, ngettext


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
            _(
                "%(time)s on %(day)s does not exist in %(zone)s: the clocks go forward that night. "
                "Choose a time before or after the change.",
                time=at.strftime("%H:%M"),
                day=dates.format_long_day(day),
                zone=zone.key,
            )
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
    organisation_id: int | None = None,
    contacts: list[Contact] | None = None,
) -> Event:
    """Add a visit or change one; any change bumps its SEQUENCE so subscribed calendars update it.

    The organisation and the people met are the app's own record (they never reach a feed), so changing
    only them does not bump the SEQUENCE.
    """
    if not title.strip():
        raise CalendarError(_("Give the visit or meeting a title."))
    if ends_at <= starts_at:
        raise CalendarError(_("The end must be after the start."))
    if briefing_days_before is not None and not 0 < briefing_days_before <= 365:
        raise CalendarError(_("Send the briefing between 1 and 365 days before."))
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
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        raise CalendarError(_("That organisation does not exist any more; choose another."))
    if event is None:
        event = Event(sequence=0, status=EventStatus.CONFIRMED, **fields)
        db.session.add(event)
    elif any(getattr(event, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(event, name, value)
        event.sequence += 1
    event.organisation_id = organisation_id
    if contacts is not None:
        event.contacts = list(dict.fromkeys(contacts))
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


def briefing_day(event: Event) -> date | None:
    """The day to send the briefing, so many days before the visit (local day where it happens)."""
    if not event.briefing_days_before:
        return None
    return event.local_start.date() - timedelta(days=event.briefing_days_before)


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
        title=_("%(kind)s: %(title)s", kind=event.kind.label, title=event.title),
        start=start,
        end=end,
        all_day=False,
        remind_days_before=sorted(set(reminders)),
        description="\n".join(
            [event.description, *[_("Sensitive date nearby: %(date)s", date=w) for w in warnings]]
        ).strip(),
        warnings=warnings,
        review_id=event.review_id,
        user_ids=users,
        status=event.status.value,
        sequence=event.sequence,
        team_id=event.team_id,
        url=f"/calendar/events/{event.id}/summary",
    )
    due = briefing_day(event)
    if due is None:
        return [visit]
    # The reminder to send the briefing shares the visit's people, status, version and page.
    briefing = replace(
        visit,
        uid=f"event-{event.id}-briefing@{UID_DOMAIN}",
        kind=DeadlineKind.BRIEFING.value,
        title=_("Send the briefing for %(title)s", title=event.title),
        start=due,
        end=due + timedelta(days=1),
        all_day=True,
        remind_days_before=[2],
        description=ngettext(
            "%(num)d day before, %(start)s.",
            "%(num)d days before, %(start)s.",
            event.briefing_days_before or 0,
            start=dates.format_day(start) + start.strftime(" %H:%M"),
        ),
        warnings=(),
    )
    return [visit, briefing]


@dataclass(frozen=True)
class PlannedReminder:
    """A reminder e-mail the sweep will send about a visit (or its briefing), and to whom."""

    on: date
    about: str
    days_before: int
    recipients: list[str]


def planned_reminders(event: Event) -> list[PlannedReminder]:
    """The reminders a visit plans: before the visit itself, and before its "send the briefing" day.

    Sent to the team's members and the visit's owner (officers, coordinators and admins with an active
    account), by ``outreach.reminders`` when each day comes.
    """
    members = {}
    if event.team_id is not None:
        members[event.team_id] = list(
            db.session.scalars(
                select(team_memberships.c.user_id).where(team_memberships.c.team_id == event.team_id)
            )
        )
    planned = []
    for item in event_items(event, members):
        people = db.session.scalars(
            select(User)
            .where(User.id.in_(item.user_ids), User.active.is_(True), User.role.in_(EDITOR_ROLES))
            .order_by(User.email)
        )
        names = [person.display_name for person in people]
        day = item.start.date() if isinstance(item.start, datetime) else item.start
        for days in sorted(item.remind_days_before, reverse=True):
            planned.append(PlannedReminder(day - timedelta(days=days), item.title, days, names))
    return sorted(planned, key=lambda reminder: reminder.on)


# Interactions logged after a visit record it as their origin ("calendar-event:<id>").
ORIGIN_PREFIX = "calendar-event"


def event_origin(event_id: int) -> str:
    return f"{ORIGIN_PREFIX}:{event_id}"


def event_as_origin(event_id: int) -> Origin | None:
    """A visit as what an interaction followed: the log of it starts from its time and its people."""
    event = db.session.get(Event, event_id)
    if event is None:
        return None
    return Origin(
        key=event_origin(event.id),
        label=_(
            "%(kind)s “%(title)s” of %(day)s",
            kind=event.kind.in_sentence,
            title=event.title,
            day=dates.format_long_day(event.local_start.date()),
        ),
        url=f"/calendar/events/{event.id}",
        kind=InteractionKind.MEETING,
        occurred_at=event.starts_at,
        timezone=event.timezone,
        contact_ids=[c.id for c in event.contacts],
    )


def _events_naming(contact_id: int) -> set[int]:
    query = select(event_contacts.c.event_id).where(event_contacts.c.contact_id == contact_id)
    return set(db.session.scalars(query))


def count_visits_naming(duplicate_id: int, keep_id: int) -> int:
    """How many visits name the duplicate of a merge (those naming both keep one entry)."""
    return len(_events_naming(duplicate_id) - _events_naming(keep_id))


def move_visits_naming(duplicate_id: int, keep_id: int) -> dict[str, list[int]]:
    """Put the kept contact on the visits that named the duplicate; returns what the undo needs."""
    theirs, ours = _events_naming(duplicate_id), _events_naming(keep_id)
    db.session.execute(event_contacts.delete().where(event_contacts.c.contact_id == duplicate_id))
    moved = sorted(theirs - ours)
    if moved:
        db.session.execute(event_contacts.insert(), [{"event_id": e, "contact_id": keep_id} for e in moved])
    return {"moved": moved, "shared": sorted(theirs & ours)}


def restore_visits_naming(keep_id: int, duplicate_id: int, moved: dict[str, list[int]]) -> None:
    """Undo ``move_visits_naming``: the duplicate is back on its visits, the kept one off those it joined."""
    db.session.execute(
        event_contacts.delete().where(
            event_contacts.c.contact_id == keep_id, event_contacts.c.event_id.in_(moved["moved"])
        )
    )
    back = sorted(set(moved["moved"] + moved["shared"]) - _events_naming(duplicate_id))
    if back:
        db.session.execute(
            event_contacts.insert(), [{"event_id": e, "contact_id": duplicate_id} for e in back]
        )


VISIT_REFERENCES = ContactReferences(
    key=ORIGIN_PREFIX,
    noun="planned visit or meeting",
    count=count_visits_naming,
    move=move_visits_naming,
    restore=restore_visits_naming,
)
