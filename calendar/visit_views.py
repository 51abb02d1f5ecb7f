"""The list of visits, dialogues and meetings, with cancel and uncancel (coordinators and admins)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, require_role
from crm.db import db, utcnow
from crm.models import Review
from upr_calendar.blueprint import bp
from upr_calendar.models import Event, EventKind, EventStatus
from upr_calendar.visits import list_events, set_status


def _filters() -> tuple[int | None, EventKind | None]:
    review = request.args.get("review", "")
    kind = request.args.get("kind", "")
    return (
        int(review) if review.isdigit() else None,
        EventKind(kind) if kind in {k.value for k in EventKind} else None,
    )


@bp.route("/visits")
def visits() -> str:
    review_id, kind = _filters()
    upcoming, past = list_events(utcnow(), review_id=review_id, kind=kind)
    return render_template(
        "calendar/visits.html",
        upcoming=upcoming,
        past=past,
        review_id=review_id,
        kind=kind,
        kinds=list(EventKind),
        reviews=db.session.scalars(select(Review).order_by(Review.state_code, Review.cycle)).all(),
    )


@bp.route("/events/<int:event_id>/status", methods=["POST"])
@require_role(*COORDINATOR_ROLES)
def event_status(event_id: int) -> Response:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    cancel = request.form.get("cancelled") == "1"
    set_status(event, EventStatus.CANCELLED if cancel else EventStatus.CONFIRMED)
    db.session.commit()
    flash(
        f"“{event.title}” is cancelled: subscribed calendars show it struck through."
        if cancel
        else f"“{event.title}” takes place again.",
        "success",
    )
    review_id, kind = _filters()
    return redirect(url_for("calendar.visits", review=review_id, kind=kind.value if kind else None))
