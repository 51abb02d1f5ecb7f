"""The invented demo organisations, contacts, team and the demo sign-in (example.org addresses only)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.auth.services import create_user, find_user
from crm.contacts.interactions import save_interaction
from crm.contacts.mandates import seed_agency_mandates
from crm.contacts.models import (
    Contact,
    Interaction,
    InteractionKind,
    Organisation,
    OrganisationKind,
    SafetyLevel,
)
from crm.db import db
from crm.demo_files import parse_date, read_csv
from crm.models import Recommendation, Review, Theme
from crm.teams.models import Team
from crm.teams.services import assign_state, priority_theme_ids, set_priority_themes

DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "briefing-geneva-2024"  # noqa: S105 - printed on purpose: the demo's documented sign-in
DEMO_TEAM = "China advocacy team (demo)"
DEMO_PRIORITY_THEMES = ("HUMAN RIGHTS DEFENDERS", "NON-DISCRIMINATION AND EQUALITY", "DETENTIONS")
DEMO_ASSIGNED_STATES = ("SWE", "CHE")
DEMO_MEETING_CONTACT = "asa.bergstrom@example.org"
DEMO_MEETING_AT = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
DEMO_FOLLOW_UP_ON = date(2026, 4, 15)


def load_demo_people() -> tuple[int, int]:
    """The invented organisations and contacts (example.org addresses), owned by the demo team."""
    team = db.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    if team is None:
        team = Team(name=DEMO_TEAM, description="Invented team for the demo.")
        db.session.add(team)
    organisations: dict[str, Organisation] = {}
    added_organisations = added_contacts = 0
    for row in read_csv("organisations.csv"):
        kind = OrganisationKind(row["kind"])
        state_code = row["state"] or None
        found = db.session.scalar(
            select(Organisation).where(Organisation.name == row["name"], Organisation.kind == kind)
        )
        if found is None:
            found = Organisation(name=row["name"], kind=kind, state_code=state_code)
            db.session.add(found)
            added_organisations += 1
        found.city, found.email = row["city"], row["email"] or None
        found.website, found.notes = row["website"], row["notes"]
        organisations[row["key"]] = found
    for row in read_csv("contacts.csv"):
        email = row["email"].strip().lower() or None
        organisation = organisations[row["organisation_key"]]
        query = select(Contact).where(
            Contact.email == email if email else Contact.full_name == row["full_name"]
        )
        contact = db.session.scalar(query)
        if contact is None:
            contact = Contact(full_name=row["full_name"], organisation=organisation, email=email)
            db.session.add(contact)
            added_contacts += 1
        contact.title, contact.phone = row["title"], row["phone"]
        contact.languages, contact.timezone = row["languages"] or "en", row["timezone"] or "UTC"
        contact.posting_start = parse_date(row["posting_start"])
        contact.posting_end = parse_date(row["posting_end"])
        contact.safety_level = SafetyLevel(row["safety_level"] or "normal")
        contact.opt_out = row["opt_out"].strip().lower() == "yes"
        contact.notes = row["notes"]
        contact.owner_team = team
    return added_organisations, added_contacts


def ensure_demo_user() -> User:
    user = find_user(DEMO_EMAIL)
    if user is None:
        user = create_user(DEMO_EMAIL, DEMO_PASSWORD, Role.ADMIN, "Demo Coordinator")
    team = db.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    if team is not None and team not in user.teams:
        user.teams.append(team)
    return user


def load_demo_outreach(user: User) -> list[str]:
    """Agency mandates, the team's priority themes, two states for the demo user and one logged meeting."""
    agencies = seed_agency_mandates()
    team = db.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    assert team is not None  # created by load_demo_people
    themes = list(db.session.scalars(select(Theme).where(Theme.name.in_(DEMO_PRIORITY_THEMES))))
    set_priority_themes(team, {*priority_theme_ids(team), *(theme.id for theme in themes)})
    for code in DEMO_ASSIGNED_STATES:
        assign_state(team, user, code)
    contact = db.session.scalar(select(Contact).where(Contact.email == DEMO_MEETING_CONTACT))
    lines = [
        _(
            "Agency mandates seeded for %(agencies)s agencies; %(themes)s priority themes for the demo team.",
            agencies=agencies,
            themes=len(themes),
        )
    ]
    if contact is not None:
        existing = db.session.scalar(
            select(Interaction).where(
                Interaction.officer_id == user.id, Interaction.occurred_at == DEMO_MEETING_AT
            )
        )
        discussed = list(
            db.session.scalars(
                select(Recommendation)
                .join(Review)
                .where(Review.state_code == "CHN", Review.cycle == 3, Recommendation.number == "28.83")
            )
        )
        save_interaction(
            officer=user,
            kind=InteractionKind.MEETING,
            occurred_at=DEMO_MEETING_AT,
            contacts=[contact],
            recommendations=discussed,
            summary="Invented demo meeting: the mission's plans for the mid-term review of China's UPR.",
            outcome="The counsellor asked for our implementation assessment of 28.83.",
            follow_up_on=DEMO_FOLLOW_UP_ON,
            interaction=existing,
        )
        lines.append(_("One demo meeting with a follow-up task."))
    return lines


def load_demo() -> list[str]:
    organisations, contacts = load_demo_people()
    user = ensure_demo_user()
    db.session.flush()
    return [
        _(
            "Invented organisations: %(organisations)s added; invented contacts: %(contacts)s added.",
            organisations=organisations,
            contacts=contacts,
        ),
        *load_demo_outreach(user),
    ]
