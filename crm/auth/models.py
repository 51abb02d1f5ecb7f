"""People who sign in and the roles that decide what they may change."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, utcnow
from crm.models import enum_column

if TYPE_CHECKING:
    # Typing only: teams build on users, and the mapper finds "Team" by name at run time.
    from crm.teams.models import Team


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    OFFICER = "officer"
    VIEWER = "viewer"


class User(Base):
    """A person who signs in. Passwords are argon2 hashes; the role decides what they may change."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role), default=Role.VIEWER)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Part of the id kept in the (client-side) session cookie: raising it on sign-out or a password change
    # makes every earlier copy of the cookie, on any device, stop working.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))

    teams: Mapped[list[Team]] = relationship("Team", secondary="team_memberships", back_populates="members")

    # Flask-Login's user protocol, written out so the model does not depend on the web layer.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return f"{self.id}.{self.session_epoch}"

    @property
    def team_ids(self) -> set[int]:
        return {team.id for team in self.teams}

    @property
    def display_name(self) -> str:
        return self.full_name or self.email
