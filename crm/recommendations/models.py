"""Tables the recommendations feature adds: the history of responses, links between similar ones, and
translations of a recommendation beside the words it was made in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, utcnow
from crm.models import Recommendation, Response, enum_column


class ResponseChange(Base):
    """An earlier response that a later import replaced, so nobody loses what the State first said."""

    __tablename__ = "recommendation_response_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    previous_response: Mapped[Response] = mapped_column(enum_column(Response))
    previous_response_raw: Mapped[str] = mapped_column(String(200), default="")
    new_response: Mapped[Response] = mapped_column(enum_column(Response))
    new_response_raw: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(Text, default="", doc="the file that brought the change")
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class RecommendationLink(Base):
    """Two recommendations to the same State-under-Review in different cycles that ask much the same thing.

    Stored in both directions so that a recommendation's links are one indexed lookup.
    """

    __tablename__ = "recommendation_links"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    similar_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    score: Mapped[float] = mapped_column(Float, doc="0..1: shared words, more when the same state asked")
    shared_states: Mapped[int] = mapped_column(Integer, default=0)

    similar: Mapped[Recommendation] = relationship(foreign_keys=[similar_id])


class RecommendationTranslation(Base):
    """A recommendation in another of the UN's languages, from a file that gives it (UHRI exports exist
    per language). The recommendation itself keeps the words it was made in."""

    __tablename__ = "recommendation_translations"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text, default="", doc="the file it came from")
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
