"""The sweep against a real SMTP server (aiosmtpd on loopback): who gets what, once, and on faults."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.mime.multipart import MIMEMultipart

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.contacts.models import Contact, Organisation
from crm.db import db
from outreach.attachments import FileReader
from outreach.capture import free_port
from outreach.models import Campaign, CampaignStatus, MessageStatus, OutboxMessage
from outreach.smtp import PermanentFailure, SmtpSettings, WireAddress, wire_address
from outreach.sweep import Claimed, message_for, run_sweep
from tests.outreach_support import MONDAY, SCRIPT_TEXT, build_world
from tests.smtp_support import RecordingHandler, SmtpServer, smtp_fixture  # noqa: F401 - the fixture


def _rows() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_each_recipient_gets_only_their_own_states_recommendations(app: Flask, smtp: SmtpServer) -> None:
    with app.app_context():
        world = build_world()
        report = run_sweep(smtp.settings, MONDAY)
        assert (report.queued, report.sent, report.failed) == (2, 2, 0)

        [asa] = smtp.handler.to(world.asa)
        text = asa.part("plain")
        assert "28.1" in text and "28.3" in text and "28.2" not in text
        assert "Dear Åsa Bergström" in text
        [camille] = smtp.handler.to(world.camille)
        french = camille.part("plain")
        assert "28.2" in french and "28.3" in french and "28.1" not in french
        assert "Madame, Monsieur" in french  # her first language picks the French translation
        # Opted out: nothing; at risk: nothing, and their name reaches nobody.
        assert smtp.handler.to(world.opted_out) == []
        assert smtp.handler.to(world.at_risk) == []
        for received in smtp.handler.received:
            assert world.at_risk_name not in received.raw.decode("utf-8", "replace")
            assert world.at_risk_name not in received.part("plain") + received.part("html")

        message = asa.message
        row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == world.asa))
        assert row is not None and row.status is MessageStatus.SENT
        assert message["Message-ID"] == row.message_id
        assert (
            str(message["List-Unsubscribe"]).strip().startswith("<http")
            and "/outreach/unsubscribe/" in message["List-Unsubscribe"]
        )
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert db.session.get(Campaign, world.campaign_id).status is CampaignStatus.DONE  # type: ignore[union-attr]

        # Sweeping again, now or later, sends nothing more.
        for hours in (0, 1, 30):
            again = run_sweep(smtp.settings, MONDAY + timedelta(hours=hours))
            assert (again.queued, again.sent) == (0, 0)
        assert len(smtp.handler.received) == 2


def test_html_is_escaped_and_crlf_cannot_inject_a_header(app: Flask, smtp: SmtpServer) -> None:
    with app.app_context():
        world = build_world()
        contact = db.session.scalar(select(Contact).where(Contact.email == world.asa))
        assert contact is not None
        contact.full_name = "Åsa\r\nBcc: victim@example.com\r\nX-Injected: yes"
        db.session.commit()
        run_sweep(smtp.settings, MONDAY)

        [received] = smtp.handler.to(world.asa)
        message = received.message
        assert message["X-Injected"] is None and message["Bcc"] is None
        assert smtp.handler.to("victim@example.com") == []
        html = received.part("html")
        assert "<script>" not in html and "&lt;script&gt;" in html and "&lt;b&gt;defenders&lt;/b&gt;" in html
        assert SCRIPT_TEXT in received.part("plain")  # the plain-text part shows the text as written


def test_smtp_down_is_retried_later_and_nothing_is_lost(app: Flask, smtp: SmtpServer) -> None:
    with app.app_context():
        build_world()
        down = SmtpSettings(host="127.0.0.1", port=free_port())
        report = run_sweep(down, MONDAY)
        assert (report.sent, report.retried) == (0, 2)
        rows = _rows()
        assert all(r.status is MessageStatus.QUEUED and r.attempts == 1 for r in rows)
        assert all("cannot reach the SMTP server" in r.last_error for r in rows)
        assert all(r.next_attempt_at > MONDAY for r in rows)
        message_ids = {r.message_id for r in rows}

        # Before the backoff has passed nothing is tried; after it, everything goes out once.
        assert run_sweep(smtp.settings, MONDAY + timedelta(minutes=1)).sent == 0
        assert run_sweep(smtp.settings, MONDAY + timedelta(minutes=3)).sent == 2
        assert {r.message["Message-ID"] for r in smtp.handler.received} == message_ids
        assert all(r.status is MessageStatus.SENT and r.attempts == 2 for r in _rows())


def test_a_hard_bounce_fails_the_message_and_flags_the_address(
    app: Flask, smtp: SmtpServer, admin_client: FlaskClient
) -> None:
    with app.app_context():
        world = build_world()
        smtp.handler.refuse[world.camille] = "550 5.1.1 mailbox unavailable"
        report = run_sweep(smtp.settings, MONDAY)
        assert (report.sent, report.failed) == (1, 1)
        row = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == world.camille))
        assert row is not None and row.status is MessageStatus.FAILED
        assert row.last_error == "550 5.1.1 mailbox unavailable"
        contact = db.session.scalar(select(Contact).where(Contact.email == world.camille))
        assert contact is not None and contact.email_failed_reason == "550 5.1.1 mailbox unavailable"
        # A later sweep does not try again.
        assert run_sweep(smtp.settings, MONDAY + timedelta(days=1)).sent == 0

    page = admin_client.get("/outreach/outbox").get_data(as_text=True)
    assert "550 5.1.1 mailbox unavailable" in page and "failed" in page


def test_mail_outside_working_hours_waits_for_the_next_window(app: Flask, smtp: SmtpServer) -> None:
    saturday = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
    with app.app_context():
        world = build_world(send_at=saturday)
        report = run_sweep(smtp.settings, saturday)
        assert (report.queued, report.sent) == (2, 0)
        # Monday 09:00 in Geneva is 08:00 UTC.
        assert {r.next_attempt_at for r in _rows()} == {datetime(2026, 11, 30, 8, 0, tzinfo=UTC)}
        assert run_sweep(smtp.settings, datetime(2026, 11, 30, 7, 59, tzinfo=UTC)).sent == 0
        assert run_sweep(smtp.settings, datetime(2026, 11, 30, 8, 0, tzinfo=UTC)).sent == 2
        assert len(smtp.handler.to(world.asa)) == 1


def test_a_row_left_sending_by_a_crash_is_resent_after_the_lease_with_the_same_message_id(
    app: Flask, smtp: SmtpServer
) -> None:
    from outreach.campaigns import queue_due_campaigns
    from outreach.sweep import LEASE, claim

    with app.app_context():
        build_world()
        queue_due_campaigns(MONDAY)
        db.session.commit()
        claimed = claim(MONDAY)  # …and the process dies before sending
        assert len(claimed) == 2
        assert run_sweep(smtp.settings, MONDAY + LEASE - timedelta(seconds=1)).sent == 0
        assert run_sweep(smtp.settings, MONDAY + LEASE + timedelta(seconds=1)).sent == 2
        assert {r.message["Message-ID"] for r in smtp.handler.received} == {r.message_id for r in claimed}


def test_a_draft_campaign_sends_nothing_until_approved(app: Flask, smtp: SmtpServer) -> None:
    with app.app_context():
        build_world(status=CampaignStatus.DRAFT)
        assert run_sweep(smtp.settings, MONDAY + timedelta(days=3)).queued == 0
        assert smtp.handler.received == []


def test_campaign_due_before_a_calendar_deadline(app: Flask, smtp: SmtpServer) -> None:
    from upr_calendar.deadlines import deadline_date

    with app.app_context():
        world = build_world()
        campaign = db.session.get(Campaign, world.campaign_id)
        assert campaign is not None
        review = campaign.review
        review.review_date = datetime(2027, 1, 20, tzinfo=UTC).date()
        db.session.commit()
        pre_session = deadline_date(review.id, "pre_session")
        assert pre_session is not None
        campaign.send_at, campaign.deadline_kind, campaign.offset_days = None, "pre_session", -42
        db.session.commit()
        due = datetime.combine(pre_session - timedelta(days=42), datetime.min.time(), UTC)
        assert run_sweep(smtp.settings, due - timedelta(hours=1)).queued == 0
        working = due + timedelta(hours=10)
        while working.weekday() >= 5:
            working += timedelta(days=1)
        report = run_sweep(smtp.settings, working)
        assert (report.queued, report.sent) == (2, 2)
        # "Ahead of the pre-session on 6 January 2027": the date as a letter writes it.
        assert f"{pre_session.day} {pre_session:%B %Y}" in smtp.handler.to(world.asa)[0].part("plain")


def _add_international_contacts() -> None:
    """A French diplomat whose address has a non-ASCII local part and domain, and one with only the domain."""
    france = db.session.scalar(select(Organisation).where(Organisation.name == "Mission of France"))
    db.session.add_all(
        [
            Contact(organisation=france, full_name="Zoë Lefèvre", email="zoë@exämple.org"),
            Contact(organisation=france, full_name="Info", email="info@exämple.org"),
        ]
    )
    db.session.commit()


def test_internationalised_addresses_travel_in_their_wire_form() -> None:
    assert wire_address("info@exämple.org") == WireAddress("info@xn--exmple-cua.org", needs_smtputf8=False)
    assert wire_address("zoë@exämple.org") == WireAddress("zoë@xn--exmple-cua.org", needs_smtputf8=True)
    with pytest.raises(PermanentFailure, match="not valid"):
        wire_address("zoë@@exämple")


@contextmanager
def _server(*, smtputf8: bool) -> Iterator[SmtpServer]:
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), enable_SMTPUTF8=smtputf8)
    controller.start()
    try:
        yield SmtpServer(handler, controller)
    finally:
        controller.stop()


def test_a_server_with_smtputf8_receives_internationalised_addresses(app: Flask) -> None:
    with _server(smtputf8=True) as server, app.app_context():
        build_world()
        _add_international_contacts()
        report = run_sweep(server.settings, MONDAY)
    assert (report.sent, report.failed) == (4, 0)
    zoe = server.handler.to("zoë@xn--exmple-cua.org")
    assert len(zoe) == 1
    # RFC 6532: the field is UTF-8 on the wire (Python's parser leaves it undecoded; mail clients do not).
    header = next(line for line in zoe[0].raw.splitlines() if line.startswith(b"To: "))
    assert header.decode("utf-8") == 'To: "Zoë Lefèvre" <zoë@xn--exmple-cua.org>'
    info = server.handler.to("info@xn--exmple-cua.org")
    assert len(info) == 1 and "Abolish the death penalty" in info[0].part("plain")


def test_without_smtputf8_only_that_recipient_fails_and_nothing_stays_claimed(app: Flask) -> None:
    with _server(smtputf8=False) as server, app.app_context():
        build_world()
        _add_international_contacts()
        report = run_sweep(server.settings, MONDAY)
        assert (report.sent, report.failed) == (3, 1)
        statuses = {row.to_address: row for row in _rows()}
        assert statuses["zoë@exämple.org"].status is MessageStatus.FAILED
        assert "does not offer SMTPUTF8" in statuses["zoë@exämple.org"].last_error
        assert {row.status for row in statuses.values()} == {MessageStatus.SENT, MessageStatus.FAILED}
        zoe = db.session.scalar(select(Contact).where(Contact.email == "zoë@exämple.org"))
        assert zoe is not None and "SMTPUTF8" in (zoe.email_failed_reason or "")
    assert len(server.handler.to("info@xn--exmple-cua.org")) == 1


def test_a_message_that_fails_unforeseen_is_failed_and_the_sweep_goes_on(
    app: Flask, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_for_camille(row: Claimed, sender: str, files: FileReader) -> MIMEMultipart:
        if row.to_address == "camille@example.org":
            raise LookupError("a bug nobody foresaw, about camille@example.org")
        return message_for(row, sender, files)

    monkeypatch.setattr("outreach.sweep.message_for", broken_for_camille)
    with app.app_context():
        world = build_world()
        report = run_sweep(smtp.settings, MONDAY)
        assert (report.sent, report.failed) == (1, 1)
        camille = next(row for row in _rows() if row.to_address == world.camille)
        assert camille.status is MessageStatus.FAILED and camille.claimed_at is None
        assert "unexpected LookupError" in camille.last_error
    assert len(smtp.handler.to(world.asa)) == 1
    assert "LookupError" in caplog.text and "camille@" not in caplog.text


def test_a_sweep_that_runs_late_keeps_briefings_for_the_recipients_morning(
    app: Flask, smtp: SmtpServer
) -> None:
    """Queued for 11:00 in Geneva, but the server was down until 23:00: nothing goes out at night."""
    with app.app_context():
        world = build_world()
        assert run_sweep(None, MONDAY).queued == 2
        late = run_sweep(smtp.settings, MONDAY + timedelta(hours=12))
        assert (late.sent, late.deferred) == (0, 2)
        assert "Waiting for the recipient's working hours: 2." in str(late)
        tuesday_morning = datetime(2026, 11, 24, 8, 0, tzinfo=UTC)  # 09:00 in Geneva
        assert {(row.status, row.next_attempt_at, row.attempts) for row in _rows()} == {
            (MessageStatus.QUEUED, tuesday_morning, 0)
        }
        assert smtp.handler.received == []
        assert run_sweep(smtp.settings, tuesday_morning).sent == 2
        assert {row.attempts for row in _rows()} == {1}
    assert len(smtp.handler.to(world.asa)) == 1
