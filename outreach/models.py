"""Briefing templates, campaigns and the outbox: the tables the sweep reads and writes.

The outbox is the single source of truth for e-mail: a row is created once per (campaign or reminder,
recipient, occurrence) thanks to its UNIQUE idempotency key, and carries the ``Message-ID`` that every
attempt to deliver it reuses.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_pgettext
from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.contacts.models import Contact
from crm.db import Base, utcnow
from crm.models import Review, Theme, enum_column
from crm.teams.models import Team


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"
    SENDING = "sending"
    DONE = "done"

    @property
    def label(self) -> str:
        """The status as the reader's language names it (the value stays the same for CSS and scripts)."""
        return str(CAMPAIGN_STATUS_LABELS[self])


class MessageStatus(enum.StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"

    @property
    def label(self) -> str:
        return str(MESSAGE_STATUS_LABELS[self])


CAMPAIGN_STATUS_LABELS = {
    CampaignStatus.DRAFT: lazy_pgettext("campaign status", "draft"),
    CampaignStatus.APPROVED: lazy_pgettext("campaign status", "approved"),
    CampaignStatus.SENDING: lazy_pgettext("campaign status", "sending"),
    CampaignStatus.DONE: lazy_pgettext("campaign status", "done"),
}
MESSAGE_STATUS_LABELS = {
    MessageStatus.QUEUED: lazy_pgettext("message status", "queued"),
    MessageStatus.SENDING: lazy_pgettext("message status", "sending"),
    MessageStatus.SENT: lazy_pgettext("message status", "sent"),
    MessageStatus.FAILED: lazy_pgettext("message status", "failed"),
}


class MessageKind(enum.StrEnum):
    BRIEFING = "briefing"
    REMINDER = "reminder"


class BriefingTemplate(Base):
    """A coordinator-edited briefing, with one translation per language (English is the fallback)."""

    __tablename__ = "outreach_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    translations: Mapped[list[TemplateTranslation]] = relationship(
        back_populates="template", order_by="TemplateTranslation.language", cascade="all, delete-orphan"
    )

    def translation(self, language: str) -> TemplateTranslation | None:
        return next((t for t in self.translations if t.language == language), None)


class TemplateTranslation(Base):
    __tablename__ = "outreach_template_translations"
    __table_args__ = (UniqueConstraint("template_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("outreach_templates.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(16), doc="primary BCP 47 subtag, e.g. fr")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    template: Mapped[BriefingTemplate] = relationship(back_populates="translations")


campaign_themes = Table(
    "outreach_campaign_themes",
    Base.metadata,
    Column("campaign_id", ForeignKey("outreach_campaigns.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(Base):
    """Briefings on one review to the contacts of the states that made its recommendations.

    It is due at ``send_at``, or ``offset_days`` after the review's ``deadline_kind`` deadline (negative:
    before). Nothing is sent before a coordinator approves it.
    """

    __tablename__ = "outreach_campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("outreach_templates.id"))
    asks: Mapped[str] = mapped_column(Text, default="", doc="the organisation's asks, one per line")
    send_at: Mapped[datetime | None]
    deadline_kind: Mapped[str | None] = mapped_column(String(32))
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    weekdays_only: Mapped[bool] = mapped_column(Boolean, default=True)
    attach_factsheets: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[CampaignStatus] = mapped_column(
        enum_column(CampaignStatus), default=CampaignStatus.DRAFT, index=True
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), doc="the team whose signature closes the briefings"
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None] = mapped_column(doc="deleted drafts are kept 30 days for an undo")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    review: Mapped[Review] = relationship()
    team: Mapped[Team | None] = relationship()
    template: Mapped[BriefingTemplate] = relationship()
    themes: Mapped[list[Theme]] = relationship(secondary=campaign_themes, order_by="Theme.name")
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    holds: Mapped[list[CampaignHold]] = relationship(cascade="all, delete-orphan")
    attachments: Mapped[list[CampaignAttachment]] = relationship(
        back_populates="campaign", order_by="CampaignAttachment.filename", cascade="all, delete-orphan"
    )

    @property
    def held_contact_ids(self) -> set[int]:
        return {hold.contact_id for hold in self.holds}


class Signature(Base):
    """How a team signs its briefings: a person's name and role, the organisation, its address."""

    __tablename__ = "outreach_signatures"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="", doc="e.g. Anna Keller, UN advocacy officer")
    organisation: Mapped[str] = mapped_column(String(250), default="")
    address: Mapped[str] = mapped_column(Text, default="", doc="postal address, e-mail, telephone; lines")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    team: Mapped[Team] = relationship()

    @property
    def lines(self) -> list[str]:
        """The block as it closes a letter: name, organisation, then each line of the address."""
        address = [line.strip() for line in self.address.splitlines() if line.strip()]
        return [part for part in (self.name.strip(), self.organisation.strip()) if part] + address


class CampaignHold(Base):
    """An officer held one recipient back from a campaign (e.g. a relationship handled in person)."""

    __tablename__ = "outreach_holds"

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("outreach_campaigns.id", ondelete="CASCADE"), primary_key=True
    )
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    held_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CampaignAttachment(Base):
    """A theme's factsheet, written once when the campaign is queued and attached to every attempt.

    The file lives under the instance folder (``path`` is relative to it) and is never rewritten, so a
    message re-sent after a crash carries the very same bytes.
    """

    __tablename__ = "outreach_attachments"
    __table_args__ = (UniqueConstraint("campaign_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("outreach_campaigns.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255), doc="the name recipients see")
    path: Mapped[str] = mapped_column(String(500), doc="relative to the instance folder")
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    campaign: Mapped[Campaign] = relationship(back_populates="attachments")


message_attachments = Table(
    "outreach_message_attachments",
    Base.metadata,
    Column("message_id", ForeignKey("outreach_outbox.id", ondelete="CASCADE"), primary_key=True),
    Column("attachment_id", ForeignKey("outreach_attachments.id", ondelete="CASCADE"), primary_key=True),
)


class DailyRun(Base):
    """The last day a once-a-day chore of the sweep ran, so several sweeps a day run it once."""

    __tablename__ = "outreach_daily_runs"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_run_on: Mapped[date] = mapped_column(Date)


class OutboxMessage(Base):
    """One e-mail, rendered when queued, with its delivery state."""

    __tablename__ = "outreach_outbox"
    __table_args__ = (Index("ix_outreach_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind))
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("outreach_campaigns.id", ondelete="CASCADE"), index=True
    )
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_address: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(300))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    status: Mapped[MessageStatus] = mapped_column(enum_column(MessageStatus), default=MessageStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    weekdays_only: Mapped[bool] = mapped_column(Boolean, default=True)
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", doc="the recipient's, for working hours")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    campaign: Mapped[Campaign | None] = relationship()
    contact: Mapped[Contact | None] = relationship()


class SweepRun(Base):
    """The outcome of one sweep, for the Outbox page and for cron (``upr outreach sweep`` exits 1 on error).

    ``error`` is empty when the sweep sent what was due (or had nothing to send); otherwise it says why
    mail did not leave, such as an SMTP server that could not be reached.
    """

    __tablename__ = "outreach_sweep_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime] = mapped_column(default=utcnow)
    queued: Mapped[int] = mapped_column(Integer, default=0)
    sent: Mapped[int] = mapped_column(Integer, default=0)
    retried: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(Text, default="")
