"""Long work (exports, imports) in a background thread, with progress a page or the CLI can follow.

The caller stages a job with :func:`new_job`, commits, then calls :func:`start` with a function of one
argument, ``progress(done, total)`` — the same callback the recommendation importer accepts. The work
runs in its own thread and session inside an app context; whatever it stages is committed when it
returns and rolled back when it raises. Live progress is kept in this process's memory, because the
work's own open transaction may hold SQLite's single write lock; the job's row gets its final state. The
app runs its jobs in the process that serves their status page (``upr serve``), so memory is enough there.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from crm.assessments.models import BackgroundJob, JobStatus
from crm.auth.models import Role, User
from crm.db import db, utcnow

log = logging.getLogger(__name__)
Progress = Callable[[int, int], None]
Row = TypeVar("Row")
REDRAW_SECONDS = 0.2
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
        "done": done,
        "total": total,
        "percent": percent,
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


def _reporter(job_id: int) -> Progress:
    def report(done: int, total: int) -> None:
        _live_progress[job_id] = (done, total)

    return report


def _run(app: Flask, job_id: int, work: Work) -> None:
    with app.app_context():
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
            message = "The work failed on our side and nothing was kept; please try again."
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


def terminal_progress(label: str) -> Callable[[int, int | None], None]:
    """A progress line for the CLI, redrawn in place on stderr and ended when ``done`` reaches ``total``.

    ``total`` None means the size is not known yet (a file being checked as it is read): the line then
    counts up. Redrawn at most five times a second, so a fast loop is not slowed by the terminal.
    """
    last_drawn = 0.0
    last_text = ""

    def progress(done: int, total: int | None) -> None:
        nonlocal last_drawn, last_text
        finished = total is not None and done >= total
        now = time.monotonic()
        text = f"{label}: {done:,}" + (f"/{total:,}" if total is not None else " so far")
        if text == last_text or (not finished and now - last_drawn < REDRAW_SECONDS):
            return
        last_drawn, last_text = now, text
        # Padded, so a shorter line fully covers the one it redraws.
        click.echo(f"\r{text:<48}", nl=finished, err=True)
        sys.stderr.flush()

    return progress


def with_progress(
    rows: Sequence[Row], progress: Callable[[int, int], None], every: int = 500
) -> Iterator[Row]:
    """``rows`` one by one, reporting ``progress(done, total)`` every ``every`` rows and at the end."""
    total = len(rows)
    for done, row in enumerate(rows, start=1):
        yield row
        if done % every == 0 or done == total:
            progress(done, total)
    if not total:
        progress(0, 0)
