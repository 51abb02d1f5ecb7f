"""States: the list and a page per state with the recommendations it made."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.asks.services import asks_sent_to
from crm.db import db
from crm.models import Recommendation, RecommendingState, Review, State

bp = Blueprint("crm", __name__)

PAGE_SIZE = 50


def page_number() -> int:
    value = request.args.get("page", "1")
    return max(1, int(value)) if value.isdigit() else 1


@bp.route("/states")
def states() -> str:
    made = (
        select(RecommendingState.state_code, func.count().label("made"))
        .group_by(RecommendingState.state_code)
        .subquery()
    )
    rows = db.session.execute(
        select(State, func.coalesce(made.c.made, 0))
        .outerjoin(made, made.c.state_code == State.code)
        .order_by(State.name)
    ).all()
    return render_template("crm/states.html", rows=rows)


@bp.route("/states/<code>")
def state(code: str) -> str:
    """What one state recommended, review by review, with the response and the implementation status."""
    found = db.session.get(State, code.upper())
    if found is None:
        abort(404)
    query = (
        select(Recommendation)
        .join(RecommendingState, RecommendingState.recommendation_id == Recommendation.id)
        .join(Review, Review.id == Recommendation.review_id)
        .where(RecommendingState.state_code == found.code)
        .options(
            selectinload(Recommendation.review),
            selectinload(Recommendation.recommending).selectinload(RecommendingState.state),
            selectinload(Recommendation.themes),
        )
        .order_by(Review.state_code, Review.cycle, Recommendation.sort_key)
    )
    under_review = request.args.get("under_review", "").upper()
    if under_review:
        query = query.where(Review.state_code == under_review)
    by_review: dict[Review, list[Recommendation]] = {}
    for rec in db.session.scalars(query):
        by_review.setdefault(rec.review, []).append(rec)
    targets = db.session.execute(
        select(Review.state_code, State.name)
        .join(State, State.code == Review.state_code)
        .join(Recommendation, Recommendation.review_id == Review.id)
        .join(RecommendingState, RecommendingState.recommendation_id == Recommendation.id)
        .where(RecommendingState.state_code == found.code)
        .distinct()
        .order_by(State.name)
    ).all()
    return render_template(
        "crm/state.html",
        state=found,
        by_review=by_review,
        targets=targets,
        under_review=under_review,
        asks=asks_sent_to(found.code),
    )
