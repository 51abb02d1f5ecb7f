"""The asks page: what an organisation asked governments to recommend, and who took it up."""

from __future__ import annotations

from flask import Blueprint, abort, render_template

from crm.asks.services import asks_for_review, uptake
from crm.db import db
from crm.models import Review

bp = Blueprint("asks", __name__)


@bp.route("/reviews/<int:review_id>/asks")
def review_asks(review_id: int) -> str:
    review = db.session.get(Review, review_id)
    if review is None:
        abort(404)
    asks = [(ask, uptake(ask)) for ask in asks_for_review(review.id)]
    return render_template("asks/review.html", review=review, asks=asks)
