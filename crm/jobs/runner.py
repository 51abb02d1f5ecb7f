"""Long work (exports, imports) in a background thread, with progress a page can follow.

The caller stages a job with :func:`new_job`, commits, then calls :func:`start` inside a request or
command (the thread borrows its app) with a function of one argument, ``progress(done, total)``: the
same callback the recommendation importer accepts. The work runs in its own thread and session inside an
app context; whatever it stages is committed when it returns and rolled back when it raises. Live
progress is kept in this process's memory, because the work's own open transaction may hold SQLite's
single write lock; the job's row gets its final state. The app runs its jobs in the process that serves
their status page (``upr serve``), so memory is enough there.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import update
from sqlalchemy.orm import Session

from crm.auth.models import Role, User
from crm.db import db, utcnow
from crm.i18n import current_language
from crm.jobs.models import STATUS_LABELS, BackgroundJob, JobStatus, progress_text
from crm.web import app_object

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
# Errors whose message is written for people (bad input found while working); others are logged.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (ValueError, LookupError)
# job id -> (done, total) while the job runs in this process.
_live_progress: dict[int, tuple[int, int]] = {}


@dataclass(frozen=True)
class JobResult:
    message: str
    path: Path | None = None
    download_name: str | None = None


Work = Callable[[Progress], JobResult]


def new_job(kind: str, description: str, user: User | None) -> BackgroundJob:
    job = BackgroundJob(kind=kind, description=description[:300], user_id=user.id if user else None)
    db.session.add(job)
    db.session.flush()
    return job


def job_for(job_id: int, user: User) -> BackgroundJob | None:
    """The job if ``user`` started it (admins see every job)."""
    job = db.session.get(BackgroundJob, job_id)
    if job is None or (job.user_id != user.id and user.role is not Role.ADMIN):
        return None
    return job


def live_progress(job: BackgroundJob) -> tuple[int, int]:
    """(done, total): the running job's latest report, or what its row says once it has finished."""
    return _live_progress.get(job.id, (job.done, job.total))


def status_json(job: BackgroundJob) -> dict[str, Any]:
    done, total = live_progress(job)
    percent = (
        job.percent if job.status is not JobStatus.RUNNING else (int(100 * done / total) if total else 0)
    )
    return {
        "id": job.id,
        "status": job.status.value,
        "status_label": str(STATUS_LABELS[job.status]),
        "progress_text": progress_text(job.status, done, total),
        "done": done,
        "total": total,
        "percent": percent,
        "message": job.message,
        "has_result": job.status is JobStatus.DONE and job.result_path is not None,
    }


def start(job_id: int, work: Work) -> threading.Thread:
    """Run ``work`` for the committed job ``job_id`` in a daemon thread of the current app; returns it."""
    app = app_object()
    # The thread has no request: its messages are written in the language of the person who started it.
    language = current_language()
    thread = threading.Thread(
        target=_run, args=(app, job_id, work, language), name=f"job-{job_id}", daemon=True
    )
    thread.start()
    return thread


def _write(job_id: int, **values: Any) -> None:
    with Session(db.engine) as session:
        session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id).values(**values))
        session.commit()


def _reporter(job_id: int) -> Progress:
    def report(done: int, total: int) -> None:
        _live_progress[job_id] = (done, total)

    return report


def _run(app: Flask, job_id: int, work: Work, language: str) -> None:
    with app.app_context(), force_locale(language):
        _write(job_id, status=JobStatus.RUNNING)
        try:
            result = work(_reporter(job_id))
            db.session.commit()
        except EXPECTED_ERRORS as error:
            db.session.rollback()
            _write(job_id, status=JobStatus.FAILED, message=str(error), finished_at=utcnow())
        except Exception:
            db.session.rollback()
            log.exception("background job %s failed", job_id)
            message = _("The work failed on our side and nothing was kept; please try again.")
            _write(job_id, status=JobStatus.FAILED, message=message, finished_at=utcnow())
        else:
            done, total = _live_progress.get(job_id, (0, 0))
            _write(
                job_id,
                done=max(done, total),
                total=total,
                status=JobStatus.DONE,
                message=result.message,
                result_path=str(result.path) if result.path else None,
                result_name=result.download_name,
                finished_at=utcnow(),
            )
        finally:
            _live_progress.pop(job_id, None)
            db.session.remove()
