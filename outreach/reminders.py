"""Reminders to officers before deadlines, visits and follow-ups: by e-mail and on the dashboard.

Each e-mail is written in its recipient's language (``User.language``, else English), subject included:
``flask_babel.force_locale`` makes the catalogue, the dates and the agenda's own titles follow it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.dates import format_long_day
from crm.db import db
from crm.i18n import SOURCE_LANGUAGE, language_of
from outreach.models import MessageKind
from outreach.outbox import insert_rows, outbox_row, reminder_key
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
    users = db.session.scalars(select(User).where(User.active.is_(True), User.role.in_(REMINDED_ROLES)))
    rows = []
    for user in list(users):
        with force_locale(language_of(user.language) if user.language else SOURCE_LANGUAGE):
            rows += [_reminder_row(user, reminder, now) for reminder in due_reminders(user.id, now.date())]
    return len(insert_rows(rows))


def _reminder_row(user: User, reminder: DueReminder, now: datetime) -> dict[str, object]:
    """The outbox row of one reminder, in the language in force (the recipient's)."""
    item = reminder.item
    base_url = current_app.config["UPR_SETTINGS"].base_url
    url = f"{base_url}{item.url}" if item.url.startswith("/") else item.url
    day = format_long_day(reminder.on)
    text = render_template(
        "emails/reminder.en.txt",
        user_name=user.display_name,
        item={"title": item.title, "date": day, "url": url},
        days=(reminder.on - now.date()).days,
    )
    return outbox_row(
        key=reminder_key(item.uid, user.id, reminder.on, reminder.days_before),
        kind=MessageKind.REMINDER,
        user_id=user.id,
        to_address=user.email,
        to_name=user.full_name,
        subject=_("Reminder: %(title)s on %(day)s", title=item.title, day=day),
        text=text,
        now=now,
        first_attempt_at=now,
    )
