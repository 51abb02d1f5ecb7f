"""The foundation: the standard library stays intact, configuration fails loudly, the CLI contract holds."""

from __future__ import annotations

import calendar
import csv
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from apscheduler.triggers.cron import CronTrigger
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from crm.db import db
from crm.models import Recommendation, Review, State
from upr.benchmarks.harness import Measurement, Workload, run_benchmarks
from upr.cli import cli
from upr.config import ConfigError, Settings

from .conftest import REPO_ROOT


def test_standard_library_calendar_is_not_shadowed_from_the_repository_root() -> None:
    # A fresh interpreter started in the root, like `python -m pytest` or `flask --app`, must still see
    # the standard library's calendar module and everything built on it.
    code = (
        "import calendar, datetime, sys\n"
        "from apscheduler.triggers.cron import CronTrigger\n"
        "assert calendar.monthrange(2024, 2) == (3, 29), calendar.__file__\n"
        "print(datetime.datetime.strptime('Tue 23 Jan 2024', '%a %d %b %Y').date())\n"
        "t = CronTrigger(day='last', hour=9, timezone='Europe/Zurich')\n"
        "print(t.get_next_fire_time(None, datetime.datetime(2024, 2, 1, tzinfo=datetime.UTC)))\n"
        "import upr_calendar; print(upr_calendar.__path__)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2024-01-23"
    assert lines[1] == "2024-02-29 09:00:00+01:00"
    assert "calendar" in lines[2]
    assert Path(calendar.__file__).parent != REPO_ROOT


def test_cron_trigger_in_this_process() -> None:
    trigger = CronTrigger(hour=6, timezone="UTC")
    fire = trigger.get_next_fire_time(None, datetime(2026, 3, 29, 7, tzinfo=UTC))
    assert fire == datetime(2026, 3, 30, 6, tzinfo=UTC)


def test_missing_secret_outside_demo_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="UPR_SECRET_KEY is not set"):
        Settings.from_env({"UPR_ENV": "production"})
    demo = Settings.from_env({"UPR_ENV": "demo", "UPR_INSTANCE_PATH": str(tmp_path)})
    assert len(demo.secret_key) > 40
    assert demo.database_url == f"sqlite:///{tmp_path / 'upr.sqlite3'}"
    with pytest.raises(ConfigError, match="UPR_ENV"):
        Settings.from_env({"UPR_ENV": "staging", "UPR_SECRET_KEY": "x"})


def test_demo_keeps_one_secret_so_mailed_links_survive_a_restart(tmp_path: Path) -> None:
    """An unsubscribe link mailed by `upr outreach sweep` must still open in the server started later."""
    first = Settings.from_env({"UPR_ENV": "demo", "UPR_INSTANCE_PATH": str(tmp_path)})
    again = Settings.from_env({"UPR_ENV": "development", "UPR_INSTANCE_PATH": str(tmp_path)})
    assert first.secret_key == again.secret_key
    assert (tmp_path / "demo-secret-key").stat().st_mode & 0o777 == 0o600
    elsewhere = Settings.from_env({"UPR_ENV": "demo", "UPR_INSTANCE_PATH": str(tmp_path / "other")})
    assert elsewhere.secret_key != first.secret_key
    tests = [Settings.from_env({"UPR_ENV": "testing", "UPR_INSTANCE_PATH": str(tmp_path)}) for _ in range(2)]
    assert tests[0].secret_key != tests[1].secret_key != first.secret_key


