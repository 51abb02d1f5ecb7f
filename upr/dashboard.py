"""The first screen after sign-in: reviews, responses and where recommendations came from."""

from __future__ import annotations

from flask import Blueprint, render_template

from crm.services import (
    list_reviews,
    recommendations_by_regional_group,
    recommending_state_count,
    response_counts,
)

bp = Blueprint("dashboard", __name__)


@bp.route("/dashboard")
def index() -> str:
    reviews = list_reviews()
    summaries = [
        {
            "review": review,
            "responses": response_counts(review.id),
            "by_group": recommendations_by_regional_group(review.id),
            "states": recommending_state_count(review.id),
        }
        for review in reviews
    ]
    return render_template("dashboard.html", summaries=summaries)
