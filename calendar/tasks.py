"""Open follow-ups and successor tasks from the contacts area, as agenda items.

Agenda items end up in feeds that leave the app, so a task about an at-risk contact reads neutrally
(``crm.contacts.privacy.task_title``).
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.contacts.models import Task
from crm.contacts.privacy import is_at_risk, task_title
from crm.db import db
from upr_calendar.items import UID_DOMAIN, AgendaItem
from upr_calendar.models import DeadlineKind


def task_items(
    start: date, end: date, *, user_id: int | None, team_id: int | None, review_id: int | None
) -> list[AgendaItem]:
    """Open tasks due from ``start`` to ``end``; tasks belong to no review, so a review filter hides them."""
    if review_id is not None:
        return []
    query = (
        select(Task)
        .where(Task.done_at.is_(None), Task.due_on >= start, Task.due_on <= end)
        .options(selectinload(Task.contact), selectinload(Task.interaction))
    )
    if user_id is not None:
        query = query.where(Task.assignee_id == user_id)
    if team_id is not None:
        query = query.where(Task.team_id == team_id)
    return [
        AgendaItem(
            uid=f"task-{task.id}@{UID_DOMAIN}",
            kind=DeadlineKind.TASK.value,
            title=task_title(task),
            start=task.due_on,
            end=task.due_on + timedelta(days=1),
            all_day=True,
            review_id=None,
            user_ids=[task.assignee_id] if task.assignee_id else [],
            remind_days_before=[1],
            url=task_url(task),
            team_id=task.team_id,
        )
        for task in db.session.scalars(query)
    ]


def task_url(task: Task) -> str:
    """Where a task is worked on: its contact's page, or the agenda's tasks from its due day.

    A task about an at-risk person links to the agenda: the link travels in feeds and reminder e-mails.
    """
    if task.contact is not None and not is_at_risk(task.contact):
        return f"/contacts/{task.contact.id}"
    return f"/calendar/?kind={DeadlineKind.TASK.value}&from={task.due_on.isoformat()}"
