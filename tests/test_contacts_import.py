"""``upr import contacts`` and ``upr export contacts``: CSV and vCard, atomic, row-numbered, masked."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from crm import dates
from crm.contacts.models import Contact, Organisation, SafetyLevel, Task, TaskKind
from crm.contacts.services import SUCCESSOR_RECENT_DAYS, SUCCESSOR_WARNING_DAYS, ensure_successor_task
from crm.db import db
from tests.contacts_world import build_world
from upr.cli import cli

SAMPLES = Path(__file__).parent / "samples" / "contacts"


def _count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Contact)) or 0


def test_csv_import_accepts_internationalised_addresses_and_refuses_a_second_run(
    app: Flask, runner: FlaskCliRunner
) -> None:
    dry = runner.invoke(cli, ["import", "contacts", str(SAMPLES / "good.csv"), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "3 rows are valid" in dry.output and _count(app) == 0
    result = runner.invoke(cli, ["import", "contacts", str(SAMPLES / "good.csv")])
    assert result.exit_code == 0, result.output
    assert "Imported 3 contacts" in result.output and "3 new organisations" in result.output
    with app.app_context():
        zoe = db.session.scalar(select(Contact).where(Contact.full_name == "Zoë Müller"))
        assert zoe is not None and zoe.email == "zoë@exämple.org"
        assert zoe.organisation.state_code == "CHE" and zoe.safety_level is SafetyLevel.SENSITIVE
        johan = db.session.scalar(select(Contact).where(Contact.email == "johan.test@example.org"))
        assert johan is not None and johan.organisation.state_code == "SWE"
    again = runner.invoke(cli, ["import", "contacts", str(SAMPLES / "good.csv")])
    assert again.exit_code != 0 and "already belongs to contact #" in again.output
    assert _count(app) == 3


def test_csv_errors_name_every_row_and_nothing_is_written(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(cli, ["import", "contacts", str(SAMPLES / "bad.csv")])
    assert result.exit_code != 0
    out = result.output
    assert "Row 3: Unknown state 'Swedenn'. Did you mean: Sweden" in out
    assert "Row 4: 'not-an-address@' is not a valid e-mail address" in out
    assert "Row 5: The posting ends (2024-01-01) before it starts (2025-09-01)" in out
    assert "Row 6: good.row@example.org is already on row 2" in out
    assert "Row 2" not in out.replace("row 2", "")
    assert "4 problem(s); nothing was imported" in out
    assert _count(app) == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_vcard_with_several_addresses_or_none(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(cli, ["import", "contacts", str(SAMPLES / "several.vcf"), "--state", "SWE"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        karin = db.session.scalar(select(Contact).where(Contact.full_name == "Karin Lindqvist"))
        assert karin is not None
        assert karin.email == "karin.lindqvist@example.org"  # the preferred one, though listed second
        assert "karin.private@example.org" in karin.notes and "k.lindqvist@example.net" in karin.notes
        assert (
            karin.organisation.state_code == "SWE" and karin.title == "Second Secretary, Human Rights Council"
        )
        nobody = db.session.scalar(select(Contact).where(Contact.full_name == "No Address Person"))
        assert nobody is not None and nobody.email is None and "side event" in nobody.notes
        # Both cards named the same organisation: it was created once.
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_vcard_with_malformed_address_is_refused(app: Flask, runner: FlaskCliRunner) -> None:
    result = runner.invoke(cli, ["import", "contacts", str(SAMPLES / "bad.vcf"), "--state", "SWE"])
    assert result.exit_code != 0
    assert "Row 1: 'broken@@example.org' is not a valid e-mail address" in result.output
    assert _count(app) == 0


def test_unknown_file_type_is_one_clear_error(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    path = tmp_path / "contacts.txt"
    path.write_text("hello", encoding="utf-8")
    result = runner.invoke(cli, ["import", "contacts", str(path)])
    assert result.exit_code != 0 and "use a .csv or a .vcf (vCard) file" in result.output


def test_export_never_holds_at_risk_people_and_masks_on_request(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    with app.app_context():
        build_world()
    plain, masked = tmp_path / "plain.csv", tmp_path / "masked.csv"
    assert runner.invoke(cli, ["export", "contacts", str(plain)]).exit_code == 0
    assert runner.invoke(cli, ["export", "contacts", str(masked), "--mask"]).exit_code == 0
    rows = list(csv.DictReader(plain.open(encoding="utf-8-sig")))
    assert "Hidden Person" not in plain.read_text(encoding="utf-8-sig")
    assert "hidden@example.org" not in plain.read_text(encoding="utf-8-sig")
    assert {"Åsa Bergström", "Johan Ekholm"} <= {row["full_name"] for row in rows}
    masked_rows = list(csv.DictReader(masked.open(encoding="utf-8-sig")))
    assert {row["full_name"] for row in masked_rows} >= {"Å.B.", "J.E."}
    assert all(row["email"] == "" and row["phone"] == "" and row["notes"] == "" for row in masked_rows)


def test_successor_task_created_for_ending_posting(app: Flask, runner: FlaskCliRunner) -> None:
    """Only recently ended or soon ending postings get a task; one that ended 16 months ago does not."""
    today = dates.today()
    with app.app_context():
        world = build_world()
        maria_id, johan_id, lars_id = world.ids["maria"], world.ids["johan"], world.ids["lars"]
        world.maria.posting_end = today - timedelta(days=SUCCESSOR_RECENT_DAYS - 1)
        world.johan.posting_end = today - timedelta(days=16 * 30)
        world.lars.posting_end = today + timedelta(days=SUCCESSOR_WARNING_DAYS + 1)
        db.session.commit()
    result = runner.invoke(cli, ["contacts", "successor-tasks"])
    assert result.exit_code == 0 and "1 successor tasks added" in result.output
    assert "0 successor tasks added" in runner.invoke(cli, ["contacts", "successor-tasks"]).output
    with app.app_context():
        task = db.session.scalar(select(Task).where(Task.contact_id == maria_id))
        assert task is not None and task.kind is TaskKind.SUCCESSOR and task.due_on == today
        assert "Maria" not in task.title  # tasks reach calendar feeds: no names
        for too_old_or_too_far in (johan_id, lars_id):
            assert db.session.scalar(select(Task).where(Task.contact_id == too_old_or_too_far)) is None
        # Saving the contact (as the form does) makes no task for the old posting either.
        johan = db.session.get(Contact, johan_id)
        assert johan is not None and ensure_successor_task(johan, today) is None
