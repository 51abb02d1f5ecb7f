"""Who to brief, briefing basis and agency mandates, through the services and the ``upr`` commands."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

from flask import Flask
from flask.testing import FlaskCliRunner

from crm.auth.models import Role
from crm.auth.services import create_user
from crm.contacts.interactions import save_interaction
from crm.contacts.mandates import seed_agency_mandates
from crm.contacts.models import Contact, InteractionKind, Organisation, OrganisationKind
from crm.contacts.who_to_brief import agencies_for_themes, briefing_basis, contacts_for_recommendation
from crm.db import db
from crm.models import ImplementationStatus, Recommendation, Theme
from tests.contacts_world import build_world
from upr.cli import cli


def test_recommendation_maps_to_mission_embassy_in_capital_and_ministry_in_relevance_order(
    app: Flask,
) -> None:
    with app.app_context():
        world = build_world()
        names = [r.contact.full_name for r in contacts_for_recommendation(world.rec_swe, on=date(2026, 1, 1))]
        # Mission before embassy; the Paris embassy is not in China; the ministry's posting ended; the
        # Norwegian at-risk contact is hidden from a caller without a viewer.
        assert names == ["Åsa Bergström", "Johan Ekholm"]


def test_at_risk_contact_is_mapped_only_for_a_viewer_allowed_to_see_them(app: Flask) -> None:
    with app.app_context():
        world = build_world()
        member = create_user("member@example.org", "long enough password", Role.OFFICER)
        outsider = create_user("outsider@example.org", "long enough password", Role.OFFICER)
        member.teams.append(world.team)
        outsider.teams.append(world.other_team)
        db.session.commit()
        as_member = [r.contact.email for r in contacts_for_recommendation(world.rec_swe, viewer=member)]
        as_outsider = [r.contact.email for r in contacts_for_recommendation(world.rec_swe, viewer=outsider)]
        assert "hidden@example.org" in as_member
        assert "hidden@example.org" not in as_outsider


def test_recent_contact_and_language_raise_the_rank(app: Flask) -> None:
    with app.app_context():
        world = build_world()
        second = Contact(
            organisation_id=world.ids["swe_mission"],
            full_name="Björn Second",
            title="Counsellor, Human Rights",
            email="bjorn@example.org",
            languages="sv;en",
        )
        db.session.add(second)
        officer = create_user("o@example.org", "long enough password", Role.OFFICER)
        save_interaction(
            officer=officer,
            kind=InteractionKind.CALL,
            occurred_at=datetime(2025, 5, 1, 9, tzinfo=UTC),
            contacts=[second],
        )
        db.session.commit()
        ranked = contacts_for_recommendation(world.rec_swe)
        assert [r.contact.full_name for r in ranked][:2] == ["Björn Second", "Åsa Bergström"]
        assert ranked[0].last_contacted_at == datetime(2025, 5, 1, 9, tzinfo=UTC)
        # Johan's first language is English: in English he scores the language bonus, in Chinese he leads
        # the embassy group either way, but the reason says why.
        johan = next(
            r for r in contacts_for_recommendation(world.rec_swe, language="zh") if r.kind.value == "embassy"
        )
        assert "speaks zh" in johan.reasons


def test_briefing_basis_lists_the_states_recommendations_with_response_and_status(app: Flask) -> None:
    with app.app_context():
        world = build_world()
        world.rec_swe.implementation_status = ImplementationStatus.PARTIAL
        db.session.commit()
        basis = briefing_basis(world.asa, world.review)
        assert [item.as_dict() for item in basis] == [
            {
                "number": "28.83",
                "text": "Adopt a law against domestic violence.",
                "response": "supported",
                "status": "partial",
                "recommending_states": ["SWE", "NOR"],
            }
        ]
        assert briefing_basis(db.session.get(Contact, world.ids["lars"]), world.review)[0].number == "28.83"


def test_agencies_by_mandate_include_ohchr_for_every_theme(app: Flask) -> None:
    with app.app_context():
        world = build_world()
        for name in (
            "UN Women China Office",
            "UNICEF China",
            "OHCHR Asia-Pacific Section",
            "WHO Representative",
        ):
            db.session.add(Organisation(name=name, kind=OrganisationKind.UN_AGENCY))
        db.session.add(Theme(name="Women's rights"))
        db.session.flush()
        assert seed_agency_mandates() == 4
        seed_agency_mandates()  # a second run adds nothing
        db.session.commit()
        women = db.session.query(Theme).filter_by(name="Women's rights").one()
        names = [o.name for o in agencies_for_themes([women.id])]
        assert names == ["OHCHR Asia-Pacific Section", "UN Women China Office"]
        # Health had no theme yet: seeding created one for WHO.
        health = db.session.query(Theme).filter_by(name="Right to health").one()
        assert [o.name for o in agencies_for_themes([health.id])] == [
            "OHCHR Asia-Pacific Section",
            "WHO Representative",
        ]
        assert [o.name for o in agencies_for_themes([world.ids["theme"]])] == ["OHCHR Asia-Pacific Section"]


def test_who_to_brief_command_in_every_format_without_at_risk_people(
    app: Flask, runner: FlaskCliRunner
) -> None:
    with app.app_context():
        build_world()
    result = runner.invoke(cli, ["who-to-brief", "CHN-3", "28.83", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [row["email"] for row in rows] == ["asa@example.org", "johan@example.org"]
    assert rows[0]["rank"] == 1 and rows[0]["kind"] == "mission_geneva"
    as_csv = runner.invoke(cli, ["who-to-brief", "CHN-3", "28.83", "--format", "csv"])
    assert [r["name"] for r in csv.DictReader(io.StringIO(as_csv.output))] == [
        "Åsa Bergström",
        "Johan Ekholm",
    ]
    table = runner.invoke(cli, ["who-to-brief", "CHN-3", "28.83"])
    assert "Åsa Bergström" in table.output and "Hidden" not in table.output
    missing = runner.invoke(cli, ["who-to-brief", "CHN-3", "99.99"])
    assert missing.exit_code != 0 and "CHN-3 has no recommendation numbered 99.99" in missing.output


def test_briefing_basis_command_json_and_refusals(app: Flask, runner: FlaskCliRunner) -> None:
    with app.app_context():
        build_world()
    result = runner.invoke(
        cli, ["briefing-basis", "ASA@example.org", "--review", "CHN-3", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [
        {
            "number": "28.83",
            "text": "Adopt a law against domestic violence.",
            "response": "supported",
            "status": "not_assessed",
            "recommending_states": ["SWE", "NOR"],
        }
    ]
    hidden = runner.invoke(cli, ["briefing-basis", "hidden@example.org", "--review", "CHN-3"])
    assert hidden.exit_code != 0 and "No contact has the e-mail address hidden@example.org" in hidden.output
    bad_review = runner.invoke(cli, ["briefing-basis", "asa@example.org", "--review", "XXX"])
    assert bad_review.exit_code != 0 and "not a review code" in bad_review.output


def test_recommendation_of_unmapped_state_has_nobody(app: Flask) -> None:
    with app.app_context():
        world = build_world()
        assert contacts_for_recommendation(db.session.get(Recommendation, world.ids["rec_che"])) == []
