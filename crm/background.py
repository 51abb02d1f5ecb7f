"""Long work (exports, imports) in a background thread, with progress a page or the CLI can follow.

The caller stages a job with :func:`new_job`, commits, then calls :func:`start` with a function of one
argument, ``progress(done, total)`` — the same callback the recommendation importer accepts. The work
runs in its own thread and session inside an app context; whatever it stages is committed when it
returns and rolled back when it raises. Progress is written through a separate short session so that
the page polling the job sees it while the work's own transaction is still open.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from crm.assessments.models import BackgroundJob, JobStatus
from crm.db import db, utcnow
from crm.models import Role, User

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
# Errors whose message is written for people (bad input found while working); others are logged.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (ValueError, LookupError)
PROGRESS_INTERVAL = 0.25


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


def status_json(job: BackgroundJob) -> dict[str, Any]:
    return {
        "id": job.id,
        "status": job.status.value,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "has_result": job.status is JobStatus.DONE and job.result_path is not None,
    }


def start(app: Flask, job_id: int, work: Work) -> threading.Thread:
    """Run ``work`` for the committed job ``job_id`` in a daemon thread; returns the thread."""
    thread = threading.Thread(target=_run, args=(app, job_id, work), name=f"job-{job_id}", daemon=True)
    thread.start()
    return thread


def _write(job_id: int, **values: Any) -> None:
    with Session(db.engine) as session:
        session.execute(update(BackgroundJob).where(BackgroundJob.id == job_id).values(**values))
        session.commit()


class _Reporter:
    """A ``progress(done, total)`` callback that writes at most a few times a second."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self.last >= PROGRESS_INTERVAL:
            self.last = now
            _write(self.job_id, done=done, total=total)


def _run(app: Flask, job_id: int, work: Work) -> None:
    with app.app_context():
        _write(job_id, status=JobStatus.RUNNING)
        try:
            result = work(_Reporter(job_id))
            db.session.commit()
        except EXPECTED_ERRORS as error:
            db.session.rollback()
            _write(job_id, status=JobStatus.FAILED, message=str(error), finished_at=utcnow())
        except Exception:
            db.session.rollback()
            log.exception("background job %s failed", job_id)
            message = "The work failed on our side and nothing was kept; please try again."
            _write(job_id, status=JobStatus.FAILED, message=message, finished_at=utcnow())
        else:
            _write(
                job_id,
                status=JobStatus.DONE,
                message=result.message,
                result_path=str(result.path) if result.path else None,
                result_name=result.download_name,
                finished_at=utcnow(),
            )
        finally:
            db.session.remove()


def terminal_progress(label: str) -> Progress:
    """A progress line for the CLI, redrawn in place on stderr and ended when the work is done."""

    def progress(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        click.echo(f"\r{label}: {done}/{total}{end}", nl=False, err=True)
        sys.stderr.flush()

    return progress
