"""People who sign in and the roles that decide what they may change."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import gettext as _
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
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

    @property
    def label(self) -> str:
        """The role as people read it, in their language (the value is the same in every language)."""
        labels: dict[Role, str] = {
            Role.ADMIN: _("admin"),
            Role.COORDINATOR: _("coordinator"),
            Role.OFFICER: _("officer"),
            Role.VIEWER: _("viewer"),
        }
        return labels[self]


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
    # Two-factor sign-in (crm.auth.two_factor): the TOTP secret (RFC 6238), set while enrolling and kept once
    # a first code confirmed it; the last time step accepted, so that a code seen over a shoulder or a
    # phishing page cannot be used a second time.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    # The interface language this person chose (crm.i18n.LANGUAGES); none: their browser's decides.
    language: Mapped[str | None] = mapped_column(String(8))

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
        # Only half of what signs a request in: the server-side session record named by the cookie's
        # session id (crm.auth.sessions) must also be live and belong to this user.
        return str(self.id)

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def team_ids(self) -> set[int]:
        return {team.id for team in self.teams}

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


class UserSession(Base):
    """One signed-in browser: the session cookie carries its id (a random token, stored here as SHA-256).

    Ending the record (sign-out, "end this session", a password change) makes that cookie worthless on
    whatever device holds it, copies included.
    """

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    client_address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(300), default="")

    user: Mapped[User] = relationship()


class RecoveryCode(Base):
    """A one-time code that stands in for the authenticator app; only its SHA-256 is kept."""

    __tablename__ = "user_recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None]


class SignInFailure(Base):
    """A failed sign-in, counted by the throttle (crm.auth.throttle) per account and per client address.

    In the database, so that every web worker counts the same failures. The account is kept as the
    SHA-256 of the address typed (people type their password into the wrong box), known or not.
    """

    __tablename__ = "sign_in_failures"
    __table_args__ = (
        Index("ix_sign_in_failures_account_at", "account_key", "at"),
        Index("ix_sign_in_failures_client_at", "client_key", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    account_key: Mapped[str] = mapped_column(String(64))
    client_key: Mapped[str] = mapped_column(String(64))
