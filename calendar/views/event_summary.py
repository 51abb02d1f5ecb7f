"""A visit or meeting as everyone reads it; coordinators edit it on the event form (``visits.py``)."""

from __future__ import annotations

from flask import abort, render_template
from flask_login import current_user

from crm.auth.access import COORDINATOR_ROLES
from crm.db import db
from upr_calendar.models import Event
from upr_calendar.views.blueprint import bp


@bp.route("/events/<int:event_id>/summary")
def event_summary(event_id: int) -> str:
    event = db.session.get(Event, event_id)
    if event is None:
        abort(404)
    return render_template(
        "calendar/event_summary.html", event=event, may_edit=current_user.role in COORDINATOR_ROLES
    )
