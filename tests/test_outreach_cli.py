"""``upr outreach sweep`` as a real process: killed mid-sweep, several at once, and the demo campaign."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from crm.contacts.models import Contact, Organisation
from crm.contacts.privacy import is_at_risk
from crm.db import db, utcnow
from crm.state_names import state_name
from outreach.models import MessageStatus, OutboxMessage
from outreach.sweep import LEASE
from tests.outreach_support import MONDAY, build_world
from tests.smtp_support import SmtpServer, smtp_fixture  # noqa: F401 - the fixture
from upr.cli import cli

UPR = str(Path(sys.executable).with_name("upr"))


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp: SmtpServer) -> dict[str, Any]:
    return {**app_config, "smtp_url": smtp.url}


def _environment(database_url: str, smtp: SmtpServer, tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "UPR_ENV": "testing",
        "UPR_DATABASE_URL": database_url,
        "UPR_SECRET_KEY": "test-secret-key-not-for-production",
        "UPR_SMTP_URL": smtp.url,
        "UPR_INSTANCE_PATH": str(tmp_path / "instance"),
    }


def _sweep(env: dict[str, str], now: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([UPR, "outreach", "sweep", "--now", now], env=env, stdout=subprocess.PIPE)


def _add_swedes(count: int) -> None:
    sweden = db.session.scalar(select(Organisation).where(Organisation.state_code == "SWE"))
    for n in range(count):
        db.session.add(Contact(organisation=sweden, full_name=f"Diplomat {n}", email=f"d{n}@example.org"))
    db.session.commit()


def test_a_sweep_killed_mid_send_loses_nothing_and_duplicates_at_most_one(
    app: Flask, smtp: SmtpServer, database_url: str, tmp_path: Path
) -> None:
    with app.app_context():
        build_world()
        _add_swedes(8)
    env = _environment(database_url, smtp, tmp_path)
    smtp.handler.delay_seconds = 0.3
    process = _sweep(env, MONDAY.isoformat())
    deadline = time.monotonic() + 30
    while len(smtp.handler.received) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert 3 <= len(smtp.handler.received) < 10, "the kill must land mid-sweep"

    smtp.handler.delay_seconds = 0
    # Before the lease runs out the rows the dead process held stay untouched …
    assert _sweep(env, (MONDAY + LEASE / 2).isoformat()).wait() == 0
    # … after it, they are sent (the one in flight possibly again, with its Message-ID).
    assert _sweep(env, (MONDAY + LEASE + timedelta(minutes=1)).isoformat()).wait() == 0
    assert _sweep(env, (MONDAY + timedelta(hours=3)).isoformat()).wait() == 0

    with app.app_context():
        rows = list(db.session.scalars(select(OutboxMessage)))
    assert len(rows) == 10 and all(r.status is MessageStatus.SENT for r in rows)
    per_row = Counter(r.message["Message-ID"] for r in smtp.handler.received)
    assert set(per_row) == {r.message_id for r in rows}  # every message delivered, under its own ID
    assert sum(n - 1 for n in per_row.values()) <= 1  # at most one duplicate for one kill


@pytest.mark.postgres_only
def test_several_sweepers_on_postgresql_never_send_a_row_twice(
    app: Flask, smtp: SmtpServer, database_url: str, backend: str, tmp_path: Path
) -> None:
    if backend != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's; SQLite runs one writer at a time")
    with app.app_context():
        build_world()
        _add_swedes(118)
    env = _environment(database_url, smtp, tmp_path)
    sweepers = [_sweep(env, MONDAY.isoformat()) for _ in range(4)]
    assert [p.wait(timeout=120) for p in sweepers] == [0, 0, 0, 0]
    per_row = Counter(r.message["Message-ID"] for r in smtp.handler.received)
    assert len(per_row) == 120
    assert max(per_row.values()) == 1


def test_the_demo_campaign_sends_each_demo_contact_one_briefing_over_48_hours(
    app: Flask, smtp: SmtpServer, runner: FlaskCliRunner
) -> None:
    import crm.contacts.demo
    import crm.recommendations.demo
    import crm.reviews.demo
    import outreach.demo

    with app.app_context():
        # Only the loaders this campaign needs, so that the test is about the outreach part of the demo.
        for loader in (crm.reviews.demo, crm.recommendations.demo, crm.contacts.demo, outreach.demo):
            loader.load_demo()
            db.session.flush()
        db.session.commit()
        start = utcnow()
    for hour in range(49):
        result = runner.invoke(
            cli, ["outreach", "sweep", "--now", (start + timedelta(hours=hour)).isoformat()]
        )
        assert result.exit_code == 0, result.output
    first_round = len(smtp.handler.received)

    counts = Counter(r.rcpt for r in smtp.handler.received)
    assert counts and max(counts.values()) == 1
    with app.app_context():
        for address in counts:
            contact = db.session.scalar(select(Contact).where(Contact.email == address))
            assert contact is not None and not contact.opt_out and not is_at_risk(contact)
            state = contact.organisation.state
            assert state is not None
            received = next(r for r in smtp.handler.received if r.rcpt == address)
            # Named in the language the contact reads (the demo template has English and French).
            language = next((tag[:2] for tag in contact.language_list if tag[:2] in ("en", "fr")), "en")
            subject = received.message["Subject"]
            assert state_name("CHN", language, "China").name in subject
            recommending = state_name(state.code, language, state.name)  # "Canada" / "du Canada"
            assert recommending.name in subject or recommending.of in subject
    assert "marcus.whitaker@example.org" not in counts  # opted out in the demo data
    assert "zhou.wenbo@example.net" not in counts  # at risk
    assert "joerg.hartmann@example.org" not in counts  # his posting ended; his successor is briefed
    assert "asa.bergstrom@example.org" in counts and "lena.schaefer@example.org" in counts

    for hour in range(49, 60):
        runner.invoke(cli, ["outreach", "sweep", "--now", (start + timedelta(hours=hour)).isoformat()])
    assert len(smtp.handler.received) == first_round
