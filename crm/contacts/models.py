"""The people officers brief and the organisations they work at, with what happens between them.

Organisations and contacts, interactions and tasks, agency mandates, successions and the audit log.
How carefully a contact's data is handled is ``Contact.safety_level``; the rule itself lives in
``crm.contacts.privacy``.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.db import Base, utcnow
from crm.models import Recommendation, State, Theme, enum_column
from crm.teams.models import Team


class OrganisationKind(enum.StrEnum):
    MISSION_GENEVA = "mission_geneva"
    MISSION_NEW_YORK = "mission_new_york"
    EMBASSY = "embassy"
    CONSULATE = "consulate"
    CAPITAL_MINISTRY = "capital_ministry"
    UN_AGENCY = "un_agency"
    UN_COUNTRY_TEAM = "un_country_team"
    TREATY_BODY = "treaty_body"
    SPECIAL_PROCEDURE = "special_procedure"
    NHRI = "nhri"
    NGO = "ngo"
    MEDIA = "media"
    ACADEMIC = "academic"
    BUSINESS = "business"

    @property
    def label(self) -> str:
        return str(ORGANISATION_KIND_LABELS[self])


ORGANISATION_KIND_LABELS = {
    OrganisationKind.MISSION_GENEVA: _l("Permanent mission in Geneva"),
    OrganisationKind.MISSION_NEW_YORK: _l("Permanent mission in New York"),
    OrganisationKind.EMBASSY: _l("Embassy"),
    OrganisationKind.CONSULATE: _l("Consulate"),
    OrganisationKind.CAPITAL_MINISTRY: _l("Ministry in the capital"),
    OrganisationKind.UN_AGENCY: _l("UN agency"),
    OrganisationKind.UN_COUNTRY_TEAM: _l("UN country team"),
    OrganisationKind.TREATY_BODY: _l("Treaty body"),
    OrganisationKind.SPECIAL_PROCEDURE: _l("Special procedure"),
    OrganisationKind.NHRI: _l("National human-rights institution"),
    OrganisationKind.NGO: _l("NGO"),
    OrganisationKind.MEDIA: _l("Media"),
    OrganisationKind.ACADEMIC: _l("Academic"),
    OrganisationKind.BUSINESS: _l("Business"),
}


# How a letter may greet a contact ("Dear Ms Favre,", "Your Excellency,"); empty: by their full name.
FORMS_OF_ADDRESS = ("Ms", "Mr", "Mx", "Dr", "Excellency")


class SafetyLevel(enum.StrEnum):
    """How carefully a person's data must be handled; ``at_risk`` people face reprisals if exposed."""

    NORMAL = "normal"
    SENSITIVE = "sensitive"
    AT_RISK = "at_risk"

    @property
    def label(self) -> str:
        return str(SAFETY_LABELS[self])


SAFETY_LABELS = {
    SafetyLevel.NORMAL: _l("normal"),
    SafetyLevel.SENSITIVE: _l("sensitive"),
    SafetyLevel.AT_RISK: _l("at risk"),
}


