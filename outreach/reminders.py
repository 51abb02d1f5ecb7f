"""Reminders to officers before deadlines, visits and follow-ups: by e-mail and on the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.db import db
from outreach.models import MessageKind
from outreach.outbox import insert_rows, outbox_row, reminder_key
from outreach.rendering import EMAIL_TEMPLATES, compile_template
from upr_calendar.agenda import agenda
from upr_calendar.items import AgendaItem

HORIZON_DAYS = 60
REMINDED_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)


@dataclass(frozen=True)
class DueReminder:
    item: AgendaItem
    on: date
    days_before: int


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def due_reminders(user_id: int, today: date) -> list[DueReminder]:
    """The user's agenda items whose reminder time has come (the closest reminder of each item only)."""
    due = []
    for item in agenda(today, today + timedelta(days=HORIZON_DAYS), user_id=user_id):
        on = _day(item.start)
        if on < today or item.status == "cancelled":
            continue
        started = [d for d in item.remind_days_before if on - timedelta(days=d) <= today]
        if started:
            due.append(DueReminder(item, on, min(started)))
    return due


def queue_reminders(now: datetime) -> int:
    """Stage one e-mail per (agenda item, officer, reminder day) that has come due."""
    body = compile_template((EMAIL_TEMPLATES / "reminder.en.txt").read_text(encoding="utf-8"), html=False)
    base_url = current_app.config["UPR_SETTINGS"].base_url
    users = db.session.scalars(select(User).where(User.active.is_(True), User.role.in_(REMINDED_ROLES)))
    rows = []
    for user in list(users):
        for reminder in due_reminders(user.id, now.date()):
            item = reminder.item
            url = f"{base_url}{item.url}" if item.url.startswith("/") else item.url
            text = body.render(
                user_name=user.display_name,
                item={"title": item.title, "date": reminder.on.isoformat(), "url": url},
                days=(reminder.on - now.date()).days,
            )
            rows.append(
                outbox_row(
                    key=reminder_key(item.uid, user.id, reminder.on, reminder.days_before),
                    kind=MessageKind.REMINDER,
                    user_id=user.id,
                    to_address=user.email,
                    to_name=user.full_name,
                    subject=f"Reminder: {item.title} on {reminder.on.isoformat()}",
                    text=text,
                    now=now,
                    first_attempt_at=now,
                )
            )
    return len(insert_rows(rows))
