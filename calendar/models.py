"""The calendar's records: official dates, treaty-body events, visits, sensitive dates and feed tokens.

Derived deadlines are not stored: the rules engine (``upr_calendar.rules``) computes them from a review's
known dates each time, so changing a rule or a review date moves every derived deadline at once.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm import dates
from crm.auth.models import User
from crm.contacts.models import Contact, Organisation
from crm.db import Base, utcnow
from crm.models import Review, State, enum_column
from crm.teams.models import Team


class DeadlineKind(enum.StrEnum):
    STAKEHOLDER_SUBMISSION = "stakeholder_submission"
    DOCUMENTS = "documents"
    PRE_SESSION = "pre_session"
    ADVANCE_QUESTIONS = "advance_questions"
    REVIEW = "review"
    ADOPTION = "adoption"
    MIDTERM_REPORT = "midterm_report"
    NEXT_REVIEW = "next_review"
    TREATY_REPORT_DUE = "treaty_report_due"
    TREATY_SESSION = "treaty_session"
    LIST_OF_ISSUES = "list_of_issues"
    NGO_SUBMISSION = "ngo_submission"
    CONCLUDING_OBSERVATIONS = "concluding_observations"
    VISIT = "visit"
    BRIEFING = "briefing"
    TASK = "task"

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self])

    @property
    def in_sentence(self) -> str:
        """A review deadline's label as it reads inside a sentence ("the official date of the mid-term
        report"); other kinds are named only on their own."""
        return str(KIND_IN_SENTENCE_LABELS.get(self, KIND_LABELS[self]))


KIND_LABELS = {
    DeadlineKind.STAKEHOLDER_SUBMISSION: _l("Stakeholder submission deadline"),
    DeadlineKind.DOCUMENTS: _l("Pre-session documents published"),
    DeadlineKind.PRE_SESSION: _l("Pre-session"),
    DeadlineKind.ADVANCE_QUESTIONS: _l("Advance questions"),
    DeadlineKind.REVIEW: _l("UPR review"),
    DeadlineKind.ADOPTION: _l("Adoption at the Human Rights Council"),
    DeadlineKind.MIDTERM_REPORT: _l("Mid-term report"),
    DeadlineKind.NEXT_REVIEW: _l("Next review"),
    DeadlineKind.TREATY_REPORT_DUE: _l("State report due to a treaty body"),
    DeadlineKind.TREATY_SESSION: _l("Treaty-body session"),
    DeadlineKind.LIST_OF_ISSUES: _l("List of issues"),
    DeadlineKind.NGO_SUBMISSION: _l("NGO submission to a treaty body"),
    DeadlineKind.CONCLUDING_OBSERVATIONS: _l("Concluding observations adopted"),
    DeadlineKind.VISIT: _l("Visit or dialogue"),
    DeadlineKind.BRIEFING: _l("Send the briefing"),
    DeadlineKind.TASK: _l("Task or follow-up"),
}
# Review deadlines in sentences: translations keep the case a sentence needs (no .lower() on a label).
KIND_IN_SENTENCE_LABELS = {
    DeadlineKind.STAKEHOLDER_SUBMISSION: _l("stakeholder submission deadline"),
    DeadlineKind.DOCUMENTS: _l("pre-session documents published"),
    DeadlineKind.PRE_SESSION: _l("pre-session"),
    DeadlineKind.ADVANCE_QUESTIONS: _l("advance questions"),
    DeadlineKind.REVIEW: _l("UPR review"),
    DeadlineKind.ADOPTION: _l("adoption at the Human Rights Council"),
    DeadlineKind.MIDTERM_REPORT: _l("mid-term report"),
    DeadlineKind.NEXT_REVIEW: _l("next review"),
}
REVIEW_KINDS = (
    DeadlineKind.STAKEHOLDER_SUBMISSION,
    DeadlineKind.DOCUMENTS,
    DeadlineKind.PRE_SESSION,
    DeadlineKind.ADVANCE_QUESTIONS,
    DeadlineKind.REVIEW,
    DeadlineKind.ADOPTION,
    DeadlineKind.MIDTERM_REPORT,
    DeadlineKind.NEXT_REVIEW,
)
TREATY_KINDS = (
    DeadlineKind.TREATY_REPORT_DUE,
    DeadlineKind.TREATY_SESSION,
    DeadlineKind.LIST_OF_ISSUES,
    DeadlineKind.NGO_SUBMISSION,
    DeadlineKind.CONCLUDING_OBSERVATIONS,
)


class Treaty(enum.StrEnum):
    CAT = "CAT"
    CESCR = "CESCR"
    CEDAW = "CEDAW"
    CRC = "CRC"
    CRPD = "CRPD"
    CERD = "CERD"
    CCPR = "CCPR"
    CMW = "CMW"
    CED = "CED"


