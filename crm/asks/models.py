"""An organisation's proposed recommendations ("asks") and the governments each was sent to."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from crm.db import Base, utcnow
from crm.models import Review, State


class Ask(Base):
    """A recommendation an organisation asked governments to make to the State-under-Review."""

    __tablename__ = "asks"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    organisation: Mapped[str] = mapped_column(String(250), doc="who asked, e.g. an NGO or a coalition")
    theme: Mapped[str] = mapped_column(String(120), default="")
    text: Mapped[str] = mapped_column(Text)
    sent: Mapped[str] = mapped_column(String(10), default="", doc="ISO date, or year-month if that is all")
    other_addressees: Mapped[str] = mapped_column(Text, default="", doc="addressees not states (the EU)")
    source: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    review: Mapped[Review] = relationship()
    targets: Mapped[list[AskTarget]] = relationship(
        cascade="all, delete-orphan", order_by="AskTarget.state_code", back_populates="ask"
    )


class AskTarget(Base):
    """A government an ask was sent to."""

    __tablename__ = "ask_targets"

    ask_id: Mapped[int] = mapped_column(ForeignKey("asks.id", ondelete="CASCADE"), primary_key=True)
    state_code: Mapped[str] = mapped_column(ForeignKey("states.code"), primary_key=True, index=True)

    ask: Mapped[Ask] = relationship(back_populates="targets")
    state: Mapped[State] = relationship()
