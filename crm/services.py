"""Reviews and the questions every page asks of them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.db import db
from crm.models import Recommendation, RecommendingState, Response, Review, State

REVIEW_CODE = re.compile(r"^\s*([A-Za-z]{3})[-\s]?(\d{1,2})\s*$")


class ReviewNotFound(LookupError):
    pass


@dataclass(frozen=True)
class ReviewCode:
    state_code: str
    cycle: int

    @classmethod
    def parse(cls, code: str) -> ReviewCode:
        """Parse ``CHN-3`` (State-under-Review's alpha-3 code and the cycle number)."""
        match = REVIEW_CODE.match(code)
        if not match:
            raise ValueError(
                f"{code!r} is not a review code: write the State-under-Review's alpha-3 code and the "
                "cycle, e.g. CHN-3."
            )
        return cls(match.group(1).upper(), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.state_code}-{self.cycle}"


def find_review(code: str) -> Review | None:
    parsed = ReviewCode.parse(code)
    return db.session.scalar(
        select(Review).where(Review.state_code == parsed.state_code, Review.cycle == parsed.cycle)
    )


def get_review(code: str) -> Review:
    review = find_review(code)
    if review is None:
        known = ", ".join(r.code for r in list_reviews()) or "none yet"
        raise ReviewNotFound(f"There is no review {code}. Known reviews: {known}.")
    return review


def get_or_create_review(code: str) -> Review:
    """The review named ``code``, staged as new when it does not exist (its state must exist)."""
    review = find_review(code)
    if review is not None:
        return review
    parsed = ReviewCode.parse(code)
    if db.session.get(State, parsed.state_code) is None:
        raise ReviewNotFound(f"{parsed.state_code} is not the alpha-3 code of a UN member or observer state.")
    review = Review(state_code=parsed.state_code, cycle=parsed.cycle)
    db.session.add(review)
    db.session.flush()
    return review


def list_reviews() -> list[Review]:
    return list(db.session.scalars(select(Review).order_by(Review.state_code, Review.cycle)))


def response_counts(review_id: int | None = None) -> dict[Response, int]:
    query = select(Recommendation.response, func.count()).group_by(Recommendation.response)
    if review_id is not None:
        query = query.where(Recommendation.review_id == review_id)
    counts = dict.fromkeys(Response, 0)
    counts.update({response: count for response, count in db.session.execute(query).all()})
    return counts


def recommendations_by_regional_group(review_id: int | None = None) -> dict[str, int]:
    """How many recommendations states of each UN regional group made (a joint one counts for each group)."""
    query = (
        select(State.regional_group, func.count(func.distinct(RecommendingState.recommendation_id)))
        .join(State, State.code == RecommendingState.state_code)
        .join(Recommendation, Recommendation.id == RecommendingState.recommendation_id)
        .group_by(State.regional_group)
    )
    if review_id is not None:
        query = query.where(Recommendation.review_id == review_id)
    return {(group.value if group else "No group"): count for group, count in db.session.execute(query).all()}


def recommending_state_count(review_id: int) -> int:
    query = (
        select(func.count(func.distinct(RecommendingState.state_code)))
        .join(Recommendation, Recommendation.id == RecommendingState.recommendation_id)
        .where(Recommendation.review_id == review_id)
    )
    return db.session.scalar(query) or 0


def recommendations_by_state(review_id: int, state_code: str) -> list[Recommendation]:
    """What one state recommended in one review (alone or jointly), in the report's order."""
    query = (
        select(Recommendation)
        .join(RecommendingState, RecommendingState.recommendation_id == Recommendation.id)
        .where(Recommendation.review_id == review_id, RecommendingState.state_code == state_code)
        .options(selectinload(Recommendation.recommending), selectinload(Recommendation.themes))
        .order_by(Recommendation.sort_key)
    )
    return list(db.session.scalars(query))
