"""Dashboard panels: campaign progress and the signed-in officer's reminders."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from crm import dates
from crm.db import db
from crm.panels import Panel
from outreach.campaigns import status_counts
from outreach.models import Campaign, CampaignStatus
from outreach.planned import overdue_tasks
from outreach.reminders import due_reminders


def panels() -> list[Panel]:
    counts = status_counts()
    active = db.session.scalars(
        select(Campaign)
        .where(Campaign.status != CampaignStatus.DONE, Campaign.deleted_at.is_(None))
        .order_by(Campaign.created_at.desc())
    ).all()
    campaigns = [(c, counts.get(c.id, {})) for c in active]
    today = dates.today()
    signed_in = current_user.is_authenticated
    reminders = due_reminders(current_user.id, today) if signed_in else []
    overdue = overdue_tasks(current_user.id, today) if signed_in else []
    return [
        Panel(_l("Campaigns"), "outreach/_campaigns_panel.html", {"campaigns": campaigns}, order=40),
        Panel(
            _l("Your reminders"),
            "outreach/_reminders_panel.html",
            {"reminders": reminders, "overdue": overdue, "today": today},
            order=30,
        ),
    ]
