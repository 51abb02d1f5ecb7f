"""Who to brief, the interaction log, coverage gaps, agency mandates and the audit log."""

from __future__ import annotations

import re
import zoneinfo

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, EDITOR_ROLES, require_role
from crm.auth.models import Role
from crm.contacts.audit import recent_entries, record_access
from crm.contacts.blueprint import bp, visible_contact_or_404
from crm.contacts.coverage import ended_postings, missions_not_contacted, states_without_contact
from crm.contacts.forms import InteractionForm
from crm.contacts.interactions import save_interaction
from crm.contacts.mandates import mandate_table, set_mandate
from crm.contacts.mapping import agencies_for_themes, contacts_for_recommendation
from crm.contacts.models import (
    AgencyMandate,
    Contact,
    Interaction,
    InteractionKind,
    Organisation,
    OrganisationKind,
)
from crm.contacts.privacy import may_see_contact, visible_contacts_clause
from crm.contacts.services import ContactError
from crm.db import db, utcnow
from crm.models import Recommendation, Theme
from crm.reviews.services import ReviewNotFound, get_review
from crm.teams.models import Team
from crm.teams.services import chosen_team


@bp.route("/who-to-brief")
def who_to_brief_lookup() -> str | Response:
    """Find a recommendation by review and number, then show who to brief about it."""
    review_code, number = request.args.get("review", "").strip(), request.args.get("number", "").strip()
    if review_code and number:
        try:
            review = get_review(review_code)
        except (ReviewNotFound, ValueError) as error:
            flash(str(error), "error")
        else:
            found = db.session.scalar(
                select(Recommendation).where(
                    Recommendation.review_id == review.id, Recommendation.number == number
                )
            )
            if found is not None:
                return redirect(url_for("contacts.who_to_brief", recommendation_id=found.id))
            flash(f"{review.code} has no recommendation numbered {number}.", "error")
    return render_template("contacts/who_to_brief_lookup.html", review_code=review_code, number=number)


@bp.route("/recommendations/<int:recommendation_id>/who-to-brief")
def who_to_brief(recommendation_id: int) -> str:
    recommendation = db.session.get(Recommendation, recommendation_id) or abort(404)
    language = request.args.get("language", "en").strip() or "en"
    ranked = contacts_for_recommendation(recommendation, viewer=current_user, language=language)
    for entry in ranked:
        record_access(current_user, "mapping", entry.contact, f"who to brief {recommendation.label}")
    db.session.commit()
    agencies = agencies_for_themes([theme.id for theme in recommendation.themes])
    return render_template(
        "contacts/who_to_brief.html",
        recommendation=recommendation,
        ranked=ranked,
        agencies=agencies,
        language=language,
    )


@bp.route("/interactions/new", methods=["GET", "POST"])
@bp.route("/interactions/<int:interaction_id>/edit", methods=["GET", "POST"])
@require_role(*EDITOR_ROLES)
def interaction_form(interaction_id: int | None = None) -> str | Response:
    """Log an interaction, or correct one (only its officer or an admin may)."""
    interaction = db.session.get(Interaction, interaction_id) if interaction_id else None
    if interaction_id and interaction is None:
        abort(404)
    if (
        interaction is not None
        and current_user.role is not Role.ADMIN
        and interaction.officer_id != current_user.id
    ):
        abort(403)
    form = InteractionForm()
    people = db.session.scalars(
        select(Contact)
        .where(Contact.archived_at.is_(None), visible_contacts_clause(current_user))
        .order_by(Contact.full_name)
    )
    form.contact_ids.choices = [(c.id, f"{c.full_name} ({c.organisation.name})") for c in people]
    if request.method == "GET":
        _fill(form, interaction)
    if form.validate_on_submit():
        try:
            zone = _zone(form.timezone.data or "")
            contacts = [visible_contact_or_404(cid, "log interaction") for cid in form.contact_ids.data]
            # People the editor may not see stay on the record instead of silently dropping off it.
            hidden = [
                c
                for c in (interaction.contacts if interaction else [])
                if not may_see_contact(current_user, c)
            ]
            saved = save_interaction(
                officer=interaction.officer if interaction else current_user,
                kind=InteractionKind(form.kind.data),
                occurred_at=form.occurred_at.data.replace(tzinfo=zone),
                contacts=contacts + hidden,
                recommendations=_recommendations(form.recommendations.data or ""),
                summary=form.summary.data or "",
                outcome=form.outcome.data or "",
                follow_up_on=form.follow_up_on.data,
                interaction=interaction,
            )
        except ContactError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            follow_up = " The follow-up task is on the officer's calendar." if saved.follow_up_on else ""
            flash(f"Interaction {'saved' if interaction else 'logged'}.{follow_up}", "success")
            return redirect(url_for("contacts.detail", contact_id=form.contact_ids.data[0]))
    return render_template("contacts/interaction_form.html", form=form, interaction=interaction)


