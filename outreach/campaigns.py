"""Campaigns: who receives what, approval, holds, and turning a due campaign into outbox rows.

At-risk contacts never receive campaign mail (recipients are chosen with ``viewer=None``, which leaves
them out): people facing reprisals are reached through the secure channel their officer keeps.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from crm.auth.models import Role, User
from crm.contacts.models import Contact
from crm.contacts.who_to_brief import BasisItem, briefing_basis, contacts_for_recommendation
from crm.db import db, utcnow
from crm.models import Recommendation, recommendation_themes
from crm.recommendations.translations import translations_of_review
from outreach.attachments import attachments_for, link_messages, prepare_attachments, themes_by_recommendation
from outreach.hours import next_working_time
from outreach.models import (
    Campaign,
    CampaignHold,
    CampaignStatus,
    MessageKind,
    MessageStatus,
    OutboxMessage,
    Signature,
)
from outreach.outbox import campaign_key, insert_rows, outbox_row, unsubscribe_url
from outreach.rendering import (
    RenderedMessage,
    TemplateError,
    briefing_context,
    pick_translation,
    render_translation,
)
from outreach.timing import CampaignError, campaign_due_at, check_timing, deadline_trigger


@dataclass
class Recipient:
    """A contact the campaign reaches, their own state's recommendations, and why they may be skipped."""

    contact: Contact
    items: list[BasisItem] = field(default_factory=list)
    skip_reason: str = ""

    @property
    def will_receive(self) -> bool:
        return not self.skip_reason


def approve_campaign(campaign: Campaign, user: User) -> None:
    if campaign.status is not CampaignStatus.DRAFT:
        raise CampaignError(
            _(
                "This campaign is already %(status)s; only a draft can be approved.",
                status=campaign.status.label,
            )
        )
    if campaign.deleted_at is not None:
        raise CampaignError(_("This campaign is deleted: restore it first."))
    # The deadline may have moved into the past since the draft was saved.
    check_timing(campaign, utcnow())
    campaign.status = CampaignStatus.APPROVED
    campaign.approved_by_id = user.id
    campaign.approved_at = utcnow()


def may_hold(user: User, campaign: Campaign, contact: Contact) -> bool:
    """Admins, and the officers and coordinators of the team holding the campaign's review or the contact
    (any of them when neither belongs to a team).

    Holding a recipient back changes another team's outreach: a member of neither team may not.
    """
    if user.role is Role.ADMIN:
        return True
    if user.role not in (Role.COORDINATOR, Role.OFFICER):
        return False
    teams = {campaign.review.team_id, contact.owner_team_id} - {None}
    return not teams or bool(teams & user.team_ids)


def set_hold(campaign: Campaign, contact: Contact, user: User, *, held: bool) -> None:
    """Hold one recipient back (or release them) until their message is queued."""
    if campaign.status in (CampaignStatus.SENDING, CampaignStatus.DONE):
        raise CampaignError(
            _("The messages of this campaign are already queued; holds can no longer change.")
        )
    existing = db.session.get(CampaignHold, (campaign.id, contact.id))
    if held and existing is None:
        db.session.add(CampaignHold(campaign_id=campaign.id, contact_id=contact.id, held_by_id=user.id))
    elif not held and existing is not None:
        db.session.delete(existing)
    db.session.flush()
    db.session.expire(campaign, ["holds"])


def _themed_ids(campaign: Campaign) -> set[int] | None:
    """The review's recommendations in the campaign's themes (None: no theme chosen, so all of them)."""
    if not campaign.themes:
        return None
    query = (
        select(recommendation_themes.c.recommendation_id)
        .join(Recommendation, Recommendation.id == recommendation_themes.c.recommendation_id)
        .where(
            Recommendation.review_id == campaign.review_id,
            recommendation_themes.c.theme_id.in_([theme.id for theme in campaign.themes]),
        )
    )
    return set(db.session.scalars(query))


def campaign_recipients(campaign: Campaign, on: date | None = None) -> list[Recipient]:
    """Everyone the mapping finds for the campaign's recommendations, with their own state's share."""
    themed = _themed_ids(campaign)
    recommendations = [r for r in campaign.review.recommendations if themed is None or r.id in themed]
    contacts: dict[int, Contact] = {}
    # The people to brief depend only on who made a recommendation, so each set of states is asked once.
    seen_states: set[tuple[str, ...]] = set()
    for recommendation in recommendations:
        states = tuple(recommendation.recommending_codes)
        if states in seen_states:
            continue
        seen_states.add(states)
        for ranked in contacts_for_recommendation(recommendation, viewer=None, on=on):
            contacts.setdefault(ranked.contact.id, ranked.contact)
    held = campaign.held_contact_ids
    translated = translations_of_review(campaign.review_id)
    basis_by_state: dict[str | None, list[BasisItem]] = {}
    recipients = []
    for contact in sorted(contacts.values(), key=lambda c: (c.organisation.name, c.full_name)):
        state = contact.organisation.state_code
        if state not in basis_by_state:
            basis = briefing_basis(contact, campaign.review)
            basis_by_state[state] = [
                replace(item, translations=translated[item.recommendation_id])
                if item.recommendation_id in translated
                else item
                for item in basis
                if themed is None or item.recommendation_id in themed
            ]
        recipients.append(Recipient(contact, basis_by_state[state], _skip_reason(contact, held)))
    return recipients


