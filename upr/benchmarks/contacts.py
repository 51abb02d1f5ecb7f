"""``upr bench who-to-brief briefing-basis``: the mapping against one indexed ``SELECT`` on the same tables.

The database holds 20,000 contacts and 100,000 recommendations (scaled by ``--scale``). Each lookup of
the mapping is timed against the floor: a single Core ``SELECT`` joining the same tables on the same
indexes for the same recommendation or contact, averaged over many lookups.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from crm.auth.models import User
from crm.contacts.models import Contact, Interaction, Organisation, OrganisationKind, interaction_contacts
from crm.contacts.who_to_brief import briefing_basis, contacts_for_recommendation
from crm.db import db
from crm.models import Recommendation, RecommendingState, Review, State
from upr.benchmarks.harness import Measurement, Stopwatch, Workload, bench_database

CONTACTS = 20_000
RECOMMENDATIONS = 100_000
REVIEWS = 50
LOOKUPS = 300
KINDS = (OrganisationKind.MISSION_GENEVA, OrganisationKind.EMBASSY, OrganisationKind.CAPITAL_MINISTRY)


def _populate(scale: float) -> tuple[list[int], list[int]]:
    """Fill the bench database; returns recommendation ids and contact ids to look up."""
    chooser = random.Random(2018)
    codes = sorted(db.session.scalars(select(State.code)))
    session = db.session
    session.execute(insert(User).values(id=1, email="bench@example.org", password_hash="!"))  # noqa: S106 - nobody signs in
    reviews = [{"id": n + 1, "state_code": codes[n], "cycle": 3} for n in range(REVIEWS)]
    session.execute(insert(Review), reviews)
    recommendations = max(int(RECOMMENDATIONS * scale), REVIEWS)
    session.execute(
        insert(Recommendation),
        [
            {"id": n + 1, "review_id": n % REVIEWS + 1, "number": f"{n // REVIEWS}.{n % 1000}", "sort_key": n,
             "text": f"Recommendation {n} on the rights of everyone"}
            for n in range(recommendations)
        ],
    )  # fmt: skip
    links = []
    for n in range(recommendations):
        for position, code in enumerate(chooser.sample(codes, chooser.choice((1, 1, 1, 2, 3)))):
            links.append({"recommendation_id": n + 1, "state_code": code, "position": position})
    session.execute(insert(RecommendingState), links)
    capitals = ["Geneva", "Beijing", "Paris", "Nairobi", "Brasília", "Stockholm"]
    organisations = [
        {"id": n + 1, "name": f"Org {n}", "kind": KINDS[n % 3], "state_code": codes[n // 6 % len(codes)],
         "city": capitals[n % len(capitals)], "website": "", "notes": ""}
        for n in range(len(codes) * 6)
    ]  # fmt: skip
    session.execute(insert(Organisation), organisations)
    contacts = max(int(CONTACTS * scale), 100)
    session.execute(
        insert(Contact),
        [
            {"id": n + 1, "organisation_id": n % len(organisations) + 1, "full_name": f"P{n}",
             "email": f"person{n}@example.org", "languages": chooser.choice(("en", "fr;en", "es", "zh;en")),
             "title": chooser.choice(("Counsellor, Human Rights", "First Secretary", "Attaché"))}
            for n in range(contacts)
        ],
    )  # fmt: skip
    start = datetime(2024, 1, 1, tzinfo=UTC)
    session.execute(
        insert(Interaction),
        [{"id": n + 1, "kind": "meeting", "occurred_at": start + timedelta(hours=n), "officer_id": 1}
         for n in range(contacts // 2)],
    )  # fmt: skip
    session.execute(
        insert(interaction_contacts),
        [
            {"interaction_id": n + 1, "contact_id": chooser.randrange(contacts) + 1}
            for n in range(contacts // 2)
        ],
    )
    session.commit()
    return (
        [chooser.randrange(recommendations) + 1 for _ in range(LOOKUPS)],
        [chooser.randrange(contacts) + 1 for _ in range(LOOKUPS)],
    )


def run_who_to_brief(scale: float) -> Measurement:
    with bench_database():
        recommendation_ids, _ = _populate(scale)
        recommendations = list(
            db.session.scalars(
                select(Recommendation)
                .where(Recommendation.id.in_(recommendation_ids))
                .options(selectinload(Recommendation.review).selectinload(Review.state))
            )
        )
        # The same rows the mapping needs (every column of the person and the organisation).
        floor = (
            select(Contact.__table__, Organisation.__table__)
            .join(Organisation, Organisation.id == Contact.organisation_id)
            .join(RecommendingState, RecommendingState.state_code == Organisation.state_code)
        )
        found = 0
        with Stopwatch() as floor_watch:
            for rec in recommendations:
                db.session.execute(floor.where(RecommendingState.recommendation_id == rec.id)).all()
        with Stopwatch() as watch:
            for rec in recommendations:
                found += len(contacts_for_recommendation(rec))
        detail = f"{len(recommendations)} lookups, {found} contacts ranked"
        return Measurement(watch.seconds, floor_watch.seconds, detail)


def run_briefing_basis(scale: float) -> Measurement:
    with bench_database():
        _, contact_ids = _populate(scale)
        contacts = list(
            db.session.scalars(
                select(Contact).where(Contact.id.in_(contact_ids)).options(selectinload(Contact.organisation))
            )
        )
        reviews = list(db.session.scalars(select(Review)))
        pairs = [(contact, reviews[n % len(reviews)]) for n, contact in enumerate(contacts)]
        floor = select(
            Recommendation.id,
            Recommendation.number,
            Recommendation.text,
            Recommendation.response,
            Recommendation.implementation_status,
        ).join(RecommendingState, RecommendingState.recommendation_id == Recommendation.id)
        items = 0
        with Stopwatch() as floor_watch:
            for contact, review in pairs:
                db.session.execute(
                    floor.where(
                        Recommendation.review_id == review.id,
                        RecommendingState.state_code == contact.organisation.state_code,
                    )
                ).all()
        with Stopwatch() as watch:
            for contact, review in pairs:
                items += len(briefing_basis(contact, review))
        return Measurement(watch.seconds, floor_watch.seconds, f"{len(pairs)} lookups, {items} items")


WORKLOADS = [
    Workload(
        "who-to-brief", 5.0, "contacts ranked for one recommendation vs one indexed SELECT", run_who_to_brief
    ),
    Workload(
        "briefing-basis",
        5.0,
        "one contact's state's recommendations vs one indexed SELECT",
        run_briefing_basis,
    ),
]
