"""The campaign page's delivery report, the "attach factsheets" option, and the sweep's daily chores."""

from __future__ import annotations

import re
from datetime import date, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from crm.contacts.models import Contact, Organisation, OrganisationKind, Task, TaskKind
from crm.db import db
from outreach.models import Campaign, DailyRun
from outreach.rendering import ensure_default_template
from outreach.sweep import run_sweep
from tests.outreach_support import MONDAY, build_world, coming_monday
from tests.smtp_support import SmtpServer, smtp_fixture  # noqa: F401 - the fixture

BOUNCE = "550 5.1.1 mailbox unavailable"


def _row(page: str, address: str) -> str:
    table = page.split('id="delivery"', 1)[1].split("</table>", 1)[0]
    rows = [row for row in table.split("<tr") if f"&lt;{address}&gt;" in row]
    assert len(rows) == 1, f"one delivery row for {address}"
    return re.sub(r"\s+", " ", rows[0])


def test_the_campaign_page_reports_each_recipients_delivery(
    app: Flask, admin_client: FlaskClient, smtp: SmtpServer
) -> None:
    with app.app_context():
        world = build_world()
        campaign_id = world.campaign_id
        asa_id = db.session.scalar(select(Contact.id).where(Contact.email == world.asa))
        run_sweep(None, MONDAY)  # queued, no SMTP yet
    page = admin_client.get(f"/outreach/campaigns/{campaign_id}").get_data(as_text=True)
    queued = _row(page, world.asa)
    assert "queued" in queued and "next attempt 23 Nov 2026, 10:00 UTC" in queued

    smtp.handler.refuse[world.asa] = BOUNCE
    with app.app_context():
        run_sweep(smtp.settings, MONDAY + timedelta(minutes=5))
    page = admin_client.get(f"/outreach/campaigns/{campaign_id}").get_data(as_text=True)
    failed = _row(page, world.asa)
    assert '<span class="badge">failed</span>' in failed and "failed 23 Nov 2026, 10:05 UTC" in failed
    assert '<td class="num">1</td>' in failed  # attempts
    assert f"{BOUNCE}" in failed and f"Address flagged: {BOUNCE}" in failed
    assert f'href="/contacts/{asa_id}"' in failed
    sent = _row(page, world.camille)
    assert '<span class="badge">sent</span>' in sent
    assert re.search(
        r"sent \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC", sent
    )  # the wall clock, if later than --now
    assert "Address flagged" not in sent
    # The failed address is listed first, where a coordinator looks.
    assert page.index(f"&lt;{world.asa}&gt;") < page.index(f"&lt;{world.camille}&gt;")
    assert world.at_risk_name not in page


def test_the_form_stores_the_attach_factsheets_choice(app: Flask, admin_client: FlaskClient) -> None:
    with app.app_context():
        world = build_world(with_campaign=False)
        template_id = ensure_default_template().id
        db.session.commit()
    form = {
        "review_id": world.review_id,
        "template_id": template_id,
        "send_at": coming_monday().strftime("%Y-%m-%dT%H:%M"),
        "weekdays_only": "y",
    }
    page = admin_client.get("/outreach/campaigns").get_data(as_text=True)
    [checkbox] = re.findall(r'<input[^>]*id="attach_factsheets"[^>]*>', page)
    assert "checked" in checkbox  # on unless a coordinator turns it off
    # An unticked checkbox is simply absent from the POST.
    assert admin_client.post("/outreach/campaigns", data={**form, "name": "Unticked"}).status_code == 302
    ticked = {**form, "name": "Ticked", "attach_factsheets": "y"}
    assert admin_client.post("/outreach/campaigns", data=ticked).status_code == 302
    with app.app_context():
        choices = {c.name: c.attach_factsheets for c in db.session.scalars(select(Campaign))}
    assert choices == {"Unticked": False, "Ticked": True}


def _leaving(name: str, organisation: Organisation, ends: date) -> Contact:
    contact = Contact(organisation=organisation, full_name=name, email=None, posting_end=ends)
    db.session.add(contact)
    db.session.commit()
    return contact


def _successor_tasks() -> set[int | None]:
    query = select(Task.contact_id).where(Task.kind == TaskKind.SUCCESSOR)
    return set(db.session.scalars(query))


def test_the_sweep_plans_successor_tasks_once_a_day(app: Flask) -> None:
    with app.app_context():
        mission = Organisation(
            name="Mission of Chile", kind=OrganisationKind.MISSION_GENEVA, state_code="CHL"
        )
        first = _leaving("Leaving Soon", mission, MONDAY.date() + timedelta(days=30))
        _leaving("Staying Long", mission, MONDAY.date() + timedelta(days=200))
        # Contacts saved without the service (an import by SQL, a restore): no task yet.
        assert _successor_tasks() == set()

        report = run_sweep(None, MONDAY)
        assert report.successor_tasks == 1 and _successor_tasks() == {first.id}
        assert "Successor tasks added: 1." in str(report)

        second = _leaving("Also Leaving", mission, MONDAY.date() + timedelta(days=10))
        later_today = run_sweep(None, MONDAY + timedelta(hours=6))
        assert later_today.successor_tasks == 0 and _successor_tasks() == {first.id}

        tomorrow = run_sweep(None, MONDAY + timedelta(days=1))
        assert tomorrow.successor_tasks == 1 and _successor_tasks() == {first.id, second.id}
        again = run_sweep(None, MONDAY + timedelta(days=1, hours=1))
        assert again.successor_tasks == 0
        assert db.session.scalar(select(func.count()).select_from(Task)) == 2
        assert db.session.get(DailyRun, "successor-tasks").last_run_on == date(2026, 11, 24)  # type: ignore[union-attr]
