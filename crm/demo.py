"""Loading the demo: China's reviews and the annex recommendations from the seeds, invented contacts.

Every loader here is idempotent: it finds records by their natural key and only fills what is missing or
changed, so ``upr demo`` can run any number of times.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from crm.auth.services import create_user, find_user
from crm.db import db
from crm.models import (
    Contact,
    Organisation,
    OrganisationKind,
    Recommendation,
    RecommendingState,
    Response,
    Review,
    Role,
    SafetyLevel,
    Team,
    Theme,
    User,
)
from crm.services import get_or_create_review
from crm.states import StateResolver

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"
DEMO_EMAIL = "demo@example.org"
DEMO_PASSWORD = "upr-demo-password"  # noqa: S105 - printed on purpose: the demo's documented sign-in
DEMO_TEAM = "China advocacy team (demo)"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DEMO_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _date(value: object) -> date | None:
    """A full ISO date, or None for a missing or partial one ("2019-03" is only a month)."""
    if isinstance(value, str) and len(value) == 10:
        return date.fromisoformat(value)
    return None


def load_reviews() -> list[Review]:
    """China's reviews with the dates and totals the seeds and the verified facts give."""
    reviews = []
    for entry in json.loads((DEMO_DIR / "reviews.json").read_text(encoding="utf-8")):
        review = get_or_create_review(f"{entry['state']}-{entry['cycle']}")
        totals: dict[str, Any] = entry.get("totals") or {}
        review.session = entry.get("session")
        review.review_date = _date(entry.get("review_date"))
        review.outcome_session = entry.get("hrc_session")
        review.outcome_adopted_on = _date(entry.get("outcome_adopted"))
        review.reported_recommendations = totals.get("recommendations")
        review.reported_recommending_states = totals.get("recommending_states")
        review.reported_supported = totals.get("supported")
        reviews.append(review)
    return reviews


def theme_named(name: str, cache: dict[str, Theme]) -> Theme:
    if name not in cache:
        theme = db.session.scalar(select(Theme).where(Theme.name == name))
        if theme is None:
            theme = Theme(name=name)
            db.session.add(theme)
        cache[name] = theme
    return cache[name]


def load_annex_recommendations(review: Review, resolver: StateResolver) -> int:
    """The annex of the 2018 guide (seed 000), with its corrections recorded in ``source_note``."""
    existing = {(rec.number, rec.text): rec for rec in review.recommendations}
    themes: dict[str, Theme] = {}
    added = 0
    for position, row in enumerate(read_csv("chn-3-recommendations.csv"), start=1):
        number = row["number"].strip() or None
        key = (number, row["text"].strip())
        rec = existing.get(key)
        if rec is None:
            rec = Recommendation(review=review, number=number, text=row["text"].strip())
            for order, code in enumerate(resolver.split_joint(row["recommending_states"])):
                rec.recommending.append(RecommendingState(state_code=code, position=order))
            db.session.add(rec)
            added += 1
        rec.sort_key = position
        rec.response = Response(row["response"]) if row["response"] != "unknown" else Response.UNKNOWN
        rec.response_raw = row["response_raw"]
        rec.response_source = row["response_source"]
        rec.affected_persons = row["affected_persons"]
        rec.source_note = row["seed_note"]
        if row["theme"] and not rec.themes:
            rec.themes.append(theme_named(row["theme"].strip(), themes))
    return added


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
        contact.posting_start = _date(row["posting_start"])
        contact.posting_end = _date(row["posting_end"])
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


def load_crm_demo() -> list[str]:
    """Stage the crm part of the demo; returns report lines."""
    resolver = StateResolver.from_database()
    reviews = {review.code: review for review in load_reviews()}
    db.session.flush()
    added = load_annex_recommendations(reviews["CHN-3"], resolver)
    organisations, contacts = load_demo_people()
    ensure_demo_user()
    return [
        f"Reviews: {', '.join(sorted(reviews))}.",
        f"Recommendations from the 2018 annex: {added} added.",
        f"Invented organisations: {organisations} added; invented contacts: {contacts} added.",
    ]
