"""What is planned for a person and their teams: the reminders the sweep will e-mail and the briefings that
will go out in the next days, and the open tasks that are already late."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select

from crm.auth.models import User
from crm.db import db
from crm.models import Review
from outreach.models import Campaign, CampaignStatus
from outreach.reminders import HORIZON_DAYS
from outreach.timing import campaign_due_at
from upr_calendar.agenda import agenda
from upr_calendar.exports import EARLIEST
from upr_calendar.items import AgendaItem
from upr_calendar.models import DeadlineKind

PLANNED_DAYS = 30


@dataclass(frozen=True)
class PlannedReminder:
    """A reminder e-mail the sweep sends on ``on``, ``days_before`` days before ``item``, to ``whom``."""

    on: date
    item: AgendaItem
    days_before: int
    whom: str


@dataclass(frozen=True)
class PlannedBriefing:
    """A briefing that goes out on ``on``: a campaign's e-mails, or a visit's briefing to send by hand."""

    on: date
    title: str
    url: str
    detail: str


def planned_reminders(user: User, today: date, days: int = PLANNED_DAYS) -> list[PlannedReminder]:
    """Reminders to ``user`` and to their teams' members from ``today`` to ``days`` days on."""
    last = today + timedelta(days=days)
    scopes: list[tuple[str, list[AgendaItem]]] = [
        (_("you"), agenda(today, last + timedelta(days=HORIZON_DAYS), user_id=user.id))
    ]
    scopes += [
        (
            _("team %(team)s", team=team.name),
            agenda(today, last + timedelta(days=HORIZON_DAYS), team_id=team.id),
        )
        for team in user.teams
    ]
    found: dict[tuple[str, int], PlannedReminder] = {}
    for whom, items in scopes:
        for item in items:
            if item.status == "cancelled":
                continue
            for days_before in item.remind_days_before:
                on = item.day - timedelta(days=days_before)
                if today <= on <= last:
                    found.setdefault((item.uid, days_before), PlannedReminder(on, item, days_before, whom))
    return sorted(found.values(), key=lambda r: (r.on, r.item.day, r.item.uid))


def planned_briefings(user: User, today: date, days: int = PLANNED_DAYS) -> list[PlannedBriefing]:
    """Campaigns of the user or their teams falling due in the next ``days``, and visits' briefings."""
    last = today + timedelta(days=days)
    teams = user.team_ids
    mine = or_(
        Campaign.created_by_id == user.id,
        Campaign.team_id.in_(teams),
        Campaign.review_id.in_(select(Review.id).where(Review.team_id.in_(teams))),
    )
    campaigns = db.session.scalars(
        select(Campaign).where(
            Campaign.deleted_at.is_(None),
            Campaign.status.in_([CampaignStatus.DRAFT, CampaignStatus.APPROVED]),
            mine,
        )
    )
    briefings = []
    for campaign in campaigns:
        due = campaign_due_at(campaign)
        if due is not None and today <= due.date() <= last:
            if campaign.status is CampaignStatus.DRAFT:
                detail = _(
                    "%(code)s, %(status)s — not approved yet, so it will not go out",
                    code=campaign.review.code,
                    status=campaign.status.label,
                )
            else:
                detail = _("%(code)s, %(status)s", code=campaign.review.code, status=campaign.status.label)
            briefings.append(
                PlannedBriefing(
                    due.date(),
                    _("Campaign “%(name)s”", name=campaign.name),
                    f"/outreach/campaigns/{campaign.id}",
                    detail,
                )
            )
    for item in agenda(today, last, user_id=user.id, kinds={DeadlineKind.BRIEFING.value}):
        if item.status != "cancelled":
            briefings.append(PlannedBriefing(item.day, item.title, item.url, item.description))
    return sorted(briefings, key=lambda b: (b.on, b.title))


def overdue_tasks(user_id: int, today: date) -> list[AgendaItem]:
    """The user's open tasks whose day has passed: due, and more pressing than anything ahead."""
    return agenda(EARLIEST, today - timedelta(days=1), user_id=user_id, kinds={DeadlineKind.TASK.value})
