"""States: the list and a page per state with the recommendations it made."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from sqlalchemy import func, select

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
    found = db.session.get(State, code.upper())
    if found is None:
        abort(404)
    recommendations = db.session.scalars(
        select(Recommendation)
        .join(RecommendingState)
        .where(RecommendingState.state_code == found.code)
        .join(Review)
        .order_by(Review.cycle, Recommendation.sort_key)
    ).all()
    return render_template("crm/state.html", state=found, recommendations=recommendations)
