"""States: the list and a page per state with the recommendations it made."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from crm.asks.services import asks_sent_to
from crm.db import db
from crm.models import ImplementationStatus, Recommendation, RecommendingState, Response, Review, State

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
    """What one state recommended, review by review, with the response and the implementation status.

    A state active in every cycle has made thousands of recommendations: the page shows one summary row
    per review (counted by the database) and the recommendations themselves a page at a time.
    """
    found = db.session.get(State, code.upper())
    if found is None:
        abort(404)
    made_by_state = [RecommendingState.state_code == found.code]
    under_review = request.args.get("under_review", "").upper()
    if under_review:
        made_by_state.append(Review.state_code == under_review)
    summary = db.session.execute(
        select(
            Review,
            func.count(Recommendation.id),
            func.sum(case((Recommendation.response == Response.SUPPORTED, 1), else_=0)),
            func.sum(
                case((Recommendation.implementation_status == ImplementationStatus.IMPLEMENTED, 1), else_=0)
            ),
        )
        .join(Recommendation, Recommendation.review_id == Review.id)
        .join(RecommendingState, RecommendingState.recommendation_id == Recommendation.id)
        .where(*made_by_state)
        .group_by(Review.id)
        .order_by(Review.state_code, Review.cycle)
    ).all()
    total = sum(count for _review, count, _supported, _implemented in summary)
    page = page_number()
    by_review: dict[Review, list[Recommendation]] = {}
    recommendations = db.session.scalars(
        select(Recommendation)
        .join(RecommendingState, RecommendingState.recommendation_id == Recommendation.id)
        .join(Review, Review.id == Recommendation.review_id)
        .where(*made_by_state)
        .options(
            selectinload(Recommendation.review),
            selectinload(Recommendation.recommending).selectinload(RecommendingState.state),
            selectinload(Recommendation.themes),
        )
        .order_by(Review.state_code, Review.cycle, Recommendation.sort_key, Recommendation.id)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    )
    for rec in recommendations:
        by_review.setdefault(rec.review, []).append(rec)
    targets = db.session.execute(
        select(Review.state_code, State.name)
        .join(State, State.code == Review.state_code)
        .where(
            select(RecommendingState.recommendation_id)
            .join(Recommendation, Recommendation.id == RecommendingState.recommendation_id)
            .where(Recommendation.review_id == Review.id, RecommendingState.state_code == found.code)
            .exists()
        )
        .distinct()
        .order_by(State.name)
    ).all()
    return render_template(
        "crm/state.html",
        state=found,
        summary=summary,
        total=total,
        page=page,
        page_size=PAGE_SIZE,
        by_review=by_review,
        targets=targets,
        under_review=under_review,
        asks=asks_sent_to(found.code),
    )
