"""Entering a review's official dates, which replace the derived estimates."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, require_role
from crm.db import db
from crm.models import Review
from upr_calendar.deadlines import set_official_date
from upr_calendar.forms import OfficialDateForm
from upr_calendar.items import CalendarError
from upr_calendar.models import DeadlineKind
from upr_calendar.translate import _
from upr_calendar.views.blueprint import bp
from upr_calendar.visits import parse_day


@bp.route("/reviews/<int:review_id>/official", methods=["POST"])
@require_role(*COORDINATOR_ROLES)
def official_date(review_id: int) -> str | Response:
    review = db.session.get(Review, review_id)
    if review is None:
        abort(404)
    form = OfficialDateForm()
    if not form.validate_on_submit():
        abort(400)
    kind = DeadlineKind(form.kind.data)
    # An empty date is a mistake, not a removal: removing takes its own confirmed button.
    remove = request.form.get("remove") == "1"
    try:
        if remove:
            on = None
        elif not (form.day.data or "").strip():
            raise CalendarError(
                _(
                    "Give the official date of the %(deadline)s (YYYY-MM-DD). To go back to the derived "
                    "date, use “Remove the official date” beside it.",
                    deadline=kind.in_sentence,
                )
            )
        else:
            on = parse_day(form.day.data)
        set_official_date(review, kind, on, form.source.data or "")
    except CalendarError as problem:
        db.session.rollback()
        flash(str(problem), "error")
    else:
        db.session.commit()
        if on:
            flash(_("Official date of the %(deadline)s saved.", deadline=kind.in_sentence), "success")
        else:
            message = _(
                "Official date of the %(deadline)s removed; the derived date applies again.",
                deadline=kind.in_sentence,
            )
            flash(message, "success")
    return redirect(url_for("calendar.review", review_id=review.id))
