"""Deadlines, official dates and the agenda every view, feed and reminder reads.

Services stage changes on ``db.session``; the view or command that called them commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from crm.db import db
from crm.models import Review
from crm.teams.models import team_memberships
from upr_calendar.models import (
    REVIEW_KINDS,
    DeadlineKind,
    Event,
    EventStatus,
    OfficialDate,
    SensitiveDate,
    TreatyEvent,
)
from upr_calendar.rules import Deadline, load_rules
from upr_calendar.sensitive import list_sensitive_dates, sensitive_near

UID_DOMAIN = "upr-outreach"
SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class AgendaItem:
    """One thing in the calendar. All-day items have ``date`` start/end, ``end`` exclusive (as in iCal);
    timed ones have aware datetimes in the zone they happen in. ``url`` is a path in the app."""

    uid: str
    kind: str
    title: str
    start: date | datetime
    end: date | datetime
    all_day: bool
    review_id: int | None
    user_ids: list[int]
    remind_days_before: list[int]
    url: str
    status: str = "confirmed"
    description: str = ""
    sequence: int = 0
    team_id: int | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def day(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start


class CalendarError(ValueError):
    """Bad input to a calendar service; the message is shown to the person as is."""


# ---- review deadlines ---------------------------------------------------------------------------------


def _officials(review_ids: list[int]) -> dict[int, dict[DeadlineKind, OfficialDate]]:
    found: dict[int, dict[DeadlineKind, OfficialDate]] = defaultdict(dict)
    if review_ids:
        for row in db.session.scalars(select(OfficialDate).where(OfficialDate.review_id.in_(review_ids))):
            found[row.review_id][row.kind] = row
    return found


def all_review_deadlines(reviews: list[Review] | None = None) -> dict[int, list[Deadline]]:
    """Each review's deadlines, derived and official; a review without a date is anchored on the previous
    cycle's next review, and a next review is the next cycle's actual date when that is known."""
    every = list(db.session.scalars(select(Review)))
    wanted = reviews if reviews is not None else every
    officials = _officials([r.id for r in every])
    by_cycle = {(r.state_code, r.cycle): r for r in every}
    rules = load_rules()
    versions = _state_versions(every, officials)

    def official_on(review: Review, kind: DeadlineKind) -> date | None:
        row = officials[review.id].get(kind)
        return row.on if row is not None else None

    def known_date(review: Review) -> date | None:
        return official_on(review, DeadlineKind.REVIEW) or review.review_date

    def anchor(review: Review, depth: int = 0) -> date | None:
        previous = by_cycle.get((review.state_code, review.cycle - 1))
        if known_date(review) is not None or previous is None or depth > 5:
            return known_date(review)
        previous_anchor = anchor(previous, depth + 1)
        return rules[DeadlineKind.NEXT_REVIEW].apply(previous_anchor) if previous_anchor else None

    result: dict[int, list[Deadline]] = {}
    for review in wanted:
        base = anchor(review)
        following = by_cycle.get((review.state_code, review.cycle + 1))
        stated = {
            DeadlineKind.REVIEW: review.review_date,
            DeadlineKind.ADOPTION: review.outcome_adopted_on,
            DeadlineKind.NEXT_REVIEW: known_date(following) if following else None,
        }
        base_sequence = versions[review.state_code]
        deadlines = []
        for kind in REVIEW_KINDS:
            rule = rules.get(kind)
            row = officials[review.id].get(kind)
            derived = rule.apply(base) if rule and base else None
            official = (row.on if row else None) or stated.get(kind)
            if kind is DeadlineKind.REVIEW:
                derived, official = base, official_on(review, kind) or review.review_date
            sequence = _sequence(row) + base_sequence
            deadlines.append(Deadline(kind, derived, official, sequence, rule))
        result[review.id] = deadlines
    return result


def _sequence(row: OfficialDate | None) -> int:
    return row.sequence if row is not None else 0


def _state_versions(
    reviews: list[Review], officials: dict[int, dict[DeadlineKind, OfficialDate]]
) -> dict[str, int]:
    """A number that only goes up when any review date of a state changes, added to every derived
    deadline's SEQUENCE: one cycle's date anchors the next cycle's estimates, so editing CHN-4 moves CHN-5's.

    It is the last edit of the state's reviews in whole seconds since ``SEQUENCE_EPOCH`` (fits the 32-bit
    SEQUENCE until 2088) plus the edit counts of their official review dates.
    """
    versions: dict[str, int] = defaultdict(int)
    for review in reviews:
        edited = int((review.updated_at - SEQUENCE_EPOCH).total_seconds())
        versions[review.state_code] = max(versions[review.state_code], edited)
    for review in reviews:
        versions[review.state_code] += _sequence(officials[review.id].get(DeadlineKind.REVIEW))
    return versions


def review_deadlines(review: Review) -> list[Deadline]:
    return all_review_deadlines([review])[review.id]


def deadline_date(review_id: int, kind: str) -> date | None:
    """The effective date (official if entered, else derived) of a review's deadline of that kind."""
    review = db.session.get(Review, review_id)
    if review is None:
        return None
    if kind in {k.value for k in REVIEW_KINDS}:
        return next((d.effective for d in review_deadlines(review) if d.kind == kind), None)
    if kind in {k.value for k in DeadlineKind}:
        return _next_state_date(review, DeadlineKind(kind))
    raise CalendarError(f"Unknown deadline kind {kind!r}.")


