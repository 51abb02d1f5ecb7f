"""China's reviews with the dates and totals the seeds and the verified facts give (idempotent)."""

from __future__ import annotations

import json
from typing import Any

from crm.db import db
from crm.demo_files import DEMO_DIR, parse_date
from crm.models import Review
from crm.reviews.services import get_or_create_review


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
        review.reported_supported_in_part = totals.get("supported_in_part")
        review.reported_noted = totals.get("noted")
        review.reported_not_supported = totals.get("not_supported")
        reviews.append(review)
    return reviews


def load_demo() -> list[str]:
    """Stage the demo's reviews; returns report lines."""
    reviews = sorted(review.code for review in load_reviews())
    db.session.flush()
    return [f"Reviews: {', '.join(reviews)}."]
