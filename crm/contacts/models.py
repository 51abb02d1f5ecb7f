"""Interactions, tasks, agency mandates, team themes, outreach assignments, successions and the audit log."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, utcnow
from crm.models import Contact, Organisation, Recommendation, State, Team, Theme, User, enum_column


class TaskKind(enum.StrEnum):
    FOLLOW_UP = "follow_up"
    SUCCESSOR = "successor"
    OTHER = "other"


class InteractionKind(enum.StrEnum):
    MEETING = "meeting"
    EMAIL = "email"
    CALL = "call"
    EVENT = "event"


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

team_priority_themes = Table(
    "team_priority_themes",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
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

    @property
    def is_open(self) -> bool:
        return self.done_at is None


class AgencyMandate(Base):
    """A UN agency whose mandate covers a theme; ``theme_id`` empty means every theme (OHCHR)."""

    __tablename__ = "agency_mandates"
    __table_args__ = (UniqueConstraint("organisation_id", "theme_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("themes.id", ondelete="CASCADE"), index=True)

    organisation: Mapped[Organisation] = relationship()
    theme: Mapped[Theme | None] = relationship()


class Assignment(Base):
    """A state, or one organisation, given to an officer of a team so that nobody briefs it twice."""

    __tablename__ = "outreach_assignments"
    __table_args__ = (
        UniqueConstraint("team_id", "state_code", name="uq_outreach_assignments_team_state"),
        UniqueConstraint("team_id", "organisation_id", name="uq_outreach_assignments_team_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    state_code: Mapped[str | None] = mapped_column(ForeignKey("states.code"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship()
    officer: Mapped[User] = relationship()
    state: Mapped[State | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


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


class CoalitionClaim(Base):
    """A state a coalition partner says it briefs, imported from their CSV (states and themes, no people)."""

    __tablename__ = "coalition_claims"
    __table_args__ = (UniqueConstraint("team_id", "partner", "state_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    partner: Mapped[str] = mapped_column(String(200))
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"))
    themes: Mapped[str] = mapped_column(Text, default="", doc="separated by ';'")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
