"""The scheduler: one periodic sweep job in APScheduler 3 (never one job per e-mail).

APScheduler 3 cannot share a job store between processes, so the schedule lives in one process (``upr
serve`` or ``upr scheduler``) and the truth lives in the outbox and campaign tables, which any sweep reads.
A missed run is harmless: the next sweep takes everything due.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask

from crm.db import utcnow
from outreach.capture import CaptureServer, captured_mail_folder
from outreach.smtp import SmtpSettings
from outreach.sweep import run_sweep

log = logging.getLogger(__name__)
MIN_INTERVAL_SECONDS = 5


def smtp_for(app: Flask) -> tuple[SmtpSettings | None, CaptureServer | None]:
    """The configured SMTP server; in demo/development mode without one, a local capturing server."""
    settings = app.config["UPR_SETTINGS"]
    if settings.smtp_url:
        return SmtpSettings.from_url(settings.smtp_url), None
    if settings.is_demo:
        capture = CaptureServer(captured_mail_folder(app.instance_path))
        return capture.smtp, capture
    return None, None


@dataclass
class SweepService:
    """The running scheduler (and capture server); ``shutdown()`` stops both."""

    scheduler: BackgroundScheduler
    capture: CaptureServer | None = None

    def shutdown(self) -> None:
        self.scheduler.shutdown(wait=True)
        if self.capture is not None:
            self.capture.shutdown()


def sweep_job(app: Flask, smtp: SmtpSettings | None) -> None:
    with app.app_context():
        try:
            report = run_sweep(smtp)
        except Exception:
            # One failed sweep must not stop the schedule; the next run picks everything up again.
            log.exception("outreach sweep failed")
            return
        log.info("outreach sweep: %s", report)


def start(app: Flask) -> SweepService:
    settings = app.config["UPR_SETTINGS"]
    smtp, capture = smtp_for(app)
    if smtp is None:
        log.warning("No SMTP server configured (UPR_SMTP_URL): outreach mail is queued but not sent.")
    scheduler = BackgroundScheduler(
        timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 300}
    )
    scheduler.add_job(
        sweep_job,
        "interval",
        seconds=max(settings.sweep_interval_seconds, MIN_INTERVAL_SECONDS),
        args=(app, smtp),
        id="outreach-sweep",
        next_run_time=utcnow(),  # a first sweep at start-up, then every interval
    )
    scheduler.start()
    return SweepService(scheduler, capture)


def start_embedded(app: Flask) -> SweepService | None:
    """Called by ``upr serve``: the sweep runs inside the web process unless the settings turn it off."""
    if not app.config["UPR_SETTINGS"].scheduler_enabled:
        return None
    return start(app)
