"""A small CHN-3 world for outreach tests: recommendations by Sweden and France, and their diplomats."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from crm import dates
from crm.contacts.models import Contact, Organisation, OrganisationKind, SafetyLevel
from crm.db import db
from crm.models import Recommendation, RecommendingState, Response, Review
from outreach.models import Campaign, CampaignStatus
from outreach.rendering import ensure_default_template

# A Monday, 11:00 in Geneva: inside everyone's working hours.
MONDAY = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def coming_monday() -> datetime:
    """The next Monday at 10:00 UTC after today: a send time a person may still choose on a form."""
    day = dates.today() + timedelta(days=1)
    while day.weekday() != 0:
        day += timedelta(days=1)
    return datetime.combine(day, time(10, 0), UTC)


SCRIPT_TEXT = "Protect <script>alert('x')</script> & <b>defenders</b>"


@dataclass
class World:
    review_id: int
    campaign_id: int | None
    asa: str = "asa@example.org"
    camille: str = "camille@example.org"
    opted_out: str = "optout@example.org"
    at_risk: str = "atrisk@example.org"
    at_risk_name: str = "Zhou Hidden-Person"


def _recommendation(review: Review, number: str, text: str, states: list[str], order: int) -> None:
    rec = Recommendation(review=review, number=number, text=text, sort_key=order, response=Response.SUPPORTED)
    for position, code in enumerate(states):
        rec.recommending.append(RecommendingState(state_code=code, position=position))
    db.session.add(rec)


def build_world(
    *,
    send_at: datetime = MONDAY,
    status: CampaignStatus = CampaignStatus.APPROVED,
    with_campaign: bool = True,
) -> World:
    """Stage and commit the review, contacts and (unless told not to) a campaign, in an app context."""
    review = Review(state_code="CHN", cycle=3)
    db.session.add(review)
    _recommendation(review, "28.1", "Ratify the ICCPR (Sweden alone)", ["SWE"], 1)
    _recommendation(review, "28.2", "Abolish the death penalty (France alone)", ["FRA"], 2)
    _recommendation(review, "28.3", SCRIPT_TEXT, ["SWE", "FRA"], 3)
    sweden = Organisation(name="Mission of Sweden", kind=OrganisationKind.MISSION_GENEVA, state_code="SWE")
    france = Organisation(name="Mission of France", kind=OrganisationKind.MISSION_GENEVA, state_code="FRA")
    world_contacts = [
        Contact(
            organisation=sweden, full_name="Åsa Bergström", email="asa@example.org", timezone="Europe/Zurich"
        ),
        Contact(
            organisation=france,
            full_name="Camille Lefèvre",
            email="camille@example.org",
            languages="fr;en",
            timezone="Europe/Zurich",
        ),
        Contact(organisation=france, full_name="Opted Out", email="optout@example.org", opt_out=True),
        Contact(
            organisation=france,
            full_name="Zhou Hidden-Person",
            email="atrisk@example.org",
            safety_level=SafetyLevel.AT_RISK,
        ),
    ]
    db.session.add_all([sweden, france, *world_contacts])
    if not with_campaign:
        db.session.commit()
        return World(review.id, None)
    campaign = Campaign(
        name="Briefing",
        review=review,
        template=ensure_default_template(),
        asks="Ask about the ICCPR",
        send_at=send_at,
        status=status,
    )
    db.session.add(campaign)
    db.session.commit()
    return World(review.id, campaign.id)