def _next_state_date(review: Review, kind: DeadlineKind) -> date | None:
    """The next treaty-body date of that kind for the review's state, or the next visit on the review."""
    today = datetime.now(ZoneInfo("UTC")).date()
    if kind is DeadlineKind.VISIT:
        starts = db.session.scalar(
            select(Event.starts_at)
            .where(Event.review_id == review.id, Event.status == EventStatus.CONFIRMED)
            .where(Event.starts_at >= datetime.combine(today, datetime.min.time(), ZoneInfo("UTC")))
            .order_by(Event.starts_at)
            .limit(1)
        )
        return starts.date() if starts else None
    return db.session.scalar(
        select(TreatyEvent.on)
        .where(TreatyEvent.state_code == review.state_code, TreatyEvent.kind == kind, TreatyEvent.on >= today)
        .order_by(TreatyEvent.on)
        .limit(1)
    )


def set_official_date(review: Review, kind: DeadlineKind, on: date | None, source: str = "") -> OfficialDate:
    """Enter (or, with ``on=None``, remove) an official date; the sequence goes up so clients update."""
    if kind not in REVIEW_KINDS:
        raise CalendarError(f"{kind.label} is not a review deadline.")
    row = db.session.scalar(
        select(OfficialDate).where(OfficialDate.review_id == review.id, OfficialDate.kind == kind)
    )
    if row is None:
        row = OfficialDate(review_id=review.id, kind=kind, sequence=0)
        db.session.add(row)
    elif row.on == on and row.source == source.strip():
        return row
    row.on = on
    row.source = source.strip()
    row.sequence = (row.sequence or 0) + 1
    return row


# ---- the agenda ---------------------------------------------------------------------------------------


def _team_members() -> dict[int, list[int]]:
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in db.session.execute(
        select(team_memberships.c.team_id, team_memberships.c.user_id)
    ):
        members[team_id].append(user_id)
    return members


def _review_items(reviews: list[Review], members: dict[int, list[int]]) -> list[AgendaItem]:
    items = []
    every = all_review_deadlines(reviews)
    for review in reviews:
        for deadline in every[review.id]:
            if deadline.effective is None or deadline.rule is None:
                continue
            title = f"{review.code}: {deadline.kind.label}"
            if deadline.official is None:
                title += " (estimated)"
            note = deadline.rule.description
            if deadline.overridden and deadline.derived:
                note = f"Derived {deadline.derived:%-d %b %Y}, official {deadline.official:%-d %b %Y}. {note}"
            items.append(
                AgendaItem(
                    uid=f"review-{review.id}-{deadline.kind.value}@{UID_DOMAIN}",
                    kind=deadline.kind.value,
                    title=title,
                    start=deadline.effective,
                    end=deadline.effective + timedelta(days=1),
                    all_day=True,
                    review_id=review.id,
                    user_ids=list(members.get(review.team_id, [])) if review.team_id else [],
                    remind_days_before=list(deadline.rule.remind_days_before),
                    url=f"/calendar/reviews/{review.id}#{deadline.kind.value}",
                    description=note,
                    sequence=deadline.sequence,
                    team_id=review.team_id,
                )
            )
    return items


