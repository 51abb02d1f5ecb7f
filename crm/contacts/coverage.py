"""Coverage gaps: states nobody can brief, postings that ended, missions left alone since the last review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from crm.auth.models import User
from crm.contacts.models import Contact, Organisation, OrganisationKind, Succession
from crm.contacts.privacy import visible_contacts_clause
from crm.contacts.who_to_brief import KIND_WEIGHT, current_posting_clause, last_contact_subquery
from crm.db import db
from crm.models import Review, State
from crm.teams.models import Team
from crm.teams.services import priority_counts


@dataclass(frozen=True)
class Gap:
    state: State
    priority_recommendations: int


def states_without_contact(team: Team, on: date) -> list[Gap]:
    """States that made recommendations on the team's priority themes but have no current contact."""
    counts = priority_counts(team)
    if not counts:
        return []
    covered = set(
        db.session.scalars(
            select(Organisation.state_code)
            .join(Contact, Contact.organisation_id == Organisation.id)
            .where(
                Organisation.state_code.in_(list(counts)),
                Organisation.kind.in_(list(KIND_WEIGHT)),
                Organisation.archived_at.is_(None),
                current_posting_clause(on),
            )
        )
    )
    states = db.session.scalars(select(State).where(State.code.in_([c for c in counts if c not in covered])))
    return sorted(
        (Gap(s, counts[s.code]) for s in states), key=lambda g: (-g.priority_recommendations, g.state.name)
    )


def ended_postings(on: date, viewer: User | None) -> list[Contact]:
    """Contacts still on file whose posting has ended and whose successor nobody has recorded."""
    query = (
        select(Contact)
        .where(
            visible_contacts_clause(viewer),
            Contact.archived_at.is_(None),
            Contact.posting_end < on,
            Contact.id.not_in(select(Succession.contact_id)),
        )
        .order_by(Contact.posting_end)
    )
    return list(db.session.scalars(query))


def last_review_date(on: date) -> date | None:
    return db.session.scalar(select(func.max(Review.review_date)).where(Review.review_date <= on))


def missions_not_contacted(on: date) -> tuple[date | None, list[Organisation]]:
    """Missions in Geneva with no interaction with any of their people since the latest review held."""
    since = last_review_date(on)
    if since is None:
        return None, []
    last = last_contact_subquery()
    contacted = (
        select(Contact.organisation_id)
        .join(last, last.c.contact_id == Contact.id)
        .where(last.c.last_at >= datetime.combine(since, time.min, tzinfo=UTC))
    )
    query = (
        select(Organisation)
        .where(
            Organisation.kind == OrganisationKind.MISSION_GENEVA,
            Organisation.archived_at.is_(None),
            Organisation.id.not_in(contacted),
        )
        .order_by(Organisation.name)
    )
    return since, list(db.session.scalars(query))
