"""Lists of states, recommendations and contacts."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from crm.db import db
from crm.models import Contact, Organisation, Recommendation, RecommendingState, Response, Review, State
from crm.services import list_reviews

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


@bp.route("/recommendations")
def recommendations() -> str:
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
        "crm/recommendations.html",
        items=items,
        total=total,
        page=page,
        page_size=PAGE_SIZE,
        reviews=list_reviews(),
        responses=list(Response),
        selected_review=review_id,
        selected_response=response,
    )


@bp.route("/contacts")
def contacts() -> str:
    query = (
        select(Contact).join(Organisation).where(Contact.archived_at.is_(None)).order_by(Contact.full_name)
    )
    visible = [c for c in db.session.scalars(query) if may_see_contact(c)]
    return render_template("crm/contacts.html", contacts=visible)


def may_see_contact(contact: Contact) -> bool:
    """At-risk people are visible only to admins and to officers of the team that holds them."""
    if not contact.is_at_risk:
        return True
    if current_user.role.value == "admin":
        return True
    return contact.owner_team_id is not None and contact.owner_team_id in current_user.team_ids
