"""Treaty bodies of a state: ratifications and dates entered by coordinators, and derived NGO deadlines."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, require_role
from crm.db import db
from crm.models import State
from upr_calendar.forms import RatificationForm, TreatyDateForm
from upr_calendar.items import CalendarError
from upr_calendar.models import DeadlineKind, Treaty, TreatyEvent
from upr_calendar.translate import _
from upr_calendar.treaties import (
    FuzzyDate,
    derived_ngo_deadlines,
    ratifications,
    set_ratification,
    upsert_treaty_event,
)
from upr_calendar.views.blueprint import bp


def _state(code: str) -> State:
    state = db.session.get(State, code.upper())
    if state is None:
        abort(404)
    return state


@bp.route("/treaties/<code>")
def treaties(code: str) -> str:
    state = _state(code)
    events = db.session.scalars(
        select(TreatyEvent).where(TreatyEvent.state_code == state.code).order_by(TreatyEvent.on)
    ).all()
    may_edit = current_user.role in COORDINATOR_ROLES
    return render_template(
        "calendar/treaties.html",
        state=state,
        ratifications=ratifications(state.code),
        events=events,
        derived=derived_ngo_deadlines(list(events)),
        date_form=TreatyDateForm() if may_edit else None,
        ratification_form=RatificationForm() if may_edit else None,
    )


@bp.route("/treaties/<code>/dates", methods=["POST"])
@require_role(*COORDINATOR_ROLES)
def treaty_date(code: str) -> Response:
    state = _state(code)
    form = TreatyDateForm()
    if not form.validate_on_submit():
        flash(_("Give the treaty, what the date is for and the date."), "error")
        return redirect(url_for("calendar.treaties", code=state.code))
    try:
        changed = upsert_treaty_event(
            state.code,
            Treaty(form.treaty.data),
            DeadlineKind(form.kind.data),
            FuzzyDate.parse(form.day.data),
            label=(form.label.data or "").strip(),
            source=(form.source.data or "").strip(),
        )
    except CalendarError as problem:
        db.session.rollback()
        flash(str(problem), "error")
    else:
        db.session.commit()
        flash(_("Date saved; subscribed calendars follow.") if changed else _("Nothing changed."), "success")
    return redirect(url_for("calendar.treaties", code=state.code))


@bp.route("/treaties/<code>/dates/<int:event_id>/delete", methods=["POST"])
@require_role(*COORDINATOR_ROLES)
def delete_treaty_date(code: str, event_id: int) -> Response:
    state = _state(code)
    event = db.session.get(TreatyEvent, event_id)
    if event is None or event.state_code != state.code:
        abort(404)
    db.session.delete(event)
    db.session.commit()
    flash(_("Date removed."), "success")
    return redirect(url_for("calendar.treaties", code=state.code))


@bp.route("/treaties/<code>/ratifications", methods=["POST"])
@require_role(*COORDINATOR_ROLES)
def ratification(code: str) -> Response:
    state = _state(code)
    form = RatificationForm()
    if form.validate_on_submit():
        set_ratification(
            state.code, Treaty(form.party_to.data), form.ratified.data == "yes", form.note.data or ""
        )
        db.session.commit()
        flash(_("Ratification saved."), "success")
    else:
        flash(_("Choose the treaty and whether it is ratified."), "error")
    return redirect(url_for("calendar.treaties", code=state.code))
