"""Teams, who is in them, the themes they prioritise, and the outreach divided among their officers."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.db import Base, utcnow
from crm.models import State

if TYPE_CHECKING:
    # Typing only: contacts build on teams (a contact's owning team); the mapper finds "Organisation" by name.
    from crm.contacts.models import Organisation


class Team(Base):
    """A group of officers who share reviews, contacts and the outreach to divide among them."""

    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    members: Mapped[list[User]] = relationship(secondary="team_memberships", back_populates="teams")


team_memberships = Table(
    "team_memberships",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)

team_priority_themes = Table(
    "team_priority_themes",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


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