class Organisation(Base):
    """A mission, embassy, ministry, UN body or civil-society group that officers brief or work with."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(250))
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind), index=True)
    state_code: Mapped[str | None] = mapped_column(ForeignKey("states.code"), index=True)
    city: Mapped[str] = mapped_column(String(120), default="")
    email: Mapped[str | None] = mapped_column(String(254))
    website: Mapped[str] = mapped_column(String(500), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None]
    # Set (with ``archived_at``) when merged into another organisation; kept so the merge can be undone.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    state: Mapped[State | None] = relationship()
    contacts: Mapped[list[Contact]] = relationship(
        back_populates="organisation", order_by="Contact.full_name"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.name}>"


class Contact(Base):
    """A person at an organisation, with their posting there and how carefully to treat their data."""

    __tablename__ = "contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    form_of_address: Mapped[str] = mapped_column(
        String(20), default="", doc="Ms, Mr, Dr, Excellency or empty: how a letter greets them"
    )
    family_name: Mapped[str] = mapped_column(
        String(120), default="", doc="the name after the form of address; empty: the full name's last word"
    )
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    phone: Mapped[str] = mapped_column(String(60), default="")
    languages: Mapped[str] = mapped_column(String(100), default="en", doc="BCP 47 tags, preferred first, ';'")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC", doc="IANA name, e.g. Europe/Zurich")
    posting_start: Mapped[date | None] = mapped_column(Date)
    posting_end: Mapped[date | None] = mapped_column(Date)
    safety_level: Mapped[SafetyLevel] = mapped_column(enum_column(SafetyLevel), default=SafetyLevel.NORMAL)
    opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    email_failed_reason: Mapped[str] = mapped_column(Text, default="", doc="set when mail bounced hard")
    owner_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    archived_at: Mapped[datetime | None]
    # Set (with ``archived_at``) when merged into another contact; kept so the merge can be undone.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")
    owner_team: Mapped[Team | None] = relationship()

    @property
    def language_list(self) -> list[str]:
        return [tag.strip() for tag in self.languages.split(";") if tag.strip()]

    def __repr__(self) -> str:
        return f"<Contact {self.id}>"


class TaskKind(enum.StrEnum):
    FOLLOW_UP = "follow_up"
    SUCCESSOR = "successor"
    OTHER = "other"


class InteractionKind(enum.StrEnum):
    MEETING = "meeting"
    EMAIL = "email"
    CALL = "call"
    EVENT = "event"

    @property
    def label(self) -> str:
        return str(INTERACTION_KIND_LABELS[self])


INTERACTION_KIND_LABELS = {
    InteractionKind.MEETING: _l("meeting"),
    InteractionKind.EMAIL: _l("email"),
    InteractionKind.CALL: _l("call"),
    InteractionKind.EVENT: _l("event"),
}


interaction_contacts = Table(
    "interaction_contacts",
    Base.metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True),
)

interaction_recommendations = Table(
    "interaction_recommendations",
    Base.metadata,
    Column("interaction_id", ForeignKey("interactions.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "recommendation_id",
        ForeignKey("recommendations.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Interaction(Base):
    """A meeting, e-mail, call or event with one or more contacts; it stays with them when they move on."""

    __tablename__ = "interactions"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[InteractionKind] = mapped_column(enum_column(InteractionKind))
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    summary: Mapped[str] = mapped_column(Text, default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    # What it followed, as "<kind>:<id>" (e.g. "calendar-event:12"); the area owning that kind resolves it
    # (``crm.contacts.origins``), so the contacts area needs no knowledge of the calendar.
    origin: Mapped[str | None] = mapped_column(String(80), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    officer: Mapped[User] = relationship()
    contacts: Mapped[list[Contact]] = relationship(secondary=interaction_contacts, order_by=Contact.full_name)
    recommendations: Mapped[list[Recommendation]] = relationship(
        secondary=interaction_recommendations, order_by=Recommendation.sort_key
    )


class Task(Base):
    """Something an officer must do by a date: follow up a meeting, find a departing diplomat's successor."""

    __tablename__ = "tasks"
    __table_args__ = (Index("ix_tasks_open_due", "done_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[TaskKind] = mapped_column(enum_column(TaskKind), default=TaskKind.OTHER)
    due_on: Mapped[date] = mapped_column(Date)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    interaction_id: Mapped[int | None] = mapped_column(
        ForeignKey("interactions.id", ondelete="CASCADE"), index=True
    )
    done_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignee: Mapped[User | None] = relationship()
    team: Mapped[Team | None] = relationship()
    contact: Mapped[Contact | None] = relationship()
    interaction: Mapped[Interaction | None] = relationship()


class AgencyMandate(Base):
    """A UN agency whose mandate covers a theme; ``theme_id`` empty means every theme (OHCHR)."""

    __tablename__ = "agency_mandates"
    __table_args__ = (UniqueConstraint("organisation_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)

    organisation: Mapped[Organisation] = relationship()
    theme: Mapped[Theme | None] = relationship()


class Succession(Base):
    """Who took over from a diplomat whose posting ended; the predecessor keeps their own history."""

    __tablename__ = "contact_successions"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True)
    successor_id: Mapped[int] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    successor: Mapped[Contact] = relationship(foreign_keys=[successor_id])


class AuditLog(Base):
    """Every view or export of an at-risk person's record, for admins to read."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship()
    contact: Mapped[Contact | None] = relationship()


class MergeKind(enum.StrEnum):
    CONTACT = "contact"
    ORGANISATION = "organisation"


class RecordMerge(Base):
    """A merge of two contacts or two organisations, with what moved, so that it can be undone.

    ``keep_id`` and ``duplicate_id`` are contact or organisation ids, by ``kind``; the duplicate is kept
    (archived, ``merged_into_id`` set) rather than deleted. ``moved`` is JSON: the ids of what moved and the
    values the kept record had before blanks were filled, which the undo puts back.
    """

    __tablename__ = "record_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MergeKind] = mapped_column(enum_column(MergeKind))
    keep_id: Mapped[int] = mapped_column(index=True)
    duplicate_id: Mapped[int] = mapped_column(index=True)
    merged_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    moved: Mapped[str] = mapped_column(Text, default="{}")
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    merged_by: Mapped[User | None] = relationship(foreign_keys=[merged_by_id])