def _skip_reason(contact: Contact, held: set[int]) -> str:
    if contact.opt_out:
        return str(_("opted out"))
    if not contact.email:
        return str(_("no e-mail address"))
    if contact.email_failed_reason:
        return str(_("address bounced: %(reason)s", reason=contact.email_failed_reason))
    if contact.id in held:
        return str(_("held back by an officer"))
    return ""


def render_briefing(
    campaign: Campaign, recipient: Recipient, *, language: str | None = None
) -> RenderedMessage:
    """The recipient's briefing in the first of their languages the template has (or in ``language``, to
    preview another translation)."""
    contact = recipient.contact
    if language is None:
        translation = pick_translation(campaign.template, contact.language_list)
    else:
        found = campaign.template.translation(language)
        if found is None:
            raise TemplateError(
                _(
                    "The template %(name)s has no %(language)s translation.",
                    name=repr(campaign.template.name),
                    language=language,
                )
            )
        translation = found
    signature = db.session.get(Signature, campaign.team_id) if campaign.team_id else None
    context = briefing_context(
        contact,
        campaign.review,
        recipient.items,
        asks=campaign.asks,
        trigger=deadline_trigger(campaign),
        unsubscribe_url=unsubscribe_url(contact.id),
        language=translation.language,
        signature=signature.lines if signature else None,
    )
    return render_translation(translation, context)


def queue_campaign(campaign: Campaign, due: datetime, now: datetime) -> int:
    """Stage one outbox row per recipient who should receive the campaign; returns how many are new."""
    existing = set(
        db.session.scalars(
            select(OutboxMessage.idempotency_key).where(OutboxMessage.campaign_id == campaign.id)
        )
    )
    rows = []
    attachments = prepare_attachments(campaign)
    themes = themes_by_recommendation(campaign.review_id) if attachments else {}
    files: dict[str, list[int]] = {}
    for recipient in campaign_recipients(campaign, on=now.date()):
        key = campaign_key(campaign.id, recipient.contact.id, due)
        if not recipient.will_receive or not recipient.items or key in existing:
            continue
        contact = recipient.contact
        message = render_briefing(campaign, recipient)
        if attachments:
            files[key] = attachments_for(recipient.items, attachments, themes)
        rows.append(
            outbox_row(
                key=key,
                kind=MessageKind.BRIEFING,
                campaign_id=campaign.id,
                contact_id=contact.id,
                to_address=contact.email or "",
                to_name=contact.full_name,
                subject=message.subject,
                text=message.text,
                html=message.html,
                now=now,
                first_attempt_at=next_working_time(
                    now, contact.timezone, weekdays_only=campaign.weekdays_only
                ),
                weekdays_only=campaign.weekdays_only,
                timezone=contact.timezone,
            )
        )
    campaign.status = CampaignStatus.SENDING
    inserted = insert_rows(rows)
    link_messages({row_id: files[key] for key, row_id in inserted.items() if files.get(key)})
    return len(inserted)


def queue_due_campaigns(now: datetime) -> int:
    queued = 0
    approved = db.session.scalars(select(Campaign).where(Campaign.status == CampaignStatus.APPROVED))
    for campaign in list(approved):
        due = campaign_due_at(campaign)
        if due is not None and due <= now:
            queued += queue_campaign(campaign, due, now)
    return queued


def finish_campaigns() -> None:
    """A sending campaign whose messages are all sent or failed is done."""
    pending = exists().where(
        OutboxMessage.campaign_id == Campaign.id,
        OutboxMessage.status.in_([MessageStatus.QUEUED, MessageStatus.SENDING]),
    )
    for campaign in db.session.scalars(
        select(Campaign).where(Campaign.status == CampaignStatus.SENDING, ~pending)
    ):
        campaign.status = CampaignStatus.DONE


def delivery_report(campaign: Campaign) -> list[OutboxMessage]:
    """The campaign's outbox rows with their contacts, failed first, then by recipient."""
    query = (
        select(OutboxMessage)
        .options(selectinload(OutboxMessage.contact))
        .where(OutboxMessage.campaign_id == campaign.id)
        .order_by(OutboxMessage.status != MessageStatus.FAILED, OutboxMessage.to_name, OutboxMessage.id)
    )
    return list(db.session.scalars(query))


def status_counts() -> dict[int, dict[str, int]]:
    """Each campaign's outbox rows by status: ``{campaign_id: {"sent": 12, ...}}``."""
    query = (
        select(OutboxMessage.campaign_id, OutboxMessage.status, func.count())
        .where(OutboxMessage.campaign_id.is_not(None))
        .group_by(OutboxMessage.campaign_id, OutboxMessage.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for campaign_id, status, count in db.session.execute(query).all():
        if campaign_id is not None:
            counts.setdefault(campaign_id, {})[status.value] = count
    return counts
