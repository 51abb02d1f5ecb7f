"""Loading asks and measuring uptake: did a government we lobbied make a recommendation like our ask?"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.asks.models import Ask, AskTarget
from crm.db import db
from crm.models import Recommendation, RecommendingState, Review
from crm.recommendations.signatures import signature
from crm.states import StateResolver, UnknownState

# Share of an ask's meaningful words a recommendation must contain to count as taking it up. Asks are long
# and argued, recommendations short, so the measure is containment of the recommendation's words, not
# symmetric similarity.
UPTAKE_THRESHOLD = 0.5
# Below this a "closest" recommendation shares only incidental words with the ask and is not shown.
RELATED_THRESHOLD = 0.2


@dataclass(frozen=True)
class Uptake:
    """How one lobbied government answered an ask: the closest recommendation it made, if any."""

    target: AskTarget
    recommendation: Recommendation | None
    score: float

    @property
    def taken_up(self) -> bool:
        return self.recommendation is not None and self.score >= UPTAKE_THRESHOLD


def _containment(ask_words: frozenset[str], recommendation_text: str) -> float:
    words = signature(recommendation_text)
    return len(words & ask_words) / len(words) if words else 0.0


def uptake(ask: Ask) -> list[Uptake]:
    """For each government the ask was sent to, its recommendation in the review closest to the ask."""
    ask_words = signature(ask.text)
    codes = [target.state_code for target in ask.targets]
    made: dict[str, list[Recommendation]] = {code: [] for code in codes}
    query = (
        select(RecommendingState.state_code, Recommendation)
        .join(Recommendation, Recommendation.id == RecommendingState.recommendation_id)
        .where(Recommendation.review_id == ask.review_id, RecommendingState.state_code.in_(codes))
    )
    for code, recommendation in db.session.execute(query):
        made[code].append(recommendation)
    results = []
    for target in ask.targets:
        scored = [(_containment(ask_words, rec.text), rec) for rec in made[target.state_code]]
        best_score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        results.append(Uptake(target, best if best_score >= RELATED_THRESHOLD else None, best_score))
    return results


def asks_for_review(review_id: int) -> list[Ask]:
    query = (
        select(Ask)
        .where(Ask.review_id == review_id)
        .options(selectinload(Ask.targets).selectinload(AskTarget.state))
        .order_by(Ask.id)
    )
    return list(db.session.scalars(query))


def asks_sent_to(state_code: str) -> list[Ask]:
    query = (
        select(Ask)
        .join(AskTarget)
        .where(AskTarget.state_code == state_code)
        .options(selectinload(Ask.review).selectinload(Review.state))
        .order_by(Ask.review_id, Ask.id)
    )
    return list(db.session.scalars(query))


def load_appeal(path: Path, review: Review, resolver: StateResolver) -> int:
    """Stage the asks of an appeal file (``data/demo/campaign-2018.json`` format); returns how many were new.

    Idempotent: an ask is found again by its review and text. Addressees that are not states (the EU)
    are kept as text, never turned into states.
    """
    appeal = json.loads(path.read_text(encoding="utf-8"))
    existing = {ask.text for ask in db.session.scalars(select(Ask).where(Ask.review_id == review.id))}
    added = 0
    for proposal in appeal["proposals"]:
        if proposal["recommendation"] in existing:
            continue
        codes: list[str] = []
        others: list[str] = []
        for name in proposal["sent_to"]:
            try:
                codes.append(resolver.resolve(name))
            except UnknownState:
                others.append(name)
        ask = Ask(
            review=review,
            organisation=appeal["organisation"],
            theme=proposal["theme"],
            text=proposal["recommendation"],
            sent=appeal.get("sent", ""),
            other_addressees=", ".join(others),
            source=appeal.get("source", ""),
            targets=[AskTarget(state_code=code) for code in dict.fromkeys(codes)],
        )
        db.session.add(ask)
        added += 1
    return added
