"""Treaty bodies for any State-under-Review: entered on the page or imported, with estimated NGO deadlines."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from crm.auth.models import Role, User
from crm.db import db
from crm.reviews.services import get_or_create_review
from tests.calendar_helpers import parse_with_icaljs
from tests.conftest import sign_in
from upr.cli import cli
from upr_calendar.ical import build_calendar
from upr_calendar.models import DeadlineKind, Treaty, TreatyEvent, TreatyRatification
from upr_calendar.treaty_items import treaty_items


def test_a_coordinator_enters_ratifications_and_dates_and_sees_the_ngo_estimate(
    app: Flask, admin_client: FlaskClient
) -> None:
    # CSRF is off in the app fixture; tests/test_security_routes.py checks every form needs its token.
    admin_client.post(
        "/calendar/treaties/VNM/ratifications",
        data={"party_to": "CAT", "ratified": "yes", "note": "Ratified 2015"},
    )
    saved = admin_client.post(
        "/calendar/treaties/VNM/dates",
        data={"treaty": "CAT", "kind": "treaty_session", "day": "2026-11-10",
              "label": "CAT review of Viet Nam", "source": "CAT session page"},
        follow_redirects=True,
    )  # fmt: skip
    page = saved.get_data(as_text=True)
    assert "Date saved" in page and "CAT: ratified — Ratified 2015" in page
    # Six weeks before the session, as data/treaty_rules.csv says, until someone enters the real date.
    assert "2026-09-29 <small>(estimated)</small>" in page
    bad = admin_client.post(
        "/calendar/treaties/VNM/dates",
        data={"treaty": "CAT", "kind": "ngo_submission", "day": "2026-02-30"},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "is not a date: use 2025-03-14, 2025-03 or 2025" in bad
    admin_client.post(
        "/calendar/treaties/VNM/dates",
        data={"treaty": "CAT", "kind": "ngo_submission", "day": "2026-10-05",
              "label": "NGO information to CAT"},
    )  # fmt: skip
    entered = admin_client.get("/calendar/treaties/VNM").get_data(as_text=True)
    assert "(estimated)" not in entered and "NGO information to CAT" in entered
    with app.app_context():
        assert db.session.scalar(select(func.count(TreatyEvent.id))) == 2
        ngo = db.session.scalar(select(TreatyEvent).where(TreatyEvent.kind == DeadlineKind.NGO_SUBMISSION))
        assert ngo is not None
        ngo_id = ngo.id
    removed = admin_client.post(
        f"/calendar/treaties/VNM/dates/{ngo_id}/delete", data={}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Date removed" in removed and "2026-09-29 <small>(estimated)</small>" in removed


def test_viewers_read_treaty_bodies_but_cannot_change_them(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    sign_in(client, make_user(Role.VIEWER))
    page = client.get("/calendar/treaties/CHN").get_data(as_text=True)
    assert "Add or move a date" not in page
    refused = client.post(
        "/calendar/treaties/CHN/dates",
        data={"treaty": "CAT", "kind": "treaty_session", "day": "2026-11-10"},
    )
    assert refused.status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count(TreatyEvent.id))) == 0


def test_import_treaty_bodies_is_atomic_names_the_entry_and_is_idempotent(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    good = [
        {"treaty": "ICESCR", "ratified": True, "events": [{"kind": "session", "date": "2027-03-01"}]},
        {"treaty": "CEDAW", "ratified": True, "events": [{"kind": "report_due", "date": "2027-06"}]},
    ]
    bad = [*good, {"treaty": "CEDAW", "events": [{"kind": "session", "date": "2027-13-01"}]}]
    path = tmp_path / "viet-nam.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    refused = runner.invoke(cli, ["import", "treaty-bodies", str(path), "--state", "Viet Nam"])
    assert refused.exit_code != 0
    assert "Entry 3 of viet-nam.json: '2027-13-01' is not a date" in refused.output
    assert "Nothing was written" in refused.output
    path.write_text(json.dumps(good), encoding="utf-8")
    dry = runner.invoke(cli, ["import", "treaty-bodies", str(path), "--state", "VNM", "--dry-run"])
    assert dry.exit_code == 0 and "Dry run: 2 ratifications would be added, 2 dates" in dry.output
    with app.app_context():
        assert db.session.scalar(select(func.count(TreatyRatification.state_code))) == 0
    done = runner.invoke(cli, ["import", "treaty-bodies", str(path), "--state", "VNM"])
    assert done.exit_code == 0 and "2 ratifications added, 2 dates added or moved for VNM" in done.output
    again = runner.invoke(cli, ["import", "treaty-bodies", str(path), "--state", "VNM"])
    assert "0 ratifications added, 0 dates added or moved" in again.output
    unknown = runner.invoke(cli, ["import", "treaty-bodies", str(path), "--state", "Vietnamm"])
    assert unknown.exit_code != 0 and "Nothing was written" in unknown.output


def test_the_ngo_estimate_reaches_the_feeds_and_follows_its_session(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        review = get_or_create_review("VNM-4")
        session = TreatyEvent(
            state_code="VNM", treaty=Treaty.CESCR, kind=DeadlineKind.TREATY_SESSION, on=date(2027, 3, 1)
        )
        db.session.add(session)
        db.session.commit()
        items = {item.uid: item for item in treaty_items([review], {})}
        estimate = items[f"treaty-{session.id}-ngo_submission@upr-outreach"]
        assert estimate.start == date(2027, 1, 18) and "(estimated)" in estimate.title
        path = tmp_path / "treaties.ics"
        path.write_text(build_calendar(list(items.values()), "Treaty bodies"), encoding="utf-8", newline="")
        parsed = {event["uid"]: event for event in parse_with_icaljs(path)["events"]}
        assert parsed[estimate.uid]["start_value"] == "2027-01-18" and parsed[estimate.uid]["all_day"] is True
        # The session moves: the estimate moves with it and its SEQUENCE goes up with the session's.
        session.on, session.sequence = date(2027, 4, 5), session.sequence + 1
        db.session.commit()
        moved = {item.uid: item for item in treaty_items([review], {})}[estimate.uid]
        assert moved.start == date(2027, 2, 22) and moved.sequence == estimate.sequence + 1
