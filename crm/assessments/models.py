"""Assessments of a recommendation's implementation and their evidence.

``Recommendation.implementation_status`` holds the latest status; the rows here are its dated history.
An assessment is never edited: a change is a new row, so every status keeps its author and date.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.auth.models import User
from crm.db import Base, utcnow
from crm.models import ImplementationStatus, Recommendation, enum_column


class EvidenceSource(enum.StrEnum):
    """Kinds of material that document implementation (ISHR's follow-up guide, section 6)."""

    OFFICIAL_REGULATION = "official_regulation"
    COURT_RECORD = "court_record"
    STATE_MEDIA = "state_media"
    NGO_SURVEY = "ngo_survey"
    TESTIMONY = "testimony"
    UN_DOCUMENT = "un_document"
    ACADEMIC = "academic"
    OTHER = "other"

    @property
    def label(self) -> LazyString:
        return EVIDENCE_SOURCE_LABELS[self]


EVIDENCE_SOURCE_LABELS = {
    EvidenceSource.OFFICIAL_REGULATION: _l("Official regulation or government record"),
    EvidenceSource.COURT_RECORD: _l("Court record or verdict"),
    EvidenceSource.STATE_MEDIA: _l("State media report"),
    EvidenceSource.NGO_SURVEY: _l("NGO survey or interviews"),
    EvidenceSource.TESTIMONY: _l("Testimony"),
    EvidenceSource.UN_DOCUMENT: _l("UN document"),
    EvidenceSource.ACADEMIC: _l("Academic research"),
    EvidenceSource.OTHER: _l("Other"),
}


class Assessment(Base):
    """One dated judgement of how far a recommendation has been implemented, by one person."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("recommendations.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ImplementationStatus] = mapped_column(enum_column(ImplementationStatus))
    assessed_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    recommendation: Mapped[Recommendation] = relationship()
    author: Mapped[User | None] = relationship()
    evidence: Mapped[list[EvidenceItem]] = relationship(
        back_populates="assessment", order_by="EvidenceItem.id", cascade="all, delete-orphan"
    )


class EvidenceItem(Base):
    """A link or an uploaded document backing an assessment; uploads live under the instance folder."""

    __tablename__ = "evidence_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    source_type: Mapped[EvidenceSource] = mapped_column(enum_column(EvidenceSource))
    dated: Mapped[date | None] = mapped_column(Date, doc="when the source was published or recorded")
    description: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str | None] = mapped_column(String(2000))
    file_name: Mapped[str | None] = mapped_column(String(255), doc="the uploader's file name, for display")
    stored_name: Mapped[str | None] = mapped_column(String(80), doc="the file's name on disk")
    content_type: Mapped[str | None] = mapped_column(String(120))
    size: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assessment: Mapped[Assessment] = relationship(back_populates="evidence")

    @property
    def title(self) -> str:
        return self.description or self.file_name or self.url or ""
