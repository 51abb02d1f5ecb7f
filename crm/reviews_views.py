"""Editing a review's known dates (coordinators and admins): the dates every derived deadline hangs on.

The page parses the form into ``ReviewChanges`` (every bad field gets its own message), ``update_review``
stages the change and the view commits; the calendar derives its deadlines from these columns, so they move
on the next read, and ``Review.updated_at`` raises their iCal SEQUENCE.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, require_role
from crm.dates import DateError, parse_day
from crm.db import db
from crm.forms import ReviewForm
from crm.models import Review
from crm.services import ReviewChanges, ReviewEditError, find_review, update_review
from crm.teams.models import Team

bp = Blueprint("reviews", __name__, url_prefix="/reviews")
T = TypeVar("T")


def _positive(label: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        if not value.isdigit() or int(value) == 0:
            raise DateError(f"{label} must be a positive whole number, for example 45; {value!r} is not.")
        return int(value)

    return parse


def _read(form: ReviewForm, name: str, parse: Callable[[str], T], errors: dict[str, str]) -> T | None:
    """A field's value, ``None`` when empty; a value that cannot be read is noted in ``errors``."""
    text = (getattr(form, name).data or "").strip()
    if not text:
        return None
    try:
        return parse(text)
    except DateError as problem:
        errors[name] = str(problem)
        return None


def parse_changes(form: ReviewForm) -> ReviewChanges:
    """The form's values, or ``ReviewEditError`` naming every field that cannot be read."""
    errors: dict[str, str] = {}
    changes = ReviewChanges(
        session=_read(form, "session", _positive("The Working Group session"), errors),
        review_date=_read(form, "review_date", parse_day, errors),
        outcome_session=_read(form, "outcome_session", _positive("The HRC session"), errors),
        outcome_adopted_on=_read(form, "outcome_adopted_on", parse_day, errors),
        team_id=form.team_id.data or None,
        notes=(form.notes.data or "").strip(),
    )
    if errors:
        raise ReviewEditError(errors)
    return changes


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
    form.team_id.choices = [(0, "— no team —")] + [
        (team.id, team.name) for team in db.session.scalars(select(Team).order_by(Team.name))
    ]
    return form


@bp.route("/<code>/edit", methods=["GET", "POST"])
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
                f"Saved {review.code}: its derived deadlines follow the new dates."
                if changed
                else f"Nothing changed in {review.code}.",
                "success",
            )
            return redirect(url_for("reviews.edit", code=review.code))
    return render_template("reviews/edit.html", review=review, form=form)
