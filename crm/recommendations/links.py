"""Linking recommendations that ask much the same thing of one State in different cycles.

Recommending states are asked to repeat what was not implemented, "as previously recommended"; officers
need to see that Sweden asked China to ratify the ICCPR in 2013, 2018 and 2024. Two recommendations are
linked when the share of meaningful words they have in common (Jaccard similarity of their stemmed word
sets) reaches ``THRESHOLD``; having a recommending state in common adds ``SAME_STATE_BONUS``, because a
state repeating itself is the strongest sign of a follow-up.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from sqlalchemy import delete, insert, or_, select

from crm.db import db
from crm.models import Recommendation, RecommendingState, Review
from crm.recommendations.models import RecommendationLink
from crm.recommendations.signatures import signature

THRESHOLD = 0.5
SAME_STATE_BONUS = 0.1


def _load(review_ids: list[int]) -> dict[int, tuple[frozenset[str], set[str]]]:
    texts = db.session.execute(
        select(Recommendation.id, Recommendation.text).where(Recommendation.review_id.in_(review_ids))
    )
    found: dict[int, tuple[frozenset[str], set[str]]] = {
        rec_id: (signature(text), set()) for rec_id, text in texts
    }
    codes = db.session.execute(
        select(RecommendingState.recommendation_id, RecommendingState.state_code)
        .join(Recommendation, Recommendation.id == RecommendingState.recommendation_id)
        .where(Recommendation.review_id.in_(review_ids))
    )
    for rec_id, code in codes:
        found[rec_id][1].add(code)
    return found


def link_similar(review: Review) -> int:
    """Recompute the links between ``review`` and the other cycles of its State; returns links added."""
    others = list(
        db.session.scalars(
            select(Review.id).where(Review.state_code == review.state_code, Review.id != review.id)
        )
    )
    if not others:
        return 0
    mine = _load([review.id])
    theirs = _load(others)
    index: dict[str, list[int]] = defaultdict(list)
    for rec_id, (words, _codes) in theirs.items():
        for word in words:
            index[word].append(rec_id)
    wanted: dict[tuple[int, int], tuple[float, int]] = {}
    for rec_id, (words, codes) in mine.items():
        shared_counts = Counter(other for word in words for other in index.get(word, ()))
        for other, shared in shared_counts.items():
            other_words, other_codes = theirs[other]
            score = shared / (len(words) + len(other_words) - shared)
            common_states = len(codes & other_codes)
            if common_states:
                score = min(1.0, score + SAME_STATE_BONUS)
            if score >= THRESHOLD:
                rounded = round(score, 3)
                wanted[(rec_id, other)] = (rounded, common_states)
                wanted[(other, rec_id)] = (rounded, common_states)
    mine_ids = select(Recommendation.id).where(Recommendation.review_id == review.id)
    current = {
        (link.recommendation_id, link.similar_id): (link.score, link.shared_states)
        for link in db.session.scalars(
            select(RecommendationLink).where(
                or_(
                    RecommendationLink.recommendation_id.in_(mine_ids),
                    RecommendationLink.similar_id.in_(mine_ids),
                )
            )
        )
    }
    stale = [pair for pair, value in current.items() if wanted.get(pair) != value]
    for source_id, similar_id in stale:
        db.session.execute(
            delete(RecommendationLink).where(
                RecommendationLink.recommendation_id == source_id, RecommendationLink.similar_id == similar_id
            )
        )
    fresh = [
        {"recommendation_id": a, "similar_id": b, "score": score, "shared_states": states}
        for (a, b), (score, states) in wanted.items()
        if current.get((a, b)) != (score, states)
    ]
    if fresh:
        db.session.execute(insert(RecommendationLink), fresh)
    return sum(1 for row in fresh if row["recommendation_id"] in mine)
