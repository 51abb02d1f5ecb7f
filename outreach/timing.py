"""When a campaign falls due, and whether its time has passed: checked when a draft is saved and again when
it is approved (a deadline can move into the past between the two)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from flask_babel import gettext as _

from crm.dates import format_day, format_instant
from outreach.models import Campaign
from outreach.rendering import Trigger
from upr_calendar.deadlines import deadline_date


class CampaignError(ValueError):
    """A campaign cannot be created or changed as asked; the message says why."""


def deadline_trigger(campaign: Campaign) -> Trigger | None:
    if campaign.deadline_kind is None:
        return None
    on = deadline_date(campaign.review_id, campaign.deadline_kind)
    return Trigger(campaign.deadline_kind, on) if on else None


def campaign_due_at(campaign: Campaign) -> datetime | None:
    """When the campaign falls due: its fixed time, or ``offset_days`` from its deadline (00:00 UTC)."""
    if campaign.send_at is not None:
        return campaign.send_at
    trigger = deadline_trigger(campaign)
    if trigger is None:
        return None
    return datetime.combine(trigger.on + timedelta(days=campaign.offset_days), time(0), UTC)


def check_timing(campaign: Campaign, now: datetime) -> None:
    """Refuse a timing that has passed: the briefing would go out at once about an event that is over."""
    if campaign.send_at is not None and campaign.send_at < now:
        raise CampaignError(
            _(
                "The send time (%(when)s) has passed: choose a later time or a calendar deadline still "
                "to come.",
                when=format_instant(campaign.send_at),
            )
        )
    trigger = deadline_trigger(campaign)
    if trigger is not None and trigger.on < now.date():
        raise CampaignError(
            _(
                "Its deadline (%(day)s) has passed, so the briefing would arrive after the event; "
                "time it on a later deadline or at a fixed date.",
                day=format_day(trigger.on),
            )
        )
