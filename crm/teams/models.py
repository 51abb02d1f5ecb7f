"""Teams, who is in them, the themes they prioritise, and the outreach divided among their officers."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.db import Base, utcnow
from crm.models import Review, State, enum_column

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
    # Archived teams leave the board and the pickers; their members and history stay, so it can be undone.
    archived_at: Mapped[datetime | None]

    members: Mapped[list[User]] = relationship(secondary="team_memberships", back_populates="teams")


class TeamRole(enum.StrEnum):
    """What a member does in one team (their role in the app, ``User.role``, is separate)."""

    LEAD = "lead"
    OFFICER = "officer"
    OBSERVER = "observer"

    @property
    def label(self) -> str:
        """The role as a heading or a choice reads it: "Team lead"."""
        labels: dict[TeamRole, str] = {
            TeamRole.LEAD: _("Team lead"),
            TeamRole.OFFICER: _("Officer"),
            TeamRole.OBSERVER: _("Observer"),
        }
        return labels[self]

    @property
    def noun(self) -> str:
        """The role inside a sentence: "added to China team as team lead"."""
        nouns: dict[TeamRole, str] = {
            TeamRole.LEAD: _("team lead"),
            TeamRole.OFFICER: _("officer"),
            TeamRole.OBSERVER: _("observer"),
        }
        return nouns[self]


team_memberships = Table(
    "team_memberships",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "role",
        enum_column(TeamRole),
        nullable=False,
        default=TeamRole.OFFICER,
        server_default=TeamRole.OFFICER.value,
    ),
)

team_priority_themes = Table(
    "team_priority_themes",
    Base.metadata,
    Column("team_id", ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
)


class Assignment(Base):
    """A state, or one organisation, given to an officer of a team so that nobody briefs it twice.

    ``review_id`` says for which review; empty means every review (a standing assignment). The services
    keep one holder per state or organisation per review across all teams (``crm.teams.services``); the
    unique constraints catch the same per-review row twice.
    """

    __tablename__ = "outreach_assignments"
    __table_args__ = (
        UniqueConstraint("review_id", "state_code", name="uq_outreach_assignments_review_state"),
        UniqueConstraint("review_id", "organisation_id", name="uq_outreach_assignments_review_organisation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    state_code: Mapped[str | None] = mapped_column(ForeignKey("states.code"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    team: Mapped[Team] = relationship()
    officer: Mapped[User] = relationship()
    review: Mapped[Review | None] = relationship()
    state: Mapped[State | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class AssignmentAction(enum.StrEnum):
    ASSIGNED = "assigned"
    MOVED = "moved"
    UNASSIGNED = "unassigned"


class AssignmentChange(Base):
    """One line of the assignments' history: who gave what to whom, moved it or took it back, and when.

    ``what`` keeps the state's or organisation's name as it was, so the line still reads after a merge.
    """

    __tablename__ = "outreach_assignment_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[AssignmentAction] = mapped_column(enum_column(AssignmentAction))
    what: Mapped[str] = mapped_column(String(300))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"))
    state_code: Mapped[str | None] = mapped_column(ForeignKey("states.code"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"))
    from_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    from_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    to_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    to_officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")

    review: Mapped[Review | None] = relationship()
    from_team: Mapped[Team | None] = relationship(foreign_keys=[from_team_id])
    from_officer: Mapped[User | None] = relationship(foreign_keys=[from_officer_id])
    to_team: Mapped[Team | None] = relationship(foreign_keys=[to_team_id])
    to_officer: Mapped[User | None] = relationship(foreign_keys=[to_officer_id])
    by: Mapped[User | None] = relationship(foreign_keys=[by_id])


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
