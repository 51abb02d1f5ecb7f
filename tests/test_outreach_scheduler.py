"""The scheduler: one periodic sweep job, inside the web process or as ``upr scheduler``, stopping cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import func, select

from crm.db import db, utcnow
from outreach.jobs import start, start_embedded
from outreach.models import OutboxMessage
from tests.outreach_support import build_world
from tests.smtp_support import SmtpServer, smtp_fixture  # noqa: F401 - the fixture
from upr.app import create_app

UPR = str(Path(sys.executable).with_name("upr"))


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp: SmtpServer) -> dict[str, Any]:
    return {**app_config, "smtp_url": smtp.url, "sweep_interval_seconds": 30}


def _outbox_size() -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)) or 0


def test_the_scheduler_runs_one_sweep_job_and_shuts_down_cleanly(app: Flask) -> None:
    with app.app_context():
        build_world(send_at=utcnow() - timedelta(minutes=5))
    service = start(app)
    try:
        [job] = service.scheduler.get_jobs()
        assert job.id == "outreach-sweep"
        assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 300)
        assert isinstance(job.trigger, IntervalTrigger) and job.trigger.interval == timedelta(seconds=30)
        assert str(job.trigger.timezone) == "UTC"
        # The first sweep runs at start-up: the due campaign is queued (sent within working hours).
        deadline = time.monotonic() + 20
        with app.app_context():
            while _outbox_size() < 2 and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _outbox_size() == 2
    finally:
        service.shutdown()
    assert not service.scheduler.running
    assert service.capture is None  # an SMTP server is configured: nothing is captured


def test_serve_embeds_the_scheduler_only_when_enabled(app_config: dict[str, Any], app: Flask) -> None:
    assert start_embedded(app) is None  # the test settings turn it off
    service = start_embedded(create_app({**app_config, "scheduler_enabled": True}))
    assert service is not None
    try:
        assert len(service.scheduler.get_jobs()) == 1
    finally:
        service.shutdown()
    assert not service.scheduler.running


def test_upr_scheduler_runs_as_its_own_process_and_stops_on_sigterm(
    app: Flask, smtp: SmtpServer, database_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "UPR_ENV": "testing",
        "UPR_DATABASE_URL": database_url,
        "UPR_SECRET_KEY": "test-secret-key-not-for-production",
        "UPR_SMTP_URL": smtp.url,
        "UPR_INSTANCE_PATH": str(tmp_path / "instance"),
        "UPR_SWEEP_SECONDS": "5",
    }
    process = subprocess.Popen([UPR, "scheduler"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith("Outreach scheduler running: one sweep every 5 s")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert "Scheduler stopped." in process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
