"""The shared records every area speaks of: states, reviews, themes and recommendations.

Each area keeps its own tables in its own ``models.py`` on the same ``Base``; ``upr.schema`` imports every
one so that Alembic and the tests see the whole schema. Columns that point at an area's table (a review's
owning team) are plain foreign keys here: the kernel never imports an area.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import LazyString, lazy_pgettext, pgettext
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

    @property
    def label(self) -> LazyString:
        """The group as people read it in their language; the value stays the stored (English) one."""
        return REGIONAL_GROUP_LABELS[self]


REGIONAL_GROUP_LABELS = {
    RegionalGroup.AFRICAN: lazy_pgettext("regional group", "African"),
    RegionalGroup.ASIA_PACIFIC: lazy_pgettext("regional group", "Asia-Pacific"),
    RegionalGroup.EASTERN_EUROPEAN: lazy_pgettext("regional group", "Eastern European"),
    RegionalGroup.GRULAC: lazy_pgettext("regional group", "GRULAC"),
    RegionalGroup.WEOG: lazy_pgettext("regional group", "WEOG"),
}


class Response(enum.StrEnum):
    """A State-under-Review's position on a recommendation, normalised; the raw wording is kept beside it."""

    SUPPORTED = "supported"
    SUPPORTED_IN_PART = "supported in part"
    NOTED = "noted"
    NOT_SUPPORTED = "not supported"
    # A commitment the State under Review makes of its own accord, listed with the recommendations.
    VOLUNTARY_PLEDGE = "voluntary pledge"
    UNKNOWN = "unknown"

    @property
    def label(self) -> LazyString:
        """The response in the reader's language (English: the value itself)."""
        return RESPONSE_LABELS[self]


# The same messages (and contexts) as a briefing's fixed words (``outreach.wording``): one translation each.
RESPONSE_LABELS = {
    Response.SUPPORTED: lazy_pgettext("response", "supported"),
    Response.SUPPORTED_IN_PART: lazy_pgettext("response", "supported in part"),
    Response.NOTED: lazy_pgettext("response", "noted"),
    Response.NOT_SUPPORTED: lazy_pgettext("response", "not supported"),
    Response.VOLUNTARY_PLEDGE: lazy_pgettext("response", "voluntary pledge"),
    Response.UNKNOWN: lazy_pgettext("response", "unknown"),
}


class ImplementationStatus(enum.StrEnum):
    """The organisation's traffic-light assessment of a recommendation's implementation."""

    NOT_ASSESSED = "not_assessed"
    NO_PROGRESS = "no_progress"
    PARTIAL = "partial"
    IMPLEMENTED = "implemented"
    REGRESSED = "regressed"

    @property
    def label(self) -> LazyString:
        return IMPLEMENTATION_LABELS[self]


IMPLEMENTATION_LABELS = {
    ImplementationStatus.NOT_ASSESSED: lazy_pgettext("implementation", "not assessed"),
    ImplementationStatus.NO_PROGRESS: lazy_pgettext("implementation", "no progress (red)"),
    ImplementationStatus.PARTIAL: lazy_pgettext("implementation", "partial (orange)"),
    ImplementationStatus.IMPLEMENTED: lazy_pgettext("implementation", "implemented (green)"),
    ImplementationStatus.REGRESSED: lazy_pgettext("implementation", "regressed"),
}


class State(Base):
    """A UN member or observer state, keyed by its ISO 3166-1 alpha-3 code."""

    __tablename__ = "states"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    formal_name: Mapped[str] = mapped_column(String(200))
    regional_group: Mapped[RegionalGroup | None] = mapped_column(enum_column(RegionalGroup))
    is_member: Mapped[bool] = mapped_column(Boolean, default=True)
    aliases: Mapped[str] = mapped_column(Text, default="", doc="other names, separated by '|'")

    def __repr__(self) -> str:
        return f"<State {self.code} {self.name}>"


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
    sdgs: Mapped[str] = mapped_column(Text, default="", doc="Sustainable Development Goals, separated by ';'")
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
        return self.number or pgettext("recommendation", "(unnumbered)")

    def __repr__(self) -> str:
        return f"<Recommendation {self.label}>"
