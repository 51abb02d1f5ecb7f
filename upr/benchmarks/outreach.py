"""``upr bench send-briefings``: the whole outreach pipeline against bare Jinja2 + smtplib.

Ours: queue a campaign (recipients through the mapping, sandboxed rendering, outbox rows) and sweep it
(claim, send over SMTP, record each result). Floor: render the same templates with plain Jinja2 and send
the same messages over one ``smtplib`` connection. Both talk to a local aiosmtpd.
"""

from __future__ import annotations

import smtplib
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from jinja2 import Environment
from sqlalchemy import delete, select

from crm.contacts.models import Contact, Organisation, OrganisationKind
from crm.db import db
from crm.models import Recommendation, RecommendingState, Review, State
from outreach.campaigns import campaign_recipients, render_briefing
from outreach.capture import free_port
from outreach.models import Campaign, CampaignStatus, OutboxMessage
from outreach.outbox import unsubscribe_url
from outreach.rendering import briefing_context, ensure_default_template, pick_translation
from outreach.smtp import WIRE_POLICY, SmtpSettings, build_message
from outreach.sweep import run_sweep
from upr.benchmarks.harness import Measurement, Stopwatch, Workload, bench_database

RECOMMENDATIONS_EACH = 50
REPEATS = 3
CONTACTS_PER_STATE = 50
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


class _Sink:
    async def handle_DATA(self, _server: Any, _session: Any, _envelope: Any) -> str:
        return "250 OK"


def _world(briefings: int) -> Campaign:
    states = list(db.session.scalars(select(State.code).where(State.code != "CHN").order_by(State.code)))
    needed = max(1, -(-briefings // CONTACTS_PER_STATE))
    review = Review(state_code="CHN", cycle=3)
    db.session.add(review)
    made = 0
    for code in states[:needed]:
        for n in range(RECOMMENDATIONS_EACH):
            rec = Recommendation(
                review=review, number=f"{code}.{n}", text=f"{code} recommends measure {n} " * 6
            )
            rec.recommending.append(RecommendingState(state_code=code))
            db.session.add(rec)
        mission = Organisation(
            name=f"Mission of {code}", kind=OrganisationKind.MISSION_GENEVA, state_code=code
        )
        for n in range(min(CONTACTS_PER_STATE, briefings - made)):
            db.session.add(
                Contact(organisation=mission, full_name=f"Diplomat {code} {n}", email=f"{code}.{n}@x.org")
            )
            made += 1
    campaign = Campaign(
        name="bench",
        review=review,
        template=ensure_default_template(),
        send_at=NOW,
        weekdays_only=False,
        # The floor attaches nothing, so neither does this run; with factsheets see the notes.
        attach_factsheets=False,
        status=CampaignStatus.APPROVED,
    )
    db.session.add(campaign)
    db.session.commit()
    return campaign


def _floor(campaign: Campaign, smtp: SmtpSettings) -> float:
    """Plain Jinja2 and smtplib over the same contexts (gathered before the clock starts)."""
    recipients = campaign_recipients(campaign, on=NOW.date())
    # The plain-text part is not HTML: escaping it would be wrong, as in the app's own text environment.
    env_text = Environment(autoescape=False, keep_trailing_newline=True)  # noqa: S701  # plain text, see above
    env_html = Environment(autoescape=True)
    jobs = []
    for recipient in recipients:
        translation = pick_translation(campaign.template, recipient.contact.language_list)
        context = briefing_context(
            recipient.contact, campaign.review, recipient.items, asks="", trigger=None, unsubscribe_url="x"
        )
        compiled = (
            env_text.from_string(translation.subject),
            env_text.from_string(translation.body_text),
            env_html.from_string(translation.body_html),
        )
        # The same messages as the sweep's, List-Unsubscribe headers included; the signed link is an input
        # like the context, made before the clock starts.
        jobs.append((compiled, recipient.contact, context, unsubscribe_url(recipient.contact.id)))
    with Stopwatch() as watch, smtplib.SMTP(smtp.host, smtp.port) as connection:
        for (subject, text, html), contact, context, unsubscribe in jobs:
            message = build_message(
                sender=smtp.sender,
                to_name=contact.full_name,
                to_address=contact.email or "",
                subject=subject.render(context),
                text=text.render(context),
                html=html.render(context),
                message_id="<floor@x.org>",
                unsubscribe_url=unsubscribe,
            )
            connection.sendmail(
                "outreach@localhost", [contact.email or ""], message.as_bytes(policy=WIRE_POLICY)
            )
    return watch.seconds


def run(scale: float) -> Measurement:
    from upr.app import create_app

    briefings = max(1, int(5000 * scale))
    controller = Controller(_Sink(), hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp = SmtpSettings(host="127.0.0.1", port=controller.port)
    try:
        with bench_database() as path, tempfile.TemporaryDirectory() as instance:
            app = create_app(
                {"environment": "testing", "database_url": f"sqlite:///{path}", "secret_key": "bench"}
                | {"instance_path": Path(instance)}
            )
            with app.app_context():
                campaign = _world(briefings)
                render_briefing(
                    campaign, campaign_recipients(campaign)[0]
                )  # compile once, like the floor's cache
                # Client and server share one process (and its GIL), so single runs vary by a third: both
                # sides run REPEATS times, alternately, and the fastest of each is kept, as timeit advises.
                floor = seconds = float("inf")
                for attempt in range(REPEATS):
                    if attempt:
                        _unsend(campaign)
                    floor = min(floor, _floor(campaign, smtp))
                    with Stopwatch() as watch:
                        report = run_sweep(smtp, NOW)
                    seconds = min(seconds, watch.seconds)
    finally:
        controller.stop()
    return Measurement(
        seconds,
        floor,
        f"{report.sent} briefings of {RECOMMENDATIONS_EACH} recommendations; fastest of {REPEATS} runs each",
    )


def _unsend(campaign: Campaign) -> None:
    """The campaign as it was before its sweep: approved, nothing in the outbox."""
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.campaign_id == campaign.id))
    campaign.status = CampaignStatus.APPROVED
    db.session.commit()


WORKLOADS = [
    Workload(
        "send-briefings",
        1.5,
        "Queue, render (sandboxed) and send tailored briefings through the outbox vs Jinja2 + smtplib.",
        run,
    )
]
