"""The reminders and briefings planned for the next 30 days, for the signed-in person and their teams."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from crm import dates
from outreach.planned import PLANNED_DAYS, overdue_tasks, planned_briefings, planned_reminders
from outreach.views.blueprint import bp


@bp.route("/planned")
def planned() -> str:
    today = dates.today()
    return render_template(
        "outreach/planned.html",
        today=today,
        days=PLANNED_DAYS,
        overdue=overdue_tasks(current_user.id, today),
        reminders=planned_reminders(current_user, today),
        briefings=planned_briefings(current_user, today),
    )
