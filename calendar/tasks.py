"""Open follow-ups and successor tasks from the contacts area, as agenda items.

``crm.contacts.models`` is optional: without it the agenda simply has no tasks. A task about an at-risk
contact gets a neutral title, because agenda items end up in feeds that leave the app.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from crm.contacts.models import Contact, SafetyLevel
from crm.db import db
from upr_calendar.models import DeadlineKind
from upr_calendar.services import UID_DOMAIN, AgendaItem

PROTECTED_TITLE = "Follow-up with a protected contact (details in the app)"


def task_items(
    start: date, end: date, *, user_id: int | None, team_id: int | None, review_id: int | None
) -> list[AgendaItem]:
    """Open tasks due from ``start`` to ``end``; tasks belong to no review, so a review filter hides them."""
    try:
        from crm.contacts.models import Task  # type: ignore[import-not-found, unused-ignore]
    except ModuleNotFoundError:
        return []
    if review_id is not None:
        return []
    query = select(Task).where(Task.done_at.is_(None), Task.due_on >= start, Task.due_on <= end)
    if user_id is not None:
        query = query.where(Task.assignee_id == user_id)
    if team_id is not None:
        query = query.where(Task.team_id == team_id)
    tasks = list(db.session.scalars(query))
    contact_ids = {task.contact_id for task in tasks if task.contact_id is not None}
    at_risk = (
        set(
            db.session.scalars(
                select(Contact.id).where(
                    Contact.id.in_(contact_ids), Contact.safety_level == SafetyLevel.AT_RISK
                )
            )
        )
        if contact_ids
        else set()
    )
    return [
        AgendaItem(
            uid=f"task-{task.id}@{UID_DOMAIN}",
            kind=DeadlineKind.TASK.value,
            title=PROTECTED_TITLE if task.contact_id in at_risk else str(task.title),
            start=task.due_on,
            end=task.due_on + timedelta(days=1),
            all_day=True,
            review_id=None,
            user_ids=[task.assignee_id] if task.assignee_id else [],
            remind_days_before=[1],
            url=f"/calendar/agenda?kind={DeadlineKind.TASK.value}",
            team_id=task.team_id,
        )
        for task in tasks
    ]
