"""A background job's row: what it is, whose it is, how far it got and where its result is."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from crm.dates import format_number
from crm.db import Base, utcnow
from crm.models import enum_column


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


STATUS_LABELS = {
    JobStatus.QUEUED: _l("queued"),
    JobStatus.RUNNING: _l("running"),
    JobStatus.DONE: _l("done"),
    JobStatus.FAILED: _l("failed"),
}


def progress_text(status: JobStatus, done: int, total: int) -> str:
    """The job's state as its page shows it: "running: 300 of 1,200"."""
    if not total:
        return str(STATUS_LABELS[status])
    return str(
        _(
            "%(status)s: %(done)s of %(total)s",
            status=STATUS_LABELS[status],
            done=format_number(done),
            total=format_number(total),
        )
    )


class BackgroundJob(Base):
    """Long work (an export, an import) run in a thread; the UI and CLI read its progress from here."""

    __tablename__ = "background_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[JobStatus] = mapped_column(enum_column(JobStatus), default=JobStatus.QUEUED)
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    result_path: Mapped[str | None] = mapped_column(String(500))
    result_name: Mapped[str | None] = mapped_column(String(255), doc="the download's file name")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        if self.status is JobStatus.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def progress_text(self) -> str:
        return progress_text(self.status, self.done, self.total)