def event_items(
    event: Event, members: dict[int, list[int]], sensitive: list[SensitiveDate] | None = None
) -> list[AgendaItem]:
    """A visit and, if asked for, the all-day "send the briefing" item so many days before it."""
    zone = ZoneInfo(event.timezone)
    start, end = event.starts_at.astimezone(zone), event.ends_at.astimezone(zone)
    users = sorted(
        {*(members.get(event.team_id, []) if event.team_id else []), *filter(None, [event.owner_id])}
    )
    warnings = tuple(
        sensitive_near(start.date(), end.date(), event.review.state_code if event.review else None, sensitive)
    )
    reminders = [1] + ([event.briefing_days_before] if event.briefing_days_before else [])
    common = {
        "review_id": event.review_id,
        "user_ids": users,
        "status": event.status.value,
        "sequence": event.sequence,
        "team_id": event.team_id,
        "url": f"/calendar/events/{event.id}",
    }
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
        **common,  # type: ignore[arg-type]
    )
    if not event.briefing_days_before:
        return [visit]
    due = start.date() - timedelta(days=event.briefing_days_before)
    briefing = AgendaItem(
        uid=f"event-{event.id}-briefing@{UID_DOMAIN}",
        kind=DeadlineKind.BRIEFING.value,
        title=f"Send the briefing for {event.title}",
        start=due,
        end=due + timedelta(days=1),
        all_day=True,
        remind_days_before=[2],
        description=f"{event.briefing_days_before} days before, {start:%-d %b %Y %H:%M}.",
        **common,  # type: ignore[arg-type]
    )
    return [visit, briefing]


def _filtered_reviews(
    members: dict[int, list[int]], *, review_id: int | None, team_id: int | None, user_id: int | None
) -> list[Review]:
    reviews = list(db.session.scalars(select(Review).order_by(Review.state_code, Review.cycle)))
    if review_id is not None:
        reviews = [r for r in reviews if r.id == review_id]
    if team_id is not None:
        reviews = [r for r in reviews if r.team_id == team_id]
    if user_id is not None:
        reviews = [r for r in reviews if user_id in members.get(r.team_id or 0, [])]
    return reviews


@dataclass(frozen=True)
class OpenWindow:
    """A stage of a review's cycle that is under way on a day, e.g. the mid-term report window."""

    review: Review
    deadline: Deadline
    closes: date


# A window opens on its deadline and stays open until the deadline named here (both come from the rules).
WINDOWS = {DeadlineKind.MIDTERM_REPORT: DeadlineKind.NEXT_REVIEW}


def open_windows(
    day: date, *, review_id: int | None = None, team_id: int | None = None, user_id: int | None = None
) -> list[OpenWindow]:
    """Windows open on ``day``, which a list of what falls due from ``day`` on would otherwise miss."""
    reviews = _filtered_reviews(_team_members(), review_id=review_id, team_id=team_id, user_id=user_id)
    found = []
    for review_id_, deadlines in all_review_deadlines(reviews).items():
        by_kind = {d.kind: d for d in deadlines}
        for kind, until in WINDOWS.items():
            opens, closes = by_kind[kind].effective, by_kind[until].effective
            if opens is not None and closes is not None and opens <= day < closes:
                review = next(r for r in reviews if r.id == review_id_)
                found.append(OpenWindow(review, by_kind[kind], closes))
    return found


def agenda(
    start: date,
    end: date,
    *,
    user_id: int | None = None,
    team_id: int | None = None,
    review_id: int | None = None,
    kinds: set[str] | None = None,
) -> list[AgendaItem]:
    """Everything due from ``start`` to ``end`` (inclusive), filtered, in date order."""
    from upr_calendar.tasks import task_items
    from upr_calendar.treaties import treaty_items

    members = _team_members()
    user_teams = {t for t, users in members.items() if user_id in users} if user_id is not None else set()
    reviews = _filtered_reviews(members, review_id=review_id, team_id=team_id, user_id=user_id)
    events = db.session.scalars(
        select(Event).where(
            Event.starts_at
            < datetime.combine(end + timedelta(days=60), datetime.min.time(), ZoneInfo("UTC")),
            Event.ends_at
            >= datetime.combine(start - timedelta(days=1), datetime.min.time(), ZoneInfo("UTC")),
        )
    )
    items = _review_items(reviews, members) + treaty_items(reviews, members)
    sensitive = list_sensitive_dates()
    for event in events:
        if review_id is not None and event.review_id != review_id:
            continue
        if team_id is not None and event.team_id != team_id:
            continue
        if user_id is not None and event.owner_id != user_id and event.team_id not in user_teams:
            continue
        items += event_items(event, members, sensitive)
    items += task_items(start, end, user_id=user_id, team_id=team_id, review_id=review_id)
    chosen = [item for item in items if start <= item.day <= end and (kinds is None or item.kind in kinds)]
    return sorted(chosen, key=lambda item: (item.day, item.all_day is False, str(item.start), item.uid))
