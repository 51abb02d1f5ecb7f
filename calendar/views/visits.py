"""Visits, dialogues and meetings: planning one, its page (reminders, briefing, what was logged after it),
the list, cancelling."""

from __future__ import annotations

from datetime import time

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm import dates
from crm.auth.access import COORDINATOR_ROLES, EDITOR_ROLES, require_role
from crm.contacts.interactions import interactions_following
from crm.contacts.models import Contact, Interaction, Organisation
from crm.contacts.origins import register_origin
from crm.contacts.privacy import may_see_contact, visible_contacts_clause
from crm.contacts.references import register_contact_references
from crm.db import db, utcnow
from crm.i18n import current_language
from crm.models import Review
from crm.state_names import display_name
from crm.teams.models import Team
from upr_calendar.forms import EventForm
from upr_calendar.items import CalendarError
from upr_calendar.models import Event, EventKind, EventStatus
from upr_calendar.sensitive_dates import sensitive_near
from upr_calendar.translate import _
from upr_calendar.views.blueprint import bp
from upr_calendar.visits import (
    ORIGIN_PREFIX,
    VISIT_REFERENCES,
    briefing_day,
    event_as_origin,
    event_origin,
    list_events,
    local_instant,
    parse_day,
    planned_reminders,
    save_event,
    set_status,
)


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise CalendarError(
            _("%(text)s is not a time: write it as HH:MM, for example 14:30.", text=repr(text))
        ) from None


def _fill_event_choices(form: EventForm, found: Event | None) -> None:
    reviews = db.session.scalars(select(Review).order_by(Review.state_code, Review.cycle))
    language = current_language()
    form.review_id.choices = [(0, _("No review"))] + [
        (r.id, f"{display_name(r.state_code, language, r.state.name)} — {r.code}") for r in reviews
    ]
    teams = db.session.scalars(
        select(Team)
        .where(Team.archived_at.is_(None) | (Team.id == (found.team_id if found else None)))
        .order_by(Team.name)
    )
    form.team_id.choices = [(0, _("No team"))] + [(t.id, t.name) for t in teams]
    organisations = db.session.scalars(
        select(Organisation)
        .where(
            Organisation.archived_at.is_(None)
            | (Organisation.id == (found.organisation_id if found else None))
        )
        .order_by(Organisation.name)
    )
    form.organisation_id.choices = [(0, _("No organisation"))] + [(o.id, o.name) for o in organisations]
    people = db.session.scalars(
        select(Contact)
        .where(Contact.archived_at.is_(None), visible_contacts_clause(current_user))
        .order_by(Contact.full_name)
    )
    form.contact_ids.choices = [(c.id, f"{c.full_name} ({c.organisation.name})") for c in people]


def _chosen_contacts(form: EventForm, found: Event | None) -> list[Contact]:
    """The people chosen, plus those already on the visit whom this user may not see (they stay on it)."""
    visible = {choice for choice, _label in form.contact_ids.choices}
    chosen = [db.session.get(Contact, cid) for cid in form.contact_ids.data or [] if cid in visible]
    hidden = [c for c in (found.contacts if found else []) if not may_see_contact(current_user, c)]
    return [c for c in chosen if c is not None] + hidden


def _logged_after(found: Event) -> list[tuple[Interaction, list[Contact]]]:
    """The interactions logged after the visit with the people in them this user may see; one only with
    protected people this user may not see is left out, as it is from every contact's page."""
    logged = []
    for interaction in interactions_following(event_origin(found.id)):
        seen = [c for c in interaction.contacts if may_see_contact(current_user, c)]
        if seen or not interaction.contacts:
            logged.append((interaction, seen))
    return logged


@bp.route("/events/<int:event_id>")
def event(event_id: int) -> str:
    """A visit or meeting: when, with whom, the reminders and briefing it plans, what was logged after it."""
    found = db.session.get(Event, event_id) or abort(404)
    return render_template(
        "calendar/event_page.html",
        event=found,
        people=[c for c in found.contacts if may_see_contact(current_user, c)],
        hidden_people=sum(not may_see_contact(current_user, c) for c in found.contacts),
        reminders=planned_reminders(found),
        briefing_on=briefing_day(found),
        today=dates.today(),
        logged=_logged_after(found),
        may_edit=current_user.role in COORDINATOR_ROLES,
        may_log=current_user.role in EDITOR_ROLES,
    )


@bp.route("/events/new", methods=["GET", "POST"], endpoint="new_event")
@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@require_role(*COORDINATOR_ROLES)
def edit_event(event_id: int | None = None) -> str | Response:
    found = db.session.get(Event, event_id) if event_id is not None else None
    if event_id is not None and found is None:
        abort(404)
    form = EventForm(obj=None)
    _fill_event_choices(form, found)
    if found is not None and not form.is_submitted():
        zone = dates.zone(found.timezone)
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
            organisation_id=found.organisation_id or 0,
            contact_ids=[c.id for c in found.contacts if may_see_contact(current_user, c)],
            cancelled=found.status is EventStatus.CANCELLED,
        )
        _fill_event_choices(form, found)
    error = None
    if form.validate_on_submit():
        try:
            zone = dates.zone(form.timezone.data)
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
                organisation_id=form.organisation_id.data or None,
                contacts=_chosen_contacts(form, found),
            )
            set_status(saved, EventStatus.CANCELLED if form.cancelled.data else EventStatus.CONFIRMED)
        except (CalendarError, dates.UnknownZone) as problem:
            db.session.rollback()
            error = str(problem)
        else:
            db.session.commit()
            for warning in sensitive_near(day, end_day, saved.review.state_code if saved.review else None):
                flash(_("Planned near a sensitive date — %(date)s.", date=warning), "warning")
            flash(
                _("Saved “%(title)s”: the reminders and the briefing it plans are below.", title=saved.title),
                "success",
            )
            return redirect(url_for("calendar.event", event_id=saved.id))
    return render_template("calendar/event.html", form=form, event=found, error=error)


@bp.record_once
def _link_visits_to_contacts(state: BlueprintSetupState) -> None:
    # The interaction logged after a visit links back to it; merging contacts moves a visit's people.
    register_origin(state.app, ORIGIN_PREFIX, event_as_origin)
    register_contact_references(state.app, VISIT_REFERENCES)


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
    if cancel:
        message = _(
            "“%(title)s” is cancelled: subscribed calendars show it struck through.", title=event.title
        )
    else:
        message = _("“%(title)s” takes place again.", title=event.title)
    flash(message, "success")
    review_id, kind = _filters()
    return redirect(url_for("calendar.visits", review=review_id, kind=kind.value if kind else None))