class EventKind(enum.StrEnum):
    HEAD_OF_STATE_VISIT = "head_of_state_visit"
    DIALOGUE = "dialogue"
    PRE_SESSION = "pre_session"
    MEETING = "meeting"

    @property
    def label(self) -> str:
        return str(EVENT_KIND_LABELS[self])

    @property
    def in_sentence(self) -> str:
        return str(EVENT_KIND_IN_SENTENCE_LABELS[self])


EVENT_KIND_LABELS = {
    EventKind.HEAD_OF_STATE_VISIT: _l("Head-of-state visit"),
    EventKind.DIALOGUE: _l("Human-rights dialogue"),
    EventKind.PRE_SESSION: _l("Pre-session"),
    EventKind.MEETING: _l("Meeting"),
}
EVENT_KIND_IN_SENTENCE_LABELS = {
    EventKind.HEAD_OF_STATE_VISIT: _l("head-of-state visit"),
    EventKind.DIALOGUE: _l("human-rights dialogue"),
    EventKind.PRE_SESSION: _l("pre-session"),
    EventKind.MEETING: _l("meeting"),
}


class EventStatus(enum.StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


class DatePrecision(enum.StrEnum):
    """How much of a treaty-body date is known: the seeds give some only as a month or a year."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class FeedScope(enum.StrEnum):
    USER = "user"
    TEAM = "team"
    REVIEW = "review"


class OfficialDate(Base):
    """A date a person entered for one of a review's deadlines; it overrides the derived one.

    Clearing it keeps the row with ``on`` empty, so ``sequence`` keeps counting up and calendar clients
    replace the event instead of keeping the stale official date.
    """

    __tablename__ = "calendar_official_dates"
    __table_args__ = (UniqueConstraint("review_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    kind: Mapped[DeadlineKind] = mapped_column(enum_column(DeadlineKind))
    on: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    review: Mapped[Review] = relationship()


class TreatyRatification(Base):
    """Whether a state is party to a treaty (China is not party to the ICCPR, so CCPR never reviews it)."""

    __tablename__ = "calendar_treaty_ratifications"
    __table_args__ = (UniqueConstraint("state_code", "treaty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    treaty: Mapped[Treaty] = mapped_column(enum_column(Treaty))
    ratified: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")

    state: Mapped[State] = relationship()


class TreatyEvent(Base):
    """A treaty-body date for a state: a report due, a session, a list of issues, an NGO deadline."""

    __tablename__ = "calendar_treaty_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), index=True)
    treaty: Mapped[Treaty] = mapped_column(enum_column(Treaty))
    kind: Mapped[DeadlineKind] = mapped_column(enum_column(DeadlineKind))
    on: Mapped[date] = mapped_column(Date, index=True, doc="the first day of the month or year if imprecise")
    precision: Mapped[DatePrecision] = mapped_column(enum_column(DatePrecision), default=DatePrecision.DAY)
    label: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


event_contacts = Table(
    "calendar_event_contacts",
    Base.metadata,
    Column("event_id", ForeignKey("calendar_events.id", ondelete="CASCADE"), primary_key=True),
    Column("contact_id", ForeignKey("contacts.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Event(Base):
    """A visit, dialogue, pre-session or meeting: instants in UTC, shown in the zone it happens in.

    It names the organisation and the people met; neither goes into feeds (a person may be at risk).
    """

    __tablename__ = "calendar_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind))
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Zurich", doc="IANA name")
    status: Mapped[EventStatus] = mapped_column(enum_column(EventStatus), default=EventStatus.CONFIRMED)
    briefing_days_before: Mapped[int | None] = mapped_column(Integer, doc="send the briefing N days before")
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="SET NULL"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    review: Mapped[Review | None] = relationship()
    team: Mapped[Team | None] = relationship()
    owner: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    contacts: Mapped[list[Contact]] = relationship(secondary=event_contacts, order_by=Contact.full_name)

    @property
    def local_start(self) -> datetime:
        """The start as the clock reads where it happens."""
        return self.starts_at.astimezone(dates.zone(self.timezone))


class SensitiveDate(Base):
    """An anniversary or holiday to avoid when planning a meeting (``yearly`` ones recur every year)."""

    __tablename__ = "calendar_sensitive_dates"

    id: Mapped[int] = mapped_column(primary_key=True)
    on: Mapped[date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(String(300))
    yearly: Mapped[bool] = mapped_column(Boolean, default=True)
    state_code: Mapped[str | None] = mapped_column(ForeignKey("states.code"), index=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedToken(Base):
    """A subscription feed's secret URL. Only the SHA-256 of the token is kept; it is shown once."""

    __tablename__ = "calendar_feed_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[FeedScope] = mapped_column(enum_column(FeedScope))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]

    owner: Mapped[User] = relationship()
    team: Mapped[Team | None] = relationship()
    review: Mapped[Review | None] = relationship()
