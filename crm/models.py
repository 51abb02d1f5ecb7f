"""Core records: states, reviews, recommendations, organisations, contacts, users and teams.

Later features add their own tables in their own modules (``crm/<area>/models.py``) and register them on
the same ``Base``; ``crm.all_models`` imports every module so Alembic sees the whole schema.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, utcnow


def enum_column(enum_class: type[enum.Enum], **kwargs: object) -> Enum:
    """Store an enum by its value as a plain string (no native PostgreSQL enum to migrate)."""
    return Enum(
        enum_class,
        native_enum=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        **kwargs,
    )


class RegionalGroup(enum.StrEnum):
    AFRICAN = "African"
    ASIA_PACIFIC = "Asia-Pacific"
    EASTERN_EUROPEAN = "Eastern European"
    GRULAC = "GRULAC"
    WEOG = "WEOG"


class Response(enum.StrEnum):
    """A State-under-Review's position on a recommendation, normalised; the raw wording is kept beside it."""

    SUPPORTED = "supported"
    SUPPORTED_IN_PART = "supported in part"
    NOTED = "noted"
    NOT_SUPPORTED = "not supported"
    UNKNOWN = "unknown"


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
        return ORGANISATION_KIND_LABELS[self]


ORGANISATION_KIND_LABELS = {
    OrganisationKind.MISSION_GENEVA: "Permanent mission in Geneva",
    OrganisationKind.MISSION_NEW_YORK: "Permanent mission in New York",
    OrganisationKind.EMBASSY: "Embassy",
    OrganisationKind.CONSULATE: "Consulate",
    OrganisationKind.CAPITAL_MINISTRY: "Ministry in the capital",
    OrganisationKind.UN_AGENCY: "UN agency",
    OrganisationKind.UN_COUNTRY_TEAM: "UN country team",
    OrganisationKind.TREATY_BODY: "Treaty body",
    OrganisationKind.SPECIAL_PROCEDURE: "Special procedure",
    OrganisationKind.NHRI: "National human-rights institution",
    OrganisationKind.NGO: "NGO",
    OrganisationKind.MEDIA: "Media",
    OrganisationKind.ACADEMIC: "Academic",
    OrganisationKind.BUSINESS: "Business",
}


class ImplementationStatus(enum.StrEnum):
    """The organisation's traffic-light assessment of a recommendation's implementation."""

    NOT_ASSESSED = "not_assessed"
    NO_PROGRESS = "no_progress"
    PARTIAL = "partial"
    IMPLEMENTED = "implemented"
    REGRESSED = "regressed"

    @property
    def label(self) -> str:
        return IMPLEMENTATION_LABELS[self]


IMPLEMENTATION_LABELS = {
    ImplementationStatus.NOT_ASSESSED: "not assessed",
    ImplementationStatus.NO_PROGRESS: "no progress (red)",
    ImplementationStatus.PARTIAL: "partial (orange)",
    ImplementationStatus.IMPLEMENTED: "implemented (green)",
    ImplementationStatus.REGRESSED: "regressed",
}


class SafetyLevel(enum.StrEnum):
    """How carefully a person's data must be handled; ``at_risk`` people face reprisals if exposed."""

    NORMAL = "normal"
    SENSITIVE = "sensitive"
    AT_RISK = "at_risk"


class Role(enum.StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    OFFICER = "officer"
    VIEWER = "viewer"


class State(Base):
    """A UN member or observer state, keyed by its ISO 3166-1 alpha-3 code."""

    __tablename__ = "states"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    formal_name: Mapped[str] = mapped_column(String(200))
    regional_group: Mapped[RegionalGroup | None] = mapped_column(enum_column(RegionalGroup))
    is_member: Mapped[bool] = mapped_column(Boolean, default=True)
    aliases: Mapped[str] = mapped_column(Text, default="", doc="other names, separated by '|'")

    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.split("|") if a]

    def __repr__(self) -> str:
        return f"<State {self.code} {self.name}>"


class Team(Base):
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

    teams: Mapped[list[Team]] = relationship(secondary="team_memberships", back_populates="members")

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

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def team_ids(self) -> set[int]:
        return {team.id for team in self.teams}

    @property
    def display_name(self) -> str:
        return self.full_name or self.email


