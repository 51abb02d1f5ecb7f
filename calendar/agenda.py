"""The agenda: every source of dated things (review deadlines, treaty bodies, visits, tasks) in one list.

Pages, feeds, reminders and the dashboard all read it through :func:`agenda`, filtered by user, team,
review or kind; :func:`open_windows` adds the stages under way on a day (the mid-term report window).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from crm import dates
from crm.db import db
from crm.models import Review
from crm.teams.models import team_memberships
from upr_calendar.deadlines import all_review_deadlines, review_items
from upr_calendar.items import AgendaItem
from upr_calendar.models import DeadlineKind, Event
from upr_calendar.rules import Deadline
from upr_calendar.sensitive_dates import list_sensitive_dates
from upr_calendar.tasks import task_items
from upr_calendar.treaty_items import treaty_items
from upr_calendar.visits import event_items


def _team_members() -> dict[int, list[int]]:
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, user_id in db.session.execute(
        select(team_memberships.c.team_id, team_memberships.c.user_id)
    ):
        members[team_id].append(user_id)
    return members


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
    members = _team_members()
    user_teams = {t for t, users in members.items() if user_id in users} if user_id is not None else set()
    reviews = _filtered_reviews(members, review_id=review_id, team_id=team_id, user_id=user_id)
    events = db.session.scalars(
        select(Event).where(
            Event.starts_at < dates.start_of_day(end + timedelta(days=60)),
            Event.ends_at >= dates.start_of_day(start - timedelta(days=1)),
        )
    )
    items = review_items(reviews, members) + treaty_items(reviews, members)
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
