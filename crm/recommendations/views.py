"""Browsing recommendations."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy import func, select

from crm.db import db
from crm.models import Recommendation, Response, Review
from crm.services import list_reviews
from crm.views import PAGE_SIZE, page_number

bp = Blueprint("recommendations", __name__)


@bp.route("/recommendations")
def index() -> str:
    query = select(Recommendation).join(Review)
    review_id = request.args.get("review", type=int)
    if review_id:
        query = query.where(Recommendation.review_id == review_id)
    response = request.args.get("response", "")
    if response in {r.value for r in Response}:
        query = query.where(Recommendation.response == Response(response))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = page_number()
    items = db.session.scalars(
        query.order_by(Review.state_code, Review.cycle, Recommendation.sort_key)
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template(
        "recommendations/index.html",
        items=items,
        total=total,
        page=page,
        page_size=PAGE_SIZE,
        reviews=list_reviews(),
        responses=list(Response),
        selected_review=review_id,
        selected_response=response,
    )
