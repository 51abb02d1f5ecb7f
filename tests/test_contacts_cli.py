"""``upr contacts`` and ``upr organisations`` add|edit|archive|merge: scripts never see at-risk people."""

from __future__ import annotations

from datetime import date

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from crm.contacts.models import Contact, Organisation
from crm.db import db
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
    declined = runner.invoke(cli, ["contacts", "merge", "asa@example.org", "karin@example.org"], input="n\n")
    assert (
        declined.exit_code != 0 and "Merge Karin L <karin@example.org> into Åsa Bergström" in declined.output
    )
    assert "fills in posting end: 2027-08-31" in declined.output
    with app.app_context():
        karin = db.session.scalar(select(Contact).where(Contact.email == "karin@example.org"))
        assert karin is not None and karin.merged_into_id is None  # answering no changed nothing
    merged = runner.invoke(cli, ["contacts", "merge", "asa@example.org", "karin@example.org", "--yes"])
    assert merged.exit_code == 0, merged.output
    merge_id = int(merged.output.split("merge #")[1].split(")")[0])
    assert f"upr contacts unmerge {merge_id}" in merged.output
    with app.app_context():
        asa = db.session.scalar(select(Contact).where(Contact.email == "asa@example.org"))
        assert asa is not None and asa.posting_end == date(2027, 8, 31) and "karin@example.org" in asa.notes
        # Kept, not deleted: archived as merged into Åsa.
        karin = db.session.scalar(select(Contact).where(Contact.email == "karin@example.org"))
        assert karin is not None and karin.merged_into_id == asa.id and karin.archived_at is not None
    undone = runner.invoke(cli, ["contacts", "unmerge", str(merge_id)])
    assert undone.exit_code == 0, undone.output
    again = runner.invoke(cli, ["contacts", "unmerge", str(merge_id)])
    assert again.exit_code != 0 and "already undone" in again.output
    with app.app_context():
        asa = db.session.scalar(select(Contact).where(Contact.email == "asa@example.org"))
        assert asa is not None and asa.posting_end is None and "karin@example.org" not in asa.notes
        karin = db.session.scalar(select(Contact).where(Contact.email == "karin@example.org"))
        assert karin is not None and karin.merged_into_id is None and karin.archived_at is None
        johan = db.session.scalar(select(Contact).where(Contact.email == "johan@example.org"))
        assert johan is not None and johan.archived_at is not None
        assert db.session.scalar(select(Organisation).where(Organisation.name.like("%(2)"))) is not None
    assert runner.invoke(cli, ["contacts", "archive", "johan@example.org", "--undo"]).exit_code == 0


def test_organisations_edit_archive_and_merge_from_the_command_line(
    app: Flask, runner: FlaskCliRunner
) -> None:
    """A duplicate mission typed in twice under the same name is told apart by number and folded in."""
    with app.app_context():
        build_world()
        original = db.session.scalar(select(Organisation.id).where(Organisation.name == "Mission of Sweden"))
    added = runner.invoke(
        cli, ["organisations", "add", "Mission of Sweden", "--kind", "mission_geneva", "--state", "SWE"]
    )
    assert added.exit_code == 0, added.output
    twin = int(added.output.split("#")[1].split(".")[0])
    assert (
        runner.invoke(
            cli, ["contacts", "add", "lena@example.org", "--organisation", f"#{twin}", "--name", "Lena S"]
        ).exit_code
        == 0
    )
    ambiguous = runner.invoke(cli, ["organisations", "archive", "mission of sweden"])
    assert ambiguous.exit_code != 0
    assert (
        f"Several organisations have the name 'mission of sweden' (#{original}, #{twin})" in ambiguous.output
    )
    other_state = runner.invoke(cli, ["organisations", "merge", "Mission of Norway", f"#{twin}"])
    assert other_state.exit_code != 0 and "belong to different states" in other_state.output
    merged = runner.invoke(cli, ["organisations", "merge", f"#{original}", f"#{twin}"], input="y\n")
    assert merged.exit_code == 0, merged.output
    assert "1 person (with their history) move to Mission of Sweden" in merged.output
    assert "upr organisations unmerge" in merged.output
    renamed = runner.invoke(
        cli,
        ["organisations", "edit", "Mission of Sweden", "--name", "Permanent Mission of Sweden (Geneva)",
         "--email", "geneva@example.org"],
    )  # fmt: skip
    assert renamed.exit_code == 0, renamed.output
    bad_state = runner.invoke(cli, ["organisations", "edit", "#999999", "--state", "SWE"])
    assert bad_state.exit_code != 0 and "No organisation has the number #999999" in bad_state.output
    assert runner.invoke(cli, ["organisations", "archive", "Embassy of Sweden in Paris"]).exit_code == 0
    with app.app_context():
        kept = db.session.get(Organisation, original)
        assert kept is not None and kept.name == "Permanent Mission of Sweden (Geneva)"
        assert kept.email == "geneva@example.org" and kept.state_code == "SWE" and kept.city == "Geneva"
        merged_twin = db.session.get(Organisation, twin)
        assert merged_twin is not None and merged_twin.merged_into_id == original  # kept, for the undo
        lena = db.session.scalar(select(Contact).where(Contact.email == "lena@example.org"))
        assert lena is not None and lena.organisation_id == original
        paris = db.session.scalar(
            select(Organisation).where(Organisation.name == "Embassy of Sweden in Paris")
        )
        assert paris is not None and paris.archived_at is not None
    assert (
        runner.invoke(cli, ["organisations", "archive", "Embassy of Sweden in Paris", "--undo"]).exit_code
        == 0
    )
    with app.app_context():
        paris = db.session.scalar(
            select(Organisation).where(Organisation.name == "Embassy of Sweden in Paris")
        )
        assert paris is not None and paris.archived_at is None