class Review(Base):
    """One UPR review of a State-under-Review, named like ``CHN-3`` (state code and cycle)."""

    __tablename__ = "reviews"
    __table_args__ = (UniqueConstraint("state_code", "cycle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"))
    cycle: Mapped[int] = mapped_column(Integer)
    session: Mapped[int | None] = mapped_column(Integer, doc="UPR Working Group session number")
    review_date: Mapped[date | None] = mapped_column(Date)
    outcome_session: Mapped[int | None] = mapped_column(Integer, doc="Human Rights Council session")
    outcome_adopted_on: Mapped[date | None] = mapped_column(Date)
    reported_recommendations: Mapped[int | None] = mapped_column(Integer)
    reported_recommending_states: Mapped[int | None] = mapped_column(Integer)
    reported_supported: Mapped[int | None] = mapped_column(Integer)
    reported_supported_in_part: Mapped[int | None] = mapped_column(Integer)
    reported_noted: Mapped[int | None] = mapped_column(Integer)
    reported_not_supported: Mapped[int | None] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        default=utcnow, onupdate=utcnow, doc="calendars bump SEQUENCE when a review's own dates change"
    )

    state: Mapped[State] = relationship()
    team: Mapped[Team | None] = relationship()
    recommendations: Mapped[list[Recommendation]] = relationship(
        back_populates="review", order_by="Recommendation.sort_key", cascade="all, delete-orphan"
    )

    @property
    def code(self) -> str:
        return f"{self.state_code}-{self.cycle}"

    def __repr__(self) -> str:
        return f"<Review {self.code}>"


class Theme(Base):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


recommendation_themes = Table(
    "recommendation_themes",
    Base.metadata,
    Column("recommendation_id", ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class RecommendingState(Base):
    """A state that made (or joined) a recommendation; ``position`` keeps the printed order."""

    __tablename__ = "recommending_states"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    state: Mapped[State] = relationship()


class Recommendation(Base):
    """A recommendation as printed in a review's report, with the response and its classification."""

    __tablename__ = "recommendations"
    __table_args__ = (
        UniqueConstraint("review_id", "number"),
        Index("ix_recommendations_review_sort", "review_id", "sort_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    number: Mapped[str | None] = mapped_column(String(20), doc='as printed, e.g. "28.83"')
    sort_key: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    response: Mapped[Response] = mapped_column(enum_column(Response), default=Response.UNKNOWN, index=True)
    response_raw: Mapped[str] = mapped_column(String(200), default="")
    response_source: Mapped[str] = mapped_column(Text, default="")
    affected_persons: Mapped[str] = mapped_column(Text, default="", doc="separated by ';'")
    action_category: Mapped[int | None] = mapped_column(Integer, index=True)
    action_category_set_by_person: Mapped[bool] = mapped_column(Boolean, default=False)
    is_time_bound: Mapped[bool] = mapped_column(Boolean, default=False)
    is_specific_action: Mapped[bool] = mapped_column(Boolean, default=False)
    is_measurable: Mapped[bool] = mapped_column(Boolean, default=False)
    is_continue_form: Mapped[bool] = mapped_column(Boolean, default=False)
    implementation_status: Mapped[ImplementationStatus] = mapped_column(
        enum_column(ImplementationStatus),
        default=ImplementationStatus.NOT_ASSESSED,
        index=True,
        doc="the latest assessment's status; the dated history lives with the assessments",
    )
    source_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    review: Mapped[Review] = relationship(back_populates="recommendations")
    recommending: Mapped[list[RecommendingState]] = relationship(
        order_by="RecommendingState.position", cascade="all, delete-orphan"
    )
    themes: Mapped[list[Theme]] = relationship(secondary=recommendation_themes, order_by="Theme.name")

    @property
    def recommending_states(self) -> list[State]:
        return [link.state for link in self.recommending]

    @property
    def recommending_codes(self) -> list[str]:
        return [link.state_code for link in self.recommending]

    @property
    def label(self) -> str:
        return self.number or "(unnumbered)"

    def __repr__(self) -> str:
        return f"<Recommendation {self.label}>"


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
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="contacts")
    owner_team: Mapped[Team | None] = relationship()

    @property
    def is_at_risk(self) -> bool:
        return self.safety_level is SafetyLevel.AT_RISK

    @property
    def language_list(self) -> list[str]:
        return [tag.strip() for tag in self.languages.split(";") if tag.strip()]

    def posting_is_current(self, on: date) -> bool:
        started = self.posting_start is None or self.posting_start <= on
        not_ended = self.posting_end is None or self.posting_end >= on
        return started and not_ended

    def __repr__(self) -> str:
        return f"<Contact {self.id}>"
