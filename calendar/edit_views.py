"""Forms that change the calendar: visits, official dates and sensitive dates (coordinators and admins)."""

from __future__ import annotations

from datetime import time, timedelta

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, require_role
from crm.db import db
from crm.models import Review
from crm.teams.models import Team
from upr_calendar.blueprint import bp
from upr_calendar.deadlines import set_official_date
from upr_calendar.forms import EventForm, OfficialDateForm, SensitiveDateForm
from upr_calendar.items import CalendarError
from upr_calendar.models import DeadlineKind, Event, EventKind, EventStatus
from upr_calendar.sensitive_dates import add_sensitive_date, list_sensitive_dates, sensitive_near
from upr_calendar.visits import local_instant, parse_day, save_event, set_status, zone_named


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise CalendarError(f"{text!r} is not a time: write it as HH:MM, for example 14:30.") from None


def _fill_event_choices(form: EventForm) -> None:
    form.review_id.choices = [(0, "—")] + [
        (r.id, r.code) for r in db.session.scalars(select(Review).order_by(Review.state_code, Review.cycle))
    ]
    form.team_id.choices = [(0, "—")] + [
        (t.id, t.name) for t in db.session.scalars(select(Team).order_by(Team.name))
    ]


@bp.route("/events/new", methods=["GET", "POST"], endpoint="new_event")
@bp.route("/events/<int:event_id>", methods=["GET", "POST"])
@require_role(*COORDINATOR_ROLES)
def event(event_id: int | None = None) -> str | Response:
    found = db.session.get(Event, event_id) if event_id is not None else None
    if event_id is not None and found is None:
        abort(404)
    form = EventForm(obj=None)
    _fill_event_choices(form)
    if found is not None and not form.is_submitted():
        zone = zone_named(found.timezone)
        start, end = found.starts_at.astimezone(zone), found.ends_at.astimezone(zone)
        form.process(
            kind=found.kind.value,
            title=found.title,
            day=start.date().isoformat(),
            start_time=f"{start:%H:%M}",
            end_day=end.date().isoformat(),
            end_time=f"{end:%H:%M}",
            timezone=found.timezone,
            location=found.location,
            description=found.description,
            briefing_days_before=found.briefing_days_before,
            review_id=found.review_id or 0,
            team_id=found.team_id or 0,
            cancelled=found.status is EventStatus.CANCELLED,
        )
        _fill_event_choices(form)
    error = None
    if form.validate_on_submit():
        try:
            zone = zone_named(form.timezone.data)
            day = parse_day(form.day.data)
            end_day = parse_day(form.end_day.data) if form.end_day.data else day
            starts_at = local_instant(day, _clock(form.start_time.data), zone)
            ends_at = local_instant(end_day, _clock(form.end_time.data), zone)
            saved = save_event(
                found,
                kind=EventKind(form.kind.data),
                title=form.title.data,
                starts_at=starts_at,
                ends_at=ends_at,
                timezone=zone.key,
                description=form.description.data or "",
                location=form.location.data or "",
                briefing_days_before=form.briefing_days_before.data,
                review_id=form.review_id.data or None,
                team_id=form.team_id.data or None,
                owner_id=found.owner_id if found else current_user.id,
            )
            set_status(saved, EventStatus.CANCELLED if form.cancelled.data else EventStatus.CONFIRMED)
        except CalendarError as problem:
            db.session.rollback()
            error = str(problem)
        else:
            db.session.commit()
            for warning in sensitive_near(day, end_day, saved.review.state_code if saved.review else None):
                flash(f"Planned near a sensitive date — {warning}.", "warning")
            flash(f"Saved “{saved.title}”.", "success")
            return redirect(url_for("calendar.event", event_id=saved.id))
    return render_template("calendar/event.html", form=form, event=found, error=error)


@bp.route("/reviews/<int:review_id>/official", methods=["POST"])
@require_role(*COORDINATOR_ROLES)
def official_date(review_id: int) -> str | Response:
    review = db.session.get(Review, review_id)
    if review is None:
        abort(404)
    form = OfficialDateForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        on = parse_day(form.day.data) if form.day.data else None
        set_official_date(review, DeadlineKind(form.kind.data), on, form.source.data or "")
    except CalendarError as problem:
        db.session.rollback()
        flash(str(problem), "error")
    else:
        db.session.commit()
        flash(
            "Official date saved." if on else "Official date removed; the derived date applies again.",
            "success",
        )
    return redirect(url_for("calendar.review", review_id=review.id))


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
                "Sensitive date added: meetings planned within three days of it will be flagged.", "success"
            )
            return redirect(url_for("calendar.sensitive"))
    return render_template(
        "calendar/sensitive.html",
        form=form,
        error=error,
        dates=list_sensitive_dates(),
        near_days=timedelta(days=3).days,
    )
