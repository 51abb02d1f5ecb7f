"""Chores the sweep runs at most once a (UTC) day, however often it runs and however many sweepers run.

The day's run is claimed with a conditional UPDATE of its ``outreach_daily_runs`` row: only the sweeper
whose UPDATE changes the row does the chore, and on PostgreSQL the row lock makes a concurrent sweeper
wait, then find the row already claimed. The claim commits with the chore's work, so a failed sweep
leaves the day unclaimed and the next sweep tries again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, update

from crm.contacts.services import plan_successor_tasks
from crm.db import db
from outreach.drafts import purge_deleted
from outreach.models import DailyRun

SUCCESSOR_TASKS = "successor-tasks"
DELETED_DRAFTS = "deleted-drafts"


def claim_day(name: str, today: date) -> bool:
    """Stage the claim of today's run of ``name``; False when it already ran today."""
    db.session.execute(
        db.insert_ignoring_conflicts(DailyRun, unique=["name"]).values(
            name=name, last_run_on=today - timedelta(days=1)
        )
    )
    result = db.session.execute(
        update(DailyRun)
        .where(DailyRun.name == name, DailyRun.last_run_on < today)
        .values(last_run_on=today)
        .execution_options(synchronize_session=False)
    )
    return cast(CursorResult[Any], result).rowcount == 1


def run_daily_chores(now: datetime) -> int:
    """Create the successor tasks that fell due (crm's own service), and let go of the campaign drafts
    deleted longer ago than their undo allows; returns how many tasks were added."""
    today = now.astimezone(UTC).date()
    if claim_day(DELETED_DRAFTS, today):
        purge_deleted(now)
    if not claim_day(SUCCESSOR_TASKS, today):
        return 0
    return plan_successor_tasks(today)
