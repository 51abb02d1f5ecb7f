"""Campaigns while they are drafts: created, changed, cloned and deleted (with an undo), and an approved one
withdrawn back to a draft before its first message leaves.

Nothing here commits: the view or command that calls it does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select

from crm.auth.models import User
from crm.db import db, utcnow
from crm.models import Review, Theme
from crm.teams.models import Team
from outreach.models import (
    BriefingTemplate,
    Campaign,
    CampaignHold,
    CampaignStatus,
    MessageStatus,
    OutboxMessage,
)
from outreach.timing import CampaignError, check_timing

UNDO_DAYS = 30


@dataclass
class CampaignSettings:
    """Everything a person chooses about a campaign: what it says, to whom, when, and who signs it."""

    name: str
    review: Review
    template: BriefingTemplate
    themes: list[Theme] = field(default_factory=list)
    asks: str = ""
    send_at: datetime | None = None
    deadline_kind: str | None = None
    offset_days: int = 0
    weekdays_only: bool = True
    attach_factsheets: bool = True
    team: Team | None = None

    @classmethod
    def of(cls, campaign: Campaign) -> CampaignSettings:
        """A campaign's settings, e.g. to start a copy of it."""
        return cls(
            name=campaign.name,
            review=campaign.review,
            template=campaign.template,
            themes=list(campaign.themes),
            asks=campaign.asks,
            send_at=campaign.send_at,
            deadline_kind=campaign.deadline_kind,
            offset_days=campaign.offset_days,
            weekdays_only=campaign.weekdays_only,
            attach_factsheets=campaign.attach_factsheets,
            team=campaign.team,
        )


def _apply(campaign: Campaign, settings: CampaignSettings, now: datetime) -> None:
    if (settings.send_at is None) == (settings.deadline_kind is None):
        raise CampaignError(_("Choose either a date and time or a calendar deadline to send the campaign."))
    if settings.send_at is not None and settings.send_at.tzinfo is None:
        raise CampaignError(_("The send time needs a time zone."))
    if not settings.name.strip():
        raise CampaignError(_("Give the campaign a name."))
    campaign.name = settings.name.strip()
    campaign.review = settings.review
    campaign.review_id = settings.review.id
    campaign.template = settings.template
    campaign.themes = list(settings.themes)
    campaign.asks = settings.asks.strip()
    campaign.send_at = settings.send_at
    campaign.deadline_kind = settings.deadline_kind
    campaign.offset_days = settings.offset_days
    campaign.weekdays_only = settings.weekdays_only
    campaign.attach_factsheets = settings.attach_factsheets
    campaign.team = settings.team
    check_timing(campaign, now)


def create_campaign(
    settings: CampaignSettings, created_by: User | None, *, now: datetime | None = None
) -> Campaign:
    """A new draft; a timing that has already passed is refused now, not only at approval."""
    campaign = Campaign(created_by_id=created_by.id if created_by else None, status=CampaignStatus.DRAFT)
    _apply(campaign, settings, now or utcnow())
    db.session.add(campaign)
    db.session.flush()
    return campaign


def update_campaign(campaign: Campaign, settings: CampaignSettings, *, now: datetime | None = None) -> None:
    """Change a draft: its timing, template, themes (so its recipients), asks or signature."""
    _require_draft(campaign, deleting=False)
    _apply(campaign, settings, now or utcnow())
    db.session.flush()


def copy_holds(source: Campaign, target: Campaign, user: User) -> None:
    """A clone keeps the people its original held back."""
    for contact_id in source.held_contact_ids:
        db.session.add(CampaignHold(campaign_id=target.id, contact_id=contact_id, held_by_id=user.id))
    db.session.flush()


def delete_campaign(campaign: Campaign, *, now: datetime | None = None) -> None:
    """Put a draft aside; it can be restored for ``UNDO_DAYS`` days, then it is gone."""
    _require_draft(campaign, deleting=True)
    campaign.deleted_at = now or utcnow()


def restore_campaign(campaign: Campaign) -> None:
    if campaign.deleted_at is None:
        raise CampaignError(_("This campaign is not deleted."))
    campaign.deleted_at = None


def recently_deleted(now: datetime | None = None) -> list[Campaign]:
    since = (now or utcnow()) - timedelta(days=UNDO_DAYS)
    query = select(Campaign).where(Campaign.deleted_at >= since).order_by(Campaign.deleted_at.desc())
    return list(db.session.scalars(query))


def purge_deleted(now: datetime) -> int:
    """Delete for good the drafts deleted more than ``UNDO_DAYS`` days ago; returns how many."""
    old = list(
        db.session.scalars(select(Campaign).where(Campaign.deleted_at < now - timedelta(days=UNDO_DAYS)))
    )
    for campaign in old:
        db.session.delete(campaign)
    return len(old)


def withdraw_campaign(campaign: Campaign) -> None:
    """An approved campaign back to a draft, as long as none of its messages has left.

    Messages already queued but not yet attempted are taken back out of the Outbox. A message the sweep is
    sending, has sent or tried to send stops the withdrawal: the rows are deleted first and the check made
    after, in one transaction, so a message claimed meanwhile is never lost.
    """
    if campaign.status not in (CampaignStatus.APPROVED, CampaignStatus.SENDING):
        raise CampaignError(
            _(
                "This campaign is %(status)s; only an approved one can be withdrawn.",
                status=campaign.status.label,
            )
        )
    db.session.execute(
        delete(OutboxMessage).where(
            OutboxMessage.campaign_id == campaign.id,
            OutboxMessage.status == MessageStatus.QUEUED,
            OutboxMessage.attempts == 0,
        )
    )
    left = db.session.scalar(
        select(func.count()).select_from(OutboxMessage).where(OutboxMessage.campaign_id == campaign.id)
    )
    if left:
        raise CampaignError(
            _(
                "Its first messages have already left, so it can no longer be withdrawn: hold back the "
                "recipients still waiting instead."
            )
        )
    campaign.status = CampaignStatus.DRAFT
    campaign.approved_by_id = None
    campaign.approved_at = None


def _require_draft(campaign: Campaign, *, deleting: bool) -> None:
    if campaign.deleted_at is not None:
        raise CampaignError(_("This campaign is deleted: restore it first."))
    status = campaign.status.label
    if campaign.status is CampaignStatus.APPROVED:
        raise CampaignError(
            _("It is approved: withdraw it first, then it can be deleted.")
            if deleting
            else _("It is approved: withdraw it first, then it can be changed.")
        )
    if campaign.status is not CampaignStatus.DRAFT:
        raise CampaignError(
            _("It is %(status)s: only a draft can be deleted.", status=status)
            if deleting
            else _("It is %(status)s: only a draft can be changed.", status=status)
        )
