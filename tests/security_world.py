"""Two teams on top of the demo, for walking every route as a member of one about the other's records.

Team B is the demo's own team (its at-risk and sensitive people are real demo data); team A is new. Each
gets an at-risk contact, a sensitive one, a meeting, a team feed, a campaign and a message, so that every
id argument of the URL map has a record of each team to point at.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from crm.auth.models import User, UserSession
from crm.auth.sessions import start_session
from crm.contacts.demo import DEMO_TEAM
from crm.contacts.interactions import save_interaction
from crm.contacts.models import Contact, InteractionKind, Organisation, SafetyLevel
from crm.db import db, utcnow
from crm.models import Review
from crm.teams.models import Team
from outreach.models import Campaign, MessageKind, OutboxMessage
from outreach.rendering import ensure_default_template
from upr_calendar import feeds
from upr_calendar.models import FeedScope

# URL arguments that name records a member of another team must not learn exist: for these, the answer
# about another team's record must be the answer about a record that does not exist.
HIDDEN_ARGUMENTS = ("contact_id", "interaction_id", "feed_id", "message_id", "session_id")
MISSING = 10**6


@dataclass
class TeamRecords:
    team_id: int
    review_code: str
    ids: dict[str, int]  # URL argument -> this team's record (and the sensitive contact's id)


def _plant(team: Team, member: User, review: Review, letter: str) -> TeamRecords:
    organisation = db.session.scalars(select(Organisation).order_by(Organisation.id)).first()
    assert organisation is not None
    at_risk = Contact(
        organisation=organisation,
        full_name=f"Defender {letter} Qv{letter}",
        email=f"defender-{letter.lower()}@example.net",
        safety_level=SafetyLevel.AT_RISK,
        owner_team=team,
    )
    sensitive = Contact(
        organisation=organisation,
        full_name=f"Sensitive {letter}",
        email=f"sensitive-{letter.lower()}@example.net",
        phone=f"+41 22 555 01{ord(letter)}",
        safety_level=SafetyLevel.SENSITIVE,
        owner_team=team,
    )
    db.session.add_all([at_risk, sensitive])
    db.session.flush()
    review.team_id = team.id
    meeting = save_interaction(
        officer=member,
        kind=InteractionKind.MEETING,
        occurred_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
        contacts=[at_risk, sensitive],
        summary="Met at the side event.",
    )
    feed, _token = feeds.create_token(member, FeedScope.TEAM, team=team)
    campaign = Campaign(name=f"Campaign {letter}", review=review, template=ensure_default_template())
    message = OutboxMessage(
        idempotency_key=f"walk-{letter}",
        kind=MessageKind.BRIEFING,
        contact_id=at_risk.id,
        to_address=at_risk.email or "",
        to_name=at_risk.full_name,
        subject="Briefing",
        body_text="Dear colleague",
        message_id=f"<walk-{letter}@example.org>",
        next_attempt_at=utcnow(),
    )
    db.session.add_all([campaign, message])
    session, _token = start_session(member, client_address="192.0.2.1", user_agent="Walk")
    db.session.flush()
    return TeamRecords(
        team.id,
        review.code,
        {
            "contact_id": at_risk.id,
            "sensitive_contact_id": sensitive.id,
            "interaction_id": meeting.id,
            "feed_id": feed.id,
            "campaign_id": campaign.id,
            "message_id": message.id,
            "review_id": review.id,
            "team_id": team.id,
            "session_id": session.id,
        },
    )


def build_teams(member_a: User, member_b: User) -> tuple[TeamRecords, TeamRecords]:
    """Team A (new) and team B (the demo's), each with the records above; call in an app context."""
    team_b = db.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    assert team_b is not None, "load the demo first"
    team_a = Team(name="Alpha team")
    db.session.add(team_a)
    in_a, in_b = db.session.merge(member_a), db.session.merge(member_b)
    in_a.teams.append(team_a)
    in_b.teams.append(team_b)
    db.session.flush()
    reviews = db.session.scalars(select(Review).order_by(Review.cycle)).all()
    a = _plant(team_a, in_a, reviews[-1], "A")
    b = _plant(team_b, in_b, reviews[0], "B")
    db.session.commit()
    return a, b


def secrets_of(team_id: int) -> list[str]:
    """What members of other teams must never read: at-risk people's names and addresses, and
    sensitive people's addresses and phone numbers, as the database holds them now."""
    found = []
    for contact in db.session.scalars(select(Contact).where(Contact.owner_team_id == team_id)):
        if contact.safety_level is SafetyLevel.AT_RISK:
            found += [contact.full_name, contact.email or ""]
        elif contact.safety_level is SafetyLevel.SENSITIVE:
            found += [contact.email or "", contact.phone]
    return [secret for secret in found if len(secret) >= 4]


def protected_state(team: TeamRecords) -> list[object]:
    """A snapshot of what another team's member must not change in ``team``: its people, their meetings,
    its feeds and their holds, its messages and its member's session."""
    from crm.contacts.models import Interaction
    from outreach.models import CampaignHold
    from upr_calendar.models import FeedToken

    people = db.session.scalars(
        select(Contact).where(Contact.owner_team_id == team.team_id).order_by(Contact.id)
    ).all()
    ids = [c.id for c in people]
    state: list[object] = [
        [
            (c.id, c.full_name, c.email, c.phone, c.notes, c.archived_at, c.owner_team_id, c.updated_at)
            for c in people
        ]
    ]
    state.append(
        [
            (i.id, i.summary, i.outcome, sorted(c.id for c in i.contacts))
            for i in db.session.scalars(
                select(Interaction).where(Interaction.contacts.any(Contact.id.in_(ids)))
            )
        ]
    )
    state.append(
        db.session.execute(
            select(FeedToken.id, FeedToken.revoked_at)
            .where(FeedToken.team_id == team.team_id)
            .order_by(FeedToken.id)
        ).all()
    )
    state.append(
        db.session.execute(select(CampaignHold.contact_id).where(CampaignHold.contact_id.in_(ids))).all()
    )
    state.append(
        db.session.execute(
            select(OutboxMessage.id, OutboxMessage.status).where(OutboxMessage.contact_id.in_(ids))
        ).all()
    )
    state.append(
        db.session.scalar(select(UserSession.ended_at).where(UserSession.id == team.ids["session_id"]))
    )
    return state
