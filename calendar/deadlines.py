"""A review's deadlines: derived from the rules (``data/deadline_rules.csv``), or official where entered.

Services stage changes on ``db.session``; the view or command that called them commits.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from crm import dates
from crm.db import db
from crm.models import Review
from upr_calendar.items import UID_DOMAIN, AgendaItem, CalendarError
from upr_calendar.models import REVIEW_KINDS, DeadlineKind, Event, EventStatus, OfficialDate, TreatyEvent
from upr_calendar.rule_texts import described
from upr_calendar.rules import Deadline, load_rules
from upr_calendar.translate import _

SEQUENCE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)


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
    raise CalendarError(_("Unknown deadline kind %(kind)s.", kind=repr(kind)))


def _next_state_date(review: Review, kind: DeadlineKind) -> date | None:
    """The next treaty-body date of that kind for the review's state, or the next visit on the review."""
    today = dates.today()
    if kind is DeadlineKind.VISIT:
        starts = db.session.scalar(
            select(Event.starts_at)
            .where(Event.review_id == review.id, Event.status == EventStatus.CONFIRMED)
            .where(Event.starts_at >= dates.start_of_day(today))
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
        raise CalendarError(_("%(deadline)s is not a review deadline.", deadline=kind.label))
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


def review_items(reviews: list[Review], members: dict[int, list[int]]) -> list[AgendaItem]:
    items = []
    every = all_review_deadlines(reviews)
    for review in reviews:
        for deadline in every[review.id]:
            if deadline.effective is None or deadline.rule is None:
                continue
            names = {"review": review.code, "deadline": deadline.kind.label}
            if deadline.official is None:
                title = _("%(review)s: %(deadline)s (estimated)", **names)
            else:
                title = _("%(review)s: %(deadline)s", **names)
            note = described(deadline.rule.description)
            if deadline.overridden and deadline.derived:
                note = _(
                    "Derived %(derived)s, official %(official)s. %(note)s",
                    derived=dates.format_day(deadline.derived),
                    official=dates.format_day(deadline.official),
                    note=note,
                )
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
