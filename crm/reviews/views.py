"""States and reviews: the list of states, a page per state with what it recommended, and a review's dates."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from crm.asks.services import asks_sent_to
from crm.auth.access import COORDINATOR_ROLES, require_role
from crm.db import db
from crm.models import ImplementationStatus, Recommendation, RecommendingState, Review, State
from crm.models import Response as Position
from crm.reviews.forms import ReviewForm, parse_changes
from crm.reviews.services import (
    ReviewEditError,
    by_shown_name,
    find_review,
    name_order,
    shown_name,
    update_review,
)
from crm.teams.models import Team
from crm.web import PAGE_SIZE, page_number

bp = Blueprint("reviews", __name__)


@bp.app_template_filter("state_name")
def state_name_filter(state: State | str | None) -> str:
    """A state's name in the reader's language, for a State or its alpha-3 code
    (``{{ review.state|state_name }}``, ``{{ codes|map('state_name')|join(', ') }}``): people read "Suède" or
    "瑞典", not "SWE"."""
    if state is None or state == "":
        return ""
    if isinstance(state, str):
        found = db.session.get(State, state)
        if found is None:
            return state
        state = found
    return shown_name(state)


@bp.route("/states")
def states() -> str:
    made = (
        select(RecommendingState.state_code, func.count().label("made"))
        .group_by(RecommendingState.state_code)
        .subquery()
    )
    rows = db.session.execute(
        select(State, func.coalesce(made.c.made, 0)).outerjoin(made, made.c.state_code == State.code)
    ).all()
    # In the order of the names the reader sees: "Allemagne" comes first in French, "Germany" in English.
    rows = sorted(rows, key=lambda row: name_order(shown_name(row[0])))
    return render_template("reviews/states.html", rows=rows)


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
            func.sum(case((Recommendation.response == Position.SUPPORTED, 1), else_=0)),
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
    under_review_states = db.session.scalars(
        select(State)
        .join(Review, State.code == Review.state_code)
        .where(
            select(RecommendingState.recommendation_id)
            .join(Recommendation, Recommendation.id == RecommendingState.recommendation_id)
            .where(Recommendation.review_id == Review.id, RecommendingState.state_code == found.code)
            .exists()
        )
        .distinct()
    )
    targets = [(target.code, shown_name(target)) for target in by_shown_name(under_review_states)]
    return render_template(
        "reviews/state.html",
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


def _form_for(review: Review) -> ReviewForm:
    form = ReviewForm()
    if not form.is_submitted():
        form = ReviewForm(
            formdata=None,
            session=str(review.session or ""),
            review_date=review.review_date.isoformat() if review.review_date else "",
            outcome_session=str(review.outcome_session or ""),
            outcome_adopted_on=review.outcome_adopted_on.isoformat() if review.outcome_adopted_on else "",
            team_id=review.team_id or 0,
            notes=review.notes,
        )
    form.team_id.choices = [(0, _("— no team —"))] + [
        (team.id, team.name) for team in db.session.scalars(select(Team).order_by(Team.name))
    ]
    return form


@bp.route("/reviews/<code>/edit", methods=["GET", "POST"])
@require_role(*COORDINATOR_ROLES)
def edit(code: str) -> str | Response:
    try:
        review = find_review(code)
    except ValueError:
        review = None
    if review is None:
        abort(404)
    form = _form_for(review)
    if form.validate_on_submit():
        try:
            changed = update_review(review, parse_changes(form))
        except ReviewEditError as problem:
            db.session.rollback()
            for name, message in problem.errors.items():
                getattr(form, name).errors.append(message)
        else:
            db.session.commit()
            flash(
                _("Saved %(review)s: its derived deadlines follow the new dates.", review=review.code)
                if changed
                else _("Nothing changed in %(review)s.", review=review.code),
                "success",
            )
            return redirect(url_for("reviews.edit", code=review.code))
    return render_template("reviews/edit.html", review=review, form=form)
