"""Per-theme factsheets attached to briefings, delivered through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import io
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import docx
from flask import Flask
from sqlalchemy import select

from crm.db import db
from crm.models import Recommendation, Review, Theme
from outreach.attachments import DOCX_TYPE, FileReader
from outreach.models import Campaign, CampaignAttachment, MessageStatus, OutboxMessage
from outreach.smtp import Mailer
from outreach.sweep import LEASE, claim, message_for, run_sweep
from tests.outreach_support import MONDAY, World, build_world
from tests.smtp_support import Received, SmtpServer, smtp_fixture  # noqa: F401 - the fixture


def _themed_world(*, attach: bool = True) -> World:
    """28.1 (Sweden) on civil rights, 28.2 (France) on the death penalty, 28.3 (both) on both."""
    world = build_world()
    review = db.session.get(Review, world.review_id)
    assert review is not None
    civil, death = Theme(name="Civil rights"), Theme(name="Death penalty")
    themes = {"28.1": [civil], "28.2": [death], "28.3": [civil, death]}
    for recommendation in review.recommendations:
        recommendation.themes.extend(themes[recommendation.number])
    campaign = db.session.get(Campaign, world.campaign_id)
    assert campaign is not None
    campaign.attach_factsheets = attach
    db.session.commit()
    return world


def _attachments(received: Received) -> dict[str, tuple[str, bytes]]:
    found = {}
    for part in received.message.iter_attachments():
        assert isinstance(part, EmailMessage)
        payload = part.get_content()
        assert isinstance(payload, bytes)
        found[str(part.get_filename())] = (part.get_content_type(), payload)
    return found


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    properties = document.core_properties
    return "\n".join([p.text for p in document.paragraphs] + cells + [properties.author, properties.title])


def test_each_briefing_carries_the_factsheets_of_its_own_themes(app: Flask, smtp: SmtpServer) -> None:
    with app.app_context():
        world = _themed_world()
        report = run_sweep(smtp.settings, MONDAY)
        assert (report.sent, report.failed) == (2, 0)

        [asa] = smtp.handler.to(world.asa)
        [camille] = smtp.handler.to(world.camille)
        assert asa.message.get_content_type() == "multipart/mixed"
        # The text and HTML parts still come first, as alternatives.
        assert "28.1" in asa.part("plain") and "28.1" in asa.part("html")
        sweden = _attachments(asa)
        france = _attachments(camille)
        assert (
            set(sweden)
            == set(france)
            == {
                "Factsheet CHN-3 Civil-rights.docx",
                "Factsheet CHN-3 Death-penalty.docx",
            }
        )
        content_type, civil = sweden["Factsheet CHN-3 Civil-rights.docx"]
        assert content_type == DOCX_TYPE
        text = _docx_text(civil)
        assert "Ratify the ICCPR (Sweden alone)" in text and "Protect <script>" in text
        assert "Abolish the death penalty" not in text  # only the theme's own recommendations
        assert "Abolish the death penalty" in _docx_text(sweden["Factsheet CHN-3 Death-penalty.docx"][1])
        # One file per theme: every recipient gets the same bytes, nothing tailored to them.
        assert france["Factsheet CHN-3 Civil-rights.docx"][1] == civil

        # The at-risk contact is in the database, and in no attachment anyone received.
        for received in smtp.handler.received:
            for _type, data in _attachments(received).values():
                assert world.at_risk_name not in _docx_text(data)
                assert world.at_risk_name.encode() not in data


def test_a_briefing_gets_only_the_themes_its_recommendations_touch(app: Flask, smtp: SmtpServer) -> None:
    with app.app_context():
        world = _themed_world()
        review = db.session.get(Review, world.review_id)
        assert review is not None
        shared = next(r for r in review.recommendations if r.number == "28.3")
        shared.themes.clear()  # Sweden's briefing now touches civil rights only
        db.session.commit()
        run_sweep(smtp.settings, MONDAY)

        [asa] = smtp.handler.to(world.asa)
        [camille] = smtp.handler.to(world.camille)
        assert set(_attachments(asa)) == {"Factsheet CHN-3 Civil-rights.docx"}
        assert set(_attachments(camille)) == {"Factsheet CHN-3 Death-penalty.docx"}


def test_a_resend_after_a_crash_carries_the_identical_factsheet(app: Flask, smtp: SmtpServer) -> None:
    with app.app_context():
        world = _themed_world()
        run_sweep(None, MONDAY)  # queued, factsheets written
        rows = claim(MONDAY)
        asa_row = next(row for row in rows if row.to_address == world.asa)
        with Mailer(smtp.settings) as mailer:  # sent, and the process dies before recording it
            mailer.send(message_for(asa_row, smtp.settings.sender, FileReader(app.instance_path)), world.asa)

        # Meanwhile the assessments move on: a fresh factsheet would differ, the attached one must not.
        recommendation = db.session.scalar(select(Recommendation).where(Recommendation.number == "28.1"))
        assert recommendation is not None
        recommendation.text = "Ratify the ICCPR, now reworded"
        db.session.commit()
        report = run_sweep(smtp.settings, MONDAY + LEASE + timedelta(minutes=1))
        assert report.sent == 2

        first, again = smtp.handler.to(world.asa)
        assert first.message["Message-ID"] == again.message["Message-ID"]
        assert _attachments(first) == _attachments(again)
        assert "now reworded" not in _docx_text(_attachments(again)["Factsheet CHN-3 Civil-rights.docx"][1])
        [camille] = smtp.handler.to(world.camille)
        assert _attachments(camille) == _attachments(first)


def test_factsheets_can_be_turned_off(app: Flask, smtp: SmtpServer) -> None:
    with app.app_context():
        world = _themed_world(attach=False)
        run_sweep(smtp.settings, MONDAY)
        [asa] = smtp.handler.to(world.asa)
        assert asa.message.get_content_type() == "multipart/alternative"
        assert list(asa.message.iter_attachments()) == []
        assert db.session.scalars(select(CampaignAttachment)).all() == []


def test_a_missing_factsheet_fails_the_message_with_a_reason(app: Flask, smtp: SmtpServer) -> None:
    with app.app_context():
        world = _themed_world()
        run_sweep(None, MONDAY)
        for attachment in db.session.scalars(select(CampaignAttachment)):
            (Path(app.instance_path) / attachment.path).unlink()
        report = run_sweep(smtp.settings, MONDAY)
        assert (report.sent, report.failed) == (0, 2)
        assert smtp.handler.received == []
        row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == world.asa))
        assert row is not None and row.status is MessageStatus.FAILED
        assert row.last_error.startswith("the factsheet Factsheet CHN-3 ")
        assert row.last_error.endswith(" is missing from the server")