def _upr(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    upr = Path(sys.executable).with_name("upr")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("UPR_", "PG"))}
    return subprocess.run(
        [str(upr), *args],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_cli_errors_are_one_sentence_and_non_zero(tmp_path: Path) -> None:
    missing_secret = _upr("db", "upgrade", env={"UPR_ENV": "production"}, cwd=tmp_path)
    assert missing_secret.returncode != 0
    assert "UPR_SECRET_KEY is not set" in missing_secret.stderr
    assert "Traceback" not in missing_secret.stderr

    unreachable = _upr(
        "db",
        "upgrade",
        env={"UPR_SECRET_KEY": "s" * 40, "UPR_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"},
        cwd=tmp_path,
    )
    assert unreachable.returncode != 0
    assert "cannot reach the database" in unreachable.stderr
    assert "Traceback" not in unreachable.stderr

    never_upgraded = _upr("who-to-brief", "CHN-3", "28.83", env={"UPR_ENV": "demo"}, cwd=tmp_path)
    assert never_upgraded.returncode == 3
    assert "the database has no tables yet" in never_upgraded.stderr
    assert "Run `upr db upgrade` first." in never_upgraded.stderr


def test_db_upgrade_and_demo_from_the_real_console_script(tmp_path: Path) -> None:
    env = {"UPR_ENV": "demo", "UPR_INSTANCE_PATH": str(tmp_path / "instance")}
    upgraded = _upr("db", "upgrade", env=env, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    assert "195 states added" in upgraded.stdout
    first = _upr("demo", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "Demo sign-in: demo@example.org / briefing-geneva-2024" in first.stdout
    second = _upr("demo", env=env, cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert "0 added" in second.stdout
    again = _upr("db", "upgrade", env=env, cwd=tmp_path)
    assert "0 states added" in again.stdout
    created = _upr(
        "user",
        "create",
        "--email",
        "coordinator@example.org",
        "--role",
        "coordinator",
        env={**env, "UPR_NEW_USER_PASSWORD": "a long enough phrase"},
        cwd=tmp_path,
    )
    assert created.returncode == 0, created.stderr
    exported = _upr("export", "recommendations", "--review", "CHN-3", "-o", "chn3.csv", env=env, cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    assert (
        (tmp_path / "chn3.csv").read_text(encoding="utf-8-sig").startswith("number,text,recommending_states")
    )


def test_new_database_holds_every_state(app: Flask) -> None:
    with app.app_context():
        states = db.session.scalars(select(State)).all()
        assert len(states) == 195
        assert sum(1 for s in states if not s.is_member) == 2
        china = db.session.get(State, "CHN")
        assert china is not None and china.regional_group is not None
        assert china.regional_group.value == "Asia-Pacific"


def test_user_create_command(runner: FlaskCliRunner) -> None:
    ok = runner.invoke(
        cli,
        [
            "user",
            "create",
            "--email",
            "Officer@Example.org",
            "--role",
            "officer",
            "--password",
            "a long enough phrase",
        ],
    )
    assert ok.exit_code == 0, ok.output
    assert "Created officer officer@example.org" in ok.output

    duplicate = runner.invoke(
        cli,
        [
            "user",
            "create",
            "--email",
            "officer@example.org",
            "--role",
            "viewer",
            "--password",
            "another phrase here",
        ],
    )
    assert duplicate.exit_code != 0
    assert "already exists" in duplicate.output

    weak = runner.invoke(
        cli, ["user", "create", "--email", "w@example.org", "--role", "viewer", "--password", "short"]
    )
    assert weak.exit_code != 0
    assert "too short" in weak.output

    bad_role = runner.invoke(
        cli,
        [
            "user",
            "create",
            "--email",
            "r@example.org",
            "--role",
            "king",
            "--password",
            "a long enough phrase",
        ],
    )
    assert bad_role.exit_code != 0
    assert "king" in bad_role.output

    bad_email = runner.invoke(
        cli,
        [
            "user",
            "create",
            "--email",
            "not-an-address",
            "--role",
            "viewer",
            "--password",
            "a long enough phrase",
        ],
    )
    assert bad_email.exit_code != 0
    assert "not a valid e-mail address" in bad_email.output


def test_demo_loads_china_reviews_and_is_idempotent(app: Flask, runner: FlaskCliRunner) -> None:
    first = runner.invoke(cli, ["demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        counts = dict(
            db.session.execute(
                select(Review.cycle, func.count(Recommendation.id))
                .outerjoin(Recommendation)
                .where(Review.state_code == "CHN")
                .group_by(Review.cycle)
            ).all()
        )
        review3 = db.session.scalar(select(Review).where(Review.state_code == "CHN", Review.cycle == 3))
        assert review3 is not None
        assert review3.review_date is not None and review3.review_date.isoformat() == "2018-11-06"
        assert review3.session == 31
        assert review3.reported_recommendations == 346
        assert review3.reported_recommending_states == 150
        review4 = db.session.scalar(select(Review).where(Review.state_code == "CHN", Review.cycle == 4))
        assert review4 is not None and review4.review_date is not None
        assert review4.review_date.isoformat() == "2024-01-23"
        assert review4.session == 45
        # The misprinted 8.140 is 28.140 in OHCHR's matrix, with the annex's note; Latvia's recommendation,
        # unnumbered in the seed, is the matrix's 28.29 and gets the annex's heading.
        corrected = db.session.scalar(select(Recommendation).where(Recommendation.number == "28.140"))
        assert corrected is not None and "8.140" in corrected.source_note
        latvia = db.session.scalar(
            select(Recommendation).where(
                Recommendation.number == "28.29", Recommendation.review_id == review3.id
            )
        )
        assert latvia is not None and latvia.recommending_codes == ["LVA"]
        assert "COOPERATION WITH THE UNITED NATIONS" in {theme.name for theme in latvia.themes}
    matrices = {
        cycle: _matrix_rows(REPO_ROOT / f"data/demo/ohchr-matrix-chn-{cycle}.docx") for cycle in (2, 3)
    }
    assert (counts[2], counts[3]) == (matrices[2], matrices[3])
    second = runner.invoke(cli, ["demo"])
    assert second.exit_code == 0, second.output
    with app.app_context():
        total = db.session.scalar(select(func.count(Recommendation.id)))
    assert total == matrices[2] + matrices[3]


def _matrix_rows(path: Path) -> int:
    """The recommendations of an OHCHR matrix, counted with python-docx alone: rows opening with a number."""
    from docx import Document

    table = Document(str(path)).tables[0]
    return sum(1 for row in table.rows if re.match(r"\d+\.\d+", row.cells[0].text.strip()))


def test_export_recommendations_csv_is_safe_from_formula_injection(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    with app.app_context():
        # The first row the CHN-3 export writes.
        rec = db.session.scalars(
            select(Recommendation)
            .join(Review)
            .where(Review.state_code == "CHN", Review.cycle == 3)
            .order_by(Recommendation.sort_key)
        ).first()
        assert rec is not None
        rec.text = '=HYPERLINK("http://evil.example")'
        db.session.commit()
    out = tmp_path / "chn3.csv"
    result = runner.invoke(cli, ["export", "recommendations", "--review", "CHN-3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert {"number", "text", "recommending_states", "response", "action_category", "themes"} <= set(rows[0])
    assert rows[0]["text"].startswith("'=")
    assert all(
        ";" not in r["recommending_states"] or len(r["recommending_states"].split(";")[0]) == 3 for r in rows
    )
    missing = runner.invoke(cli, ["export", "recommendations", "--review", "XXX-9", "-o", str(out)])
    assert missing.exit_code != 0
    assert "XXX" in missing.output


def test_bench_json_keys(capsys: pytest.CaptureFixture[str]) -> None:
    double = Workload("double", 2.0, "a job twice as slow as its floor", lambda s: Measurement(2.0, 1.0))
    run_benchmarks([double], ["double"], as_json=True)
    printed = json.loads(capsys.readouterr().out)
    assert printed == [
        {
            "workload": "double",
            "seconds": 2.0,
            "floor_seconds": 1.0,
            "ratio": 2.0,
            "target": 2.0,
            "detail": "",
        }
    ]


def test_every_workload_runs_end_to_end_at_a_small_scale(runner: FlaskCliRunner, app: Flask) -> None:
    """The workloads the issues set targets for really run: own data, real floor, the app's code."""
    result = runner.invoke(cli, ["bench", "--scale", "0.01", "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert {row["workload"] for row in printed} == {
        "import-recommendations",
        "who-to-brief",
        "briefing-basis",
        "ical-export",
        "send-briefings",
    }
    for row in printed:
        assert row["seconds"] > 0 and row["floor_seconds"] > 0, row
        assert row["ratio"] == pytest.approx(row["seconds"] / row["floor_seconds"], rel=0.01, abs=0.01)
    # The app's own database was only borrowed from: it still answers.
    with app.app_context():
        assert db.session.scalar(select(func.count(State.code))) == 195
