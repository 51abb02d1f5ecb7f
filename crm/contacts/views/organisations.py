"""Organisations: list, page, create, edit and archive (merging them: ``merges``)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import EDITOR_ROLES, require_role
from crm.contacts.forms import OrganisationForm
from crm.contacts.merging import merges_into
from crm.contacts.models import Contact, MergeKind, Organisation, OrganisationKind
from crm.contacts.privacy import visible_contacts_clause
from crm.contacts.services import ContactError, save_organisation, set_archived
from crm.contacts.views.blueprint import bp
from crm.db import db
from crm.states import StateResolver, UnknownState


@bp.route("/organisations")
def organisations() -> str:
    archived = request.args.get("archived") == "1"
    query = (
        select(Organisation)
        .where(Organisation.archived_at.is_not(None) if archived else Organisation.archived_at.is_(None))
        .order_by(Organisation.state_code, Organisation.name)
    )
    return render_template(
        "contacts/organisations.html", organisations=list(db.session.scalars(query)), archived=archived
    )


@bp.route("/organisations/<int:organisation_id>")
def organisation(organisation_id: int) -> str:
    found = db.session.get(Organisation, organisation_id) or abort(404)
    people = db.session.scalars(
        select(Contact)
        .where(Contact.organisation_id == found.id, visible_contacts_clause(current_user))
        .order_by(Contact.archived_at.is_not(None), Contact.full_name)
    )
    duplicates = db.session.scalars(
        select(Organisation)
        .where(
            Organisation.id != found.id, Organisation.kind == found.kind, Organisation.archived_at.is_(None)
        )
        .where((Organisation.state_code == found.state_code) | Organisation.state_code.is_(None))
        .order_by(Organisation.name)
    )
    return render_template(
        "contacts/organisation.html",
        organisation=found,
        people=list(people),
        duplicates=list(duplicates),
        merges=[
            (
                merge,
                db.session.get(
                    Organisation, merge.duplicate_id if merge.keep_id == found.id else merge.keep_id
                ),
            )
            for merge in merges_into(MergeKind.ORGANISATION, found.id)
        ],
    )


@bp.route("/organisations/new", methods=["GET", "POST"])
@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@require_role(*EDITOR_ROLES)
def organisation_form(organisation_id: int | None = None) -> str | Response:
    found = db.session.get(Organisation, organisation_id) if organisation_id else None
    if organisation_id and found is None:
        abort(404)
    form = OrganisationForm(obj=found)
    if not isinstance(form.state.data, str):
        # The field took the organisation's State row (a POST without the field): keep its code instead.
        form.state.data = found.state_code if found else ""
    if request.method == "GET" and found is not None:
        form.kind.data = found.kind.value
        form.state.data = found.state.name if found.state else ""
        form.email.data = found.email or ""
    elif request.method == "GET":
        # Prefilled from a coverage gap ("add a contact for Costa Rica" with no organisation on file).
        form.state.data = request.args.get("state", "")
        if request.args.get("kind") in {k.value for k in OrganisationKind}:
            form.kind.data = request.args["kind"]
    if form.validate_on_submit():
        try:
            state_code = StateResolver.from_database().resolve(form.state.data) if form.state.data else None
            saved = save_organisation(
                name=form.name.data or "",
                kind=OrganisationKind(form.kind.data),
                state_code=state_code,
                city=form.city.data or "",
                email=form.email.data or "",
                website=form.website.data or "",
                notes=form.notes.data or "",
                organisation=found,
            )
        except (ContactError, UnknownState) as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(_("%(name)s saved.", name=saved.name), "success")
            return redirect(url_for("contacts.organisation", organisation_id=saved.id))
    return render_template("contacts/organisation_form.html", form=form, organisation=found)


@bp.post("/organisations/<int:organisation_id>/archive")
@require_role(*EDITOR_ROLES)
def organisation_archive(organisation_id: int) -> Response:
    found = db.session.get(Organisation, organisation_id) or abort(404)
    undo = request.form.get("undo") == "1"
    try:
        set_archived(found, not undo)
    except ContactError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        if undo:
            flash(_("%(name)s is back.", name=found.name), "success")
        else:
            flash(_("%(name)s archived; it no longer appears in the mapping.", name=found.name), "success")
    return redirect(url_for("contacts.organisation", organisation_id=found.id))
