"""Linking recommendations that ask much the same thing of one State in different cycles.

Recommending states are asked to repeat what was not implemented, "as previously recommended"; officers
need to see that Sweden asked China to ratify the ICCPR in 2013, 2018 and 2024. Two recommendations are
linked when the share of meaningful words they have in common (Jaccard similarity of their stemmed word
sets) reaches ``THRESHOLD``; having a recommending state in common adds ``SAME_STATE_BONUS``, because a
state repeating itself is the strongest sign of a follow-up.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterator

from sqlalchemy import delete, insert, or_, select

from crm.db import db
from crm.models import Recommendation, RecommendingState, Review
from crm.recommendations.models import RecommendationLink
from crm.recommendations.signatures import signature

THRESHOLD = 0.5
SAME_STATE_BONUS = 0.1


Loaded = dict[int, tuple[frozenset[str], set[str]]]


def _load(review_ids: list[int]) -> Loaded:
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


def _similar_pairs(mine: Loaded, theirs: Loaded) -> Iterator[tuple[int, int, float, int]]:
    """Pairs whose score reaches ``THRESHOLD``, found by prefix filtering rather than by trying them all.

    With the words of every set in one order, rarest first, two sets whose Jaccard similarity reaches
    ``t`` share a word among the first ``len - ceil(t * len) + 1`` of each (the standard filter of
    set-similarity joins). Indexing and probing those prefixes only leaves out the common words that
    would make every recommendation a candidate for every other one; each candidate's score is then
    computed exactly. ``t`` is the threshold less the shared-state bonus, the lowest score that can
    still reach it.
    """
    lowest = THRESHOLD - SAME_STATE_BONUS
    frequency = Counter(word for words, _codes in (*mine.values(), *theirs.values()) for word in words)

    def prefix(words: frozenset[str]) -> list[str]:
        ordered = sorted(words, key=lambda word: (frequency[word], word))
        return ordered[: len(ordered) - math.ceil(lowest * len(ordered)) + 1]

    index: dict[str, list[int]] = defaultdict(list)
    for rec_id, (words, _codes) in theirs.items():
        for word in prefix(words):
            index[word].append(rec_id)
    for rec_id, (words, codes) in mine.items():
        if not words:
            continue
        candidates = {other for word in prefix(words) for other in index.get(word, ())}
        for other in candidates:
            other_words, other_codes = theirs[other]
            shared = len(words & other_words)
            score = shared / (len(words) + len(other_words) - shared)
            common_states = len(codes & other_codes)
            if common_states:
                score = min(1.0, score + SAME_STATE_BONUS)
            if score >= THRESHOLD:
                yield rec_id, other, score, common_states


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
    wanted: dict[tuple[int, int], tuple[float, int]] = {}
    for rec_id, other, score, common_states in _similar_pairs(mine, theirs):
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
