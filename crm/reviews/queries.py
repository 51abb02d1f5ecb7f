"""What the dashboard and the pages count about reviews: responses, regional groups, recommending states."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.db import db
from crm.models import Recommendation, RecommendingState, Response, State


def response_counts(review_id: int | None = None) -> dict[Response, int]:
    query = select(Recommendation.response, func.count()).group_by(Recommendation.response)
    if review_id is not None:
        query = query.where(Recommendation.review_id == review_id)
    counts = dict.fromkeys(Response, 0)
    counts.update({response: count for response, count in db.session.execute(query).all()})
    return counts


def recommendations_by_regional_group(review_id: int | None = None) -> dict[str, int]:
    """How many recommendations states of each UN regional group made (a joint one counts for each group),
    by the group's name in the reader's language."""
    query = (
        select(State.regional_group, func.count(func.distinct(RecommendingState.recommendation_id)))
        .join(State, State.code == RecommendingState.state_code)
        .join(Recommendation, Recommendation.id == RecommendingState.recommendation_id)
        .group_by(State.regional_group)
    )
    if review_id is not None:
        query = query.where(Recommendation.review_id == review_id)
    return {
        (str(group.label) if group else _("No group")): count
        for group, count in db.session.execute(query).all()
    }


def recommending_state_count(review_id: int) -> int:
    query = (
        select(func.count(func.distinct(RecommendingState.state_code)))
        .join(Recommendation, Recommendation.id == RecommendingState.recommendation_id)
        .where(Recommendation.review_id == review_id)
    )
    return db.session.scalar(query) or 0