def _fill(form: InteractionForm, interaction: Interaction | None) -> None:
    if interaction is None:
        if request.args.get("contact", "").isdigit():
            form.contact_ids.data = [int(request.args["contact"])]
        return
    zone = _zone(form.timezone.data or "UTC")
    form.kind.data = interaction.kind.value
    form.occurred_at.data = interaction.occurred_at.astimezone(zone).replace(tzinfo=None)
    form.contact_ids.data = [c.id for c in interaction.contacts if may_see_contact(current_user, c)]
    discussed = interaction.recommendations
    if discussed:
        numbers = ", ".join(r.label for r in discussed if r.review_id == discussed[0].review_id)
        form.recommendations.data = f"{discussed[0].review.code} {numbers}"
    form.summary.data, form.outcome.data = interaction.summary, interaction.outcome
    form.follow_up_on.data = interaction.follow_up_on


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name.strip())
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ContactError(f"{name!r} is not a time zone name (write e.g. Europe/Zurich).") from None


def _recommendations(written: str) -> list[Recommendation]:
    """``CHN-3 28.83, 28.176`` → those recommendations; an unknown number is an error, not skipped."""
    written = written.strip()
    if not written:
        return []
    match = re.match(r"^([A-Za-z]{3}-?\d{1,2})\s+(.+)$", written)
    if match is None:
        raise ContactError("Write the review then the numbers, e.g. CHN-3 28.83, 28.176.")
    try:
        review = get_review(match.group(1))
    except (ReviewNotFound, ValueError) as error:
        raise ContactError(str(error)) from None
    found = []
    for number in filter(None, (n.strip() for n in match.group(2).split(","))):
        rec = db.session.scalar(
            select(Recommendation).where(
                Recommendation.review_id == review.id, Recommendation.number == number
            )
        )
        if rec is None:
            raise ContactError(f"{review.code} has no recommendation numbered {number}.")
        found.append(rec)
    return found


@bp.route("/coverage")
def coverage() -> str:
    teams = list(db.session.scalars(select(Team).order_by(Team.name)))
    team = chosen_team(teams, request.args.get("team", ""), current_user)
    today = utcnow().date()
    since, missions = missions_not_contacted(today)
    return render_template(
        "contacts/coverage.html",
        teams=teams,
        team=team,
        gaps=states_without_contact(team, today) if team else [],
        ended=ended_postings(today, current_user),
        since=since,
        missions=missions,
    )


@bp.route("/agency-mandates", methods=["GET", "POST"])
def mandates() -> str | Response:
    if request.method == "POST":
        if current_user.role not in COORDINATOR_ROLES:
            abort(403)
        return _change_mandates()
    agencies = db.session.scalars(
        select(Organisation)
        .where(Organisation.kind == OrganisationKind.UN_AGENCY, Organisation.archived_at.is_(None))
        .order_by(Organisation.name)
    )
    return render_template(
        "contacts/mandates.html",
        mandates=mandate_table(),
        agencies=list(agencies),
        themes=list(db.session.scalars(select(Theme).order_by(Theme.name))),
        may_edit=current_user.role in COORDINATOR_ROLES,
    )


def _change_mandates() -> Response:
    remove = request.form.get("remove", "")
    if remove.isdigit():
        mandate = db.session.get(AgencyMandate, int(remove)) or abort(404)
        db.session.delete(mandate)
        db.session.commit()
        flash("Mandate removed.", "success")
        return redirect(url_for("contacts.mandates"))
    agency_id, theme_id = request.form.get("organisation_id", ""), request.form.get("theme_id", "")
    agency = db.session.get(Organisation, int(agency_id)) if agency_id.isdigit() else None
    theme = db.session.get(Theme, int(theme_id)) if theme_id.isdigit() else None
    if agency is None or (theme is None and theme_id != "all"):
        flash("Choose an agency and a theme (or every theme).", "error")
        return redirect(url_for("contacts.mandates"))
    set_mandate(agency, theme)
    db.session.commit()
    flash(f"{agency.name} now covers {theme.name if theme else 'every theme'}.", "success")
    return redirect(url_for("contacts.mandates"))


@bp.route("/audit")
@require_role(Role.ADMIN)
def audit() -> str:
    entries = [e for e in recent_entries() if e.contact is None or may_see_contact(current_user, e.contact)]
    return render_template("contacts/audit.html", entries=entries)
