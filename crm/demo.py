"""Loading the demo: China's reviews and the annex recommendations from the seeds.

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

from crm.db import db
from crm.models import Recommendation, RecommendingState, Response, Review, Theme
from crm.services import get_or_create_review
from crm.states import StateResolver

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DEMO_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parse_date(value: object) -> date | None:
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
        review.review_date = parse_date(entry.get("review_date"))
        review.outcome_session = entry.get("hrc_session")
        review.outcome_adopted_on = parse_date(entry.get("outcome_adopted"))
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


def load_demo() -> list[str]:
    """Stage the crm part of the demo; returns report lines."""
    resolver = StateResolver.from_database()
    reviews = {review.code: review for review in load_reviews()}
    db.session.flush()
    added = load_annex_recommendations(reviews["CHN-3"], resolver)
    return [
        f"Reviews: {', '.join(sorted(reviews))}.",
        f"Recommendations from the 2018 annex: {added} added.",
    ]
