"""Treaty-body dates as agenda items: those entered, and the NGO deadlines estimated before sessions."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from crm.db import db
from crm.i18n import current_language
from crm.models import Review, State
from crm.state_names import display_name
from upr_calendar.items import UID_DOMAIN, AgendaItem
from upr_calendar.models import DatePrecision, DeadlineKind, TreatyEvent
from upr_calendar.translate import _
from upr_calendar.treaties import TREATY_REMINDERS, FuzzyDate, derived_ngo_deadlines


def treaty_items(reviews: list[Review], members: dict[int, list[int]]) -> list[AgendaItem]:
    """Treaty-body dates of the states under the given reviews; reminders go to those reviews' teams."""
    teams_by_state: dict[str, set[int]] = {}
    for review in reviews:
        if review.team_id is not None:
            teams_by_state.setdefault(review.state_code, set()).add(review.team_id)
        else:
            teams_by_state.setdefault(review.state_code, set())
    if not teams_by_state:
        return []
    items = []
    rows = list(db.session.scalars(select(TreatyEvent).where(TreatyEvent.state_code.in_(teams_by_state))))
    # Titles name the state as people do, in the reader's language ("CERD · China", "CERD · Chine").
    language = current_language()
    names = {
        code: display_name(code, language, name)
        for code, name in db.session.execute(
            select(State.code, State.name).where(State.code.in_(teams_by_state))
        ).all()
    }
    for row in rows:
        when = FuzzyDate(row.on, row.precision)
        users = sorted({u for team in teams_by_state[row.state_code] for u in members.get(team, [])})
        words = {
            "treaty": row.treaty.value,
            "state": names.get(row.state_code, row.state_code),
            "what": row.label or row.kind.label,
        }
        if row.precision is DatePrecision.DAY:
            title = _("%(treaty)s · %(state)s: %(what)s", **words)
        else:
            title = _(
                "%(treaty)s · %(state)s: %(what)s (%(when)s, exact date not yet known)",
                when=when.describe(),
                **words,
            )
        items.append(
            _treaty_item(
                f"treaty-{row.id}", row.kind, title, row.on, row=row, users=users, description=row.source
            )
        )
    for estimate in derived_ngo_deadlines(rows):
        session = estimate.session
        users = sorted({u for team in teams_by_state[session.state_code] for u in members.get(team, [])})
        title = _(
            "%(treaty)s · %(state)s: %(what)s (estimated)",
            treaty=estimate.treaty.value,
            state=names.get(session.state_code, session.state_code),
            what=estimate.kind.label,
        )
        uid = f"treaty-{session.id}-{estimate.kind.value}"
        items.append(
            _treaty_item(
                uid,
                estimate.kind,
                title,
                estimate.on,
                row=session,
                users=users,
                description=estimate.description,
            )
        )
    return items


def _treaty_item(
    uid: str,
    kind: DeadlineKind,
    title: str,
    on: date,
    *,
    row: TreatyEvent,
    users: list[int],
    description: str,
) -> AgendaItem:
    # An estimate follows its session: it takes the session's SEQUENCE, so a moved session moves it too.
    return AgendaItem(
        uid=f"{uid}@{UID_DOMAIN}",
        kind=kind.value,
        title=title,
        start=on,
        end=on + timedelta(days=1),
        all_day=True,
        review_id=None,
        user_ids=users,
        remind_days_before=TREATY_REMINDERS.get(kind, [14]),
        url=f"/calendar/treaties/{row.state_code}",
        description=description,
        sequence=row.sequence,
    )
