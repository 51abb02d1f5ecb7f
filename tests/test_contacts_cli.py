"""``upr contacts add|edit|archive|merge`` and ``upr organisations add``: scripts never see at-risk people."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from crm.db import db
from crm.models import Contact, Organisation
from tests.contacts_world import build_world
from upr.cli import cli


def test_add_edit_archive_and_merge_from_the_command_line(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        build_world()
    added = runner.invoke(
        cli,
        [
            "organisations",
            "add",
            "Embassy of Sweden in Beijing (2)",
            "--kind",
            "embassy",
            "--state",
            "Sweden",
        ],
    )
    assert added.exit_code == 0, added.output
    unknown = runner.invoke(cli, ["organisations", "add", "X", "--kind", "embassy", "--state", "Swedn"])
    assert unknown.exit_code != 0 and "Did you mean: Sweden" in unknown.output
    ok = runner.invoke(
        cli,
        ["contacts", "add", "karin@example.org", "--organisation", "Mission of Sweden", "--name", "Karin L",
         "--posting-start", "2024-09-01", "--posting-end", "2027-08-31"],
    )  # fmt: skip
    assert ok.exit_code == 0, ok.output
    backwards = runner.invoke(cli, ["contacts", "edit", "karin@example.org", "--posting-end", "2020-01-01"])
    assert backwards.exit_code != 0 and "ends (2020-01-01) before it starts (2024-09-01)" in backwards.output
    assert (
        runner.invoke(cli, ["contacts", "edit", "karin@example.org", "--title", "Counsellor"]).exit_code == 0
    )
    hidden = runner.invoke(cli, ["contacts", "archive", "hidden@example.org"])
    assert hidden.exit_code != 0 and "No contact has the e-mail address hidden@example.org" in hidden.output
    assert runner.invoke(cli, ["contacts", "archive", "johan@example.org"]).exit_code == 0
    merged = runner.invoke(cli, ["contacts", "merge", "asa@example.org", "karin@example.org"])
    assert merged.exit_code == 0, merged.output
    with app.app_context():
        asa = db.session.scalar(select(Contact).where(Contact.email == "asa@example.org"))
        assert asa is not None and asa.posting_end == date(2027, 8, 31) and "karin@example.org" in asa.notes
        assert db.session.scalar(select(Contact).where(Contact.email == "karin@example.org")) is None
        johan = db.session.scalar(select(Contact).where(Contact.email == "johan@example.org"))
        assert johan is not None and johan.archived_at is not None
        assert db.session.scalar(select(Organisation).where(Organisation.name.like("%(2)"))) is not None
    assert runner.invoke(cli, ["contacts", "archive", "johan@example.org", "--undo"]).exit_code == 0
