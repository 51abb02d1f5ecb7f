"""Campaigns stay changeable until approved: edited, cloned, deleted with a confirmation and an undo; an
approved one is withdrawn while none of its messages has left. And what is planned for the next 30 days."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from crm import dates
from crm.auth.models import Role, User
from crm.contacts.models import Contact, Task
from crm.db import db, utcnow
from outreach.drafts import UNDO_DAYS, purge_deleted
from outreach.models import Campaign, CampaignHold, CampaignStatus, MessageStatus, OutboxMessage
from outreach.sweep import run_sweep
from tests.conftest import sign_in
from tests.outreach_support import build_world, coming_monday


@pytest.fixture
def officer_client(client: FlaskClient, make_user: Callable[..., User]) -> FlaskClient:
    sign_in(client, make_user(Role.OFFICER, email="officer@example.org"))
    return client


def _form(campaign: Campaign, **changes: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "name": campaign.name,
        "review_id": campaign.review_id,
        "template_id": campaign.template_id,
        "asks": campaign.asks,
        "send_at": (campaign.send_at or coming_monday()).strftime("%Y-%m-%dT%H:%M"),
        "weekdays_only": "y",
        "team_id": "0",
    }
    return {**fields, **changes}


def _draft(app: Flask) -> int:
    with app.app_context():
        world = build_world(send_at=coming_monday(), status=CampaignStatus.DRAFT)
        assert world.campaign_id is not None
        return world.campaign_id


def test_an_officer_edits_a_draft_and_a_passed_time_is_refused(
    app: Flask, officer_client: FlaskClient
) -> None:
    campaign_id = _draft(app)
    with app.app_context():
        campaign = db.session.get_one(Campaign, campaign_id)
        form = _form(campaign)
    later = coming_monday() + timedelta(days=7)
    past = utcnow() - timedelta(days=1)
    refused = officer_client.post(
        f"/outreach/campaigns/{campaign_id}/edit", data={**form, "send_at": past.strftime("%Y-%m-%dT%H:%M")}
    )
    assert refused.status_code == 200 and "has passed" in refused.get_data(as_text=True)
    saved = officer_client.post(
        f"/outreach/campaigns/{campaign_id}/edit",
        data={**form, "send_at": later.strftime("%Y-%m-%dT%H:%M"), "asks": "Ask about Xinjiang"},
    )
    assert saved.status_code == 302
    with app.app_context():
        campaign = db.session.get_one(Campaign, campaign_id)
        assert campaign.send_at == later and campaign.asks == "Ask about Xinjiang"
        campaign.status = CampaignStatus.APPROVED
        db.session.commit()
    frozen = officer_client.post(f"/outreach/campaigns/{campaign_id}/edit", data={**form, "asks": "changed"})
    assert "withdraw it first" in frozen.get_data(as_text=True)
    with app.app_context():
        assert db.session.get_one(Campaign, campaign_id).asks == "Ask about Xinjiang"


def test_a_clone_copies_everything_and_its_holds(app: Flask, officer_client: FlaskClient) -> None:
    campaign_id = _draft(app)
    with app.app_context():
        campaign = db.session.get_one(Campaign, campaign_id)
        camille = db.session.scalar(select(Contact).where(Contact.email == "camille@example.org"))
        assert camille is not None
        db.session.add(CampaignHold(campaign_id=campaign_id, contact_id=camille.id))
        db.session.commit()
        form = _form(campaign, name="Copy of Briefing", clone=str(campaign_id))
    page = officer_client.get(f"/outreach/campaigns?clone={campaign_id}").get_data(as_text=True)
    assert "a copy of “Briefing”" in page and 'value="Copy of Briefing"' in page
    assert officer_client.post("/outreach/campaigns", data=form).status_code == 302
    with app.app_context():
        copy = db.session.scalar(select(Campaign).where(Campaign.name == "Copy of Briefing"))
        assert copy is not None and copy.id != campaign_id and copy.status is CampaignStatus.DRAFT
        assert copy.asks == "Ask about the ICCPR" and copy.held_contact_ids == {camille.id}


def test_deleting_asks_first_and_can_be_undone_for_30_days(app: Flask, officer_client: FlaskClient) -> None:
    campaign_id = _draft(app)
    confirm = officer_client.get(f"/outreach/campaigns/{campaign_id}/delete").get_data(as_text=True)
    assert "Delete “Briefing”?" in confirm and "restore it for 30 days" in confirm
    with app.app_context():
        assert db.session.get_one(Campaign, campaign_id).deleted_at is None  # asking deleted nothing
    assert officer_client.post(f"/outreach/campaigns/{campaign_id}/delete").status_code == 302
    listing = officer_client.get("/outreach/campaigns").get_data(as_text=True)
    deleted = listing.split('id="deleted"')[1]
    assert "Briefing" in deleted and f"/outreach/campaigns/{campaign_id}/restore" in deleted
    assert "Briefing</a>" not in listing.split('id="deleted"')[0]
    assert officer_client.post(f"/outreach/campaigns/{campaign_id}/restore").status_code == 302
    with app.app_context():
        campaign = db.session.get_one(Campaign, campaign_id)
        assert campaign.deleted_at is None and campaign.status is CampaignStatus.DRAFT
        campaign.deleted_at = utcnow() - timedelta(days=UNDO_DAYS + 1)
        db.session.commit()
        assert purge_deleted(utcnow()) == 1
        db.session.commit()
        assert db.session.get(Campaign, campaign_id) is None


def test_an_approved_campaign_is_withdrawn_until_its_first_message_leaves(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    sign_in(client, make_user(Role.COORDINATOR))
    monday = coming_monday()
    with app.app_context():
        world = build_world(send_at=monday)
        campaign_id = world.campaign_id
        run_sweep(None, monday)  # queued, nothing sent (no SMTP server)
        queued = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.campaign_id == campaign_id)
        )
    assert queued == 2
    response = client.post(f"/outreach/campaigns/{campaign_id}/withdraw", follow_redirects=True)
    assert "is a draft again" in response.get_data(as_text=True)
    with app.app_context():
        campaign = db.session.get_one(Campaign, campaign_id)
        assert campaign.status is CampaignStatus.DRAFT and campaign.approved_at is None
        assert not db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.campaign_id == campaign_id)
        ).all()
        campaign.status = CampaignStatus.APPROVED
        db.session.commit()
        run_sweep(None, monday)
        first = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.campaign_id == campaign_id)
        ).first()
        assert first is not None
        first.status, first.sent_at = MessageStatus.SENT, monday
        db.session.commit()
    refused = client.post(f"/outreach/campaigns/{campaign_id}/withdraw", follow_redirects=True)
    assert "can no longer be withdrawn" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get_one(Campaign, campaign_id).status is CampaignStatus.SENDING
        remaining = db.session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.campaign_id == campaign_id)
        )
        assert remaining == 2  # nothing was lost by the refused withdrawal


def test_an_officer_may_not_approve_or_withdraw(app: Flask, officer_client: FlaskClient) -> None:
    campaign_id = _draft(app)
    assert officer_client.post(f"/outreach/campaigns/{campaign_id}/approve").status_code == 403
    assert officer_client.post(f"/outreach/campaigns/{campaign_id}/withdraw").status_code == 403


def test_the_planned_page_and_your_reminders_show_what_is_due(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    officer = make_user(Role.OFFICER, email="officer@example.org")
    today = dates.today()
    monday = coming_monday()
    with app.app_context():
        world = build_world(send_at=monday, status=CampaignStatus.DRAFT)
        campaign = db.session.get_one(Campaign, world.campaign_id)
        campaign.created_by_id = officer.id
        db.session.add_all(
            [
                Task(
                    title="Call the Swiss mission", due_on=today - timedelta(days=3), assignee_id=officer.id
                ),
                Task(title="Send the ICCPR note", due_on=today, assignee_id=officer.id),
                Task(
                    title="Prepare the side event", due_on=today + timedelta(days=10), assignee_id=officer.id
                ),
            ]
        )
        db.session.commit()
    sign_in(client, officer)
    panel = client.get("/dashboard").get_data(as_text=True).split("Your reminders</h2>")[1].split("</ul>")[0]
    assert "Overdue since" in panel and "Call the Swiss mission" in panel
    assert "Today" in panel and "Send the ICCPR note" in panel
    assert "Nothing is due" not in panel
    planned = client.get("/outreach/planned").get_data(as_text=True)
    briefings = planned.split('id="planned-briefings"')[1].split("</table>")[0]
    assert "Campaign “Briefing”" in briefings and "not approved yet" in briefings
    reminders = planned.split('id="planned-reminders"')[1].split("</table>")[0]
    # A task's reminder goes out the day before it; the one due today was reminded yesterday.
    assert "Prepare the side event" in reminders and "Send the ICCPR note" not in reminders
    assert "Call the Swiss mission" in planned.split('id="overdue"')[1]
