"""Sensitive dates (anniversaries, holidays) that a meeting planned nearby is warned about."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, url_for
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, require_role
from crm.db import db
from upr_calendar.forms import SensitiveDateForm
from upr_calendar.items import CalendarError
from upr_calendar.sensitive_dates import add_sensitive_date, list_sensitive_dates
from upr_calendar.translate import _
from upr_calendar.views.blueprint import bp
from upr_calendar.visits import parse_day


@bp.route("/sensitive", methods=["GET", "POST"])
@require_role(*COORDINATOR_ROLES)
def sensitive() -> str | Response:
    form = SensitiveDateForm()
    error = None
    if form.validate_on_submit():
        try:
            code = (form.state_code.data or "").strip().upper() or None
            add_sensitive_date(
                parse_day(form.day.data), form.label.data, yearly=form.yearly.data, state_code=code
            )
            db.session.flush()
        except (CalendarError, ValueError) as problem:
            db.session.rollback()
            error = str(problem)
        else:
            db.session.commit()
            flash(
                _("Sensitive date added: meetings planned within three days of it will be flagged."),
                "success",
            )
            return redirect(url_for("calendar.sensitive"))
    return render_template(
        "calendar/sensitive.html",
        form=form,
        error=error,
        dates=list_sensitive_dates(),
        near_days=timedelta(days=3).days,
    )
