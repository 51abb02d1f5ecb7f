"""Logging a meeting, e-mail, call or event with contacts, and correcting one."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm import dates
from crm.auth.access import EDITOR_ROLES, require_role
from crm.auth.models import Role
from crm.contacts.forms import InteractionForm
from crm.contacts.interactions import save_interaction
from crm.contacts.models import (
    Contact,
    Interaction,
    InteractionKind,
)
from crm.contacts.origins import Origin, resolve_origin
from crm.contacts.privacy import may_see_contact, visible_contacts_clause
from crm.contacts.services import ContactError
from crm.contacts.views.blueprint import bp, visible_contact_or_404
from crm.db import db
from crm.models import Recommendation
from crm.reviews.services import ReviewNotFound, get_review


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
        abort(404)  # like a missing one: another officer's log may be about someone the asker cannot see
    form = InteractionForm()
    people = db.session.scalars(
        select(Contact)
        .where(Contact.archived_at.is_(None), visible_contacts_clause(current_user))
        .order_by(Contact.full_name)
    )
    form.contact_ids.choices = [(c.id, f"{c.full_name} ({c.organisation.name})") for c in people]
    if request.method == "GET":
        _fill(form, interaction)
    origin = resolve_origin(form.origin.data)
    if form.validate_on_submit():
        try:
            zone = dates.zone(form.timezone.data or "")
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
                origin=origin.key if origin else None,
            )
        except (ContactError, dates.UnknownZone) as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                _interaction_saved(edited=interaction is not None, follow_up=saved.follow_up_on is not None),
                "success",
            )
            if origin is not None:
                return redirect(origin.url)
            return redirect(url_for("contacts.detail", contact_id=form.contact_ids.data[0]))
    return render_template(
        "contacts/interaction_form.html", form=form, interaction=interaction, origin=origin
    )


def _interaction_saved(*, edited: bool, follow_up: bool) -> str:
    if edited and follow_up:
        return str(_("Interaction saved. The follow-up task is on the officer's calendar."))
    if edited:
        return str(_("Interaction saved."))
    if follow_up:
        return str(_("Interaction logged. The follow-up task is on the officer's calendar."))
    return str(_("Interaction logged."))


def _fill(form: InteractionForm, interaction: Interaction | None) -> None:
    if interaction is None:
        if request.args.get("contact", "").isdigit():
            form.contact_ids.data = [int(request.args["contact"])]
        origin = resolve_origin(request.args.get("origin"))
        if origin is not None:
            _fill_from(form, origin)
        return
    form.origin.data = interaction.origin or ""
    zone = dates.zone(form.timezone.data or "UTC")
    form.kind.data = interaction.kind.value
    form.occurred_at.data = interaction.occurred_at.astimezone(zone).replace(tzinfo=None)
    form.contact_ids.data = [c.id for c in interaction.contacts if may_see_contact(current_user, c)]
    discussed = interaction.recommendations
    if discussed:
        numbers = ", ".join(r.label for r in discussed if r.review_id == discussed[0].review_id)
        form.recommendations.data = f"{discussed[0].review.code} {numbers}"
    form.summary.data, form.outcome.data = interaction.summary, interaction.outcome
    form.follow_up_on.data = interaction.follow_up_on


def _fill_from(form: InteractionForm, origin: Origin) -> None:
    """Start the log of a planned meeting from it: its kind, time and the people in it (those one may see)."""
    form.origin.data = origin.key
    form.kind.data = origin.kind.value
    form.timezone.data = origin.timezone
    if origin.occurred_at is not None:
        local = origin.occurred_at.astimezone(dates.zone(origin.timezone))
        form.occurred_at.data = local.replace(tzinfo=None)
    visible = {choice for choice, _label in form.contact_ids.choices}
    form.contact_ids.data = [cid for cid in origin.contact_ids if cid in visible]


def _recommendations(written: str) -> list[Recommendation]:
    """``CHN-3 28.83, 28.176`` → those recommendations; an unknown number is an error, not skipped."""
    written = written.strip()
    if not written:
        return []
    match = re.match(r"^([A-Za-z]{3}-?\d{1,2})\s+(.+)$", written)
    if match is None:
        raise ContactError(_("Write the review then the numbers, e.g. CHN-3 28.83, 28.176."))
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
            raise ContactError(
                _("%(review)s has no recommendation numbered %(number)s.", review=review.code, number=number)
            )
        found.append(rec)
    return found
