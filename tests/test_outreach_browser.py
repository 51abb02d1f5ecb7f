"""The campaign flow in a real Chromium, with CSRF on and a real SMTP server (aiosmtpd on loopback)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.db import db
from crm.models import Recommendation, Theme
from outreach.models import Campaign, CampaignStatus, MessageStatus, OutboxMessage
from outreach.sweep import run_sweep
from tests.conftest import browser_sign_in, screenshot
from tests.outreach_support import build_world, coming_monday
from tests.smtp_support import SmtpServer, smtp_fixture  # noqa: F401 - the fixture

CIVIL = "Civil and political rights"


@pytest.fixture
def app_config(app_config: dict[str, Any], smtp: SmtpServer) -> dict[str, Any]:
    # CSRF on, as in production: a form without its token fails here instead of for the first user.
    return {**app_config, "smtp_url": smtp.url, "WTF_CSRF_ENABLED": True}


def _theme_the_recommendations() -> None:
    civil, death_penalty = Theme(name=CIVIL), Theme(name="Death penalty")
    for rec in db.session.scalars(select(Recommendation)):
        rec.themes.append(death_penalty if rec.number == "28.2" else civil)
    db.session.commit()


@pytest.mark.browser
def test_create_preview_approve_hold_and_watch_it_send(
    app: Flask, page: Any, smtp: SmtpServer, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        world = build_world(with_campaign=False)
        _theme_the_recommendations()
    coordinator = make_user(Role.COORDINATOR, email="coord@example.org")
    officer = make_user(Role.OFFICER, email="officer@example.org")

    browser_sign_in(page, coordinator)
    page.click("nav >> text=Campaigns")
    page.fill("#name", "CHN-3 civil rights briefing")
    page.select_option("#review_id", label="CHN-3")
    page.select_option("#theme_ids", label=CIVIL)
    page.fill("#asks", "Ask about the ICCPR")
    monday = coming_monday()
    page.fill("#send_at", monday.strftime("%Y-%m-%dT%H:%M"))
    page.click("#new-campaign button[type=submit]")
    page.wait_for_selector("text=Campaign created as a draft")
    assert page.inner_text("#campaign-status") == "draft"
    recipients = page.inner_text("table.list")
    assert "Åsa Bergström" in recipients and "Camille Lefèvre" in recipients
    assert "no: opted out" in recipients
    assert world.at_risk_name not in recipients

    page.locator("tr", has_text="Åsa Bergström").locator("text=Preview").click()
    page.wait_for_selector("#preview-text")
    assert "China" in page.inner_text("#preview-subject")
    text = page.inner_text("#preview-text")
    assert "28.1" in text and "28.3" in text and "28.2" not in text and "Ask about the ICCPR" in text
    screenshot(page, "campaign-preview")
    page.go_back()
    page.click("#approve")
    page.wait_for_selector("text=Campaign approved")
    assert page.inner_text("#campaign-status") == "approved"
    campaign_url = page.url

    page.click("text=Sign out")
    browser_sign_in(page, officer)
    page.goto(campaign_url)
    page.locator("tr", has_text="Camille Lefèvre").locator("text=Hold back").click()
    page.wait_for_selector("text=Camille Lefèvre is held back from this campaign.")
    assert "no: held back by an officer" in page.locator("tr", has_text="Camille Lefèvre").inner_text()

    with app.app_context():  # the sweep runs while the officer has the page open
        report = run_sweep(smtp.settings, monday)
        assert (report.queued, report.sent, report.failed) == (1, 1, 0)
    page.reload()
    assert page.inner_text("#sent-count") == "1" and page.inner_text("#campaign-status") == "done"
    page.click("nav >> text=Outbox")
    outbox = page.inner_text("#outbox")
    assert world.asa in outbox and "sent" in outbox
    assert world.camille not in outbox
    screenshot(page, "outbox")

    assert [r.rcpt for r in smtp.handler.received] == [world.asa]
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        assert campaign is not None and campaign.status is CampaignStatus.DONE
        assert [t.name for t in campaign.themes] == [CIVIL]
        [row] = db.session.scalars(select(OutboxMessage))
        assert row.status is MessageStatus.SENT and row.to_address == world.asa
