"""Contacts: list, page, create, edit, archive, successor and export (merging them: ``merges``)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import and_, false, or_, select
from werkzeug.wrappers import Response

from crm import dates
from crm.auth.access import EDITOR_ROLES, require_role
from crm.auth.models import Role
from crm.contacts.audit import record_refused_address
from crm.contacts.exporting import CONTACT_COLUMNS, contact_rows
from crm.contacts.forms import ContactForm
from crm.contacts.interactions import interactions_with
from crm.contacts.merging import merges_into
from crm.contacts.models import Contact, MergeKind, Organisation, RecordMerge, SafetyLevel, Succession, Task
from crm.contacts.privacy import (
    details_visible_clause,
    may_edit_contact,
    may_see_contact,
    visible_contacts_clause,
)
from crm.contacts.services import (
    SUCCESSOR_WARNING_DAYS,
    ContactError,
    ContactFields,
    record_successor,
    save_contact,
    set_archived,
)
from crm.contacts.views.blueprint import bp, editable_contact_or_403, visible_contact_or_404
from crm.contacts.who_to_brief import briefing_basis, reviews_recommended_by
from crm.db import db
from crm.models import State
from crm.states import StateResolver, UnknownState
from crm.tabular import safe_cell
from crm.teams.models import Team

__all__ = ["bp"]


@bp.route("/contacts")
def index() -> str:
    archived = request.args.get("archived") == "1"
    search = request.args.get("q", "").strip()
    query = (
        select(Contact)
        .join(Organisation)
        .where(
            Contact.archived_at.is_not(None) if archived else Contact.archived_at.is_(None),
            visible_contacts_clause(current_user),
        )
        .order_by(Contact.full_name)
    )
    if search:
        pattern = f"%{search}%"
        # A state named in any UN language ("Suisse", "瑞士") finds the people of its organisations.
        state_code = StateResolver.from_database().find_name(search)
        query = query.where(
            or_(
                Contact.full_name.ilike(pattern),
                # An address finds only the contacts whose address the user may read: no oracle.
                and_(Contact.email.ilike(pattern), details_visible_clause(current_user)),
                Organisation.name.ilike(pattern),
                Organisation.state_code == state_code if state_code else false(),
            )
        )
    return render_template(
        "contacts/index.html", contacts=list(db.session.scalars(query)), archived=archived, search=search
    )


@bp.route("/contacts/<int:contact_id>")
def detail(contact_id: int) -> str:
    contact = visible_contact_or_404(contact_id)
    today = dates.today()
    state_code = contact.organisation.state_code
    bases = [(review, briefing_basis(contact, review)) for review in reviews_recommended_by(state_code or "")]
    succession = db.session.get(Succession, contact.id)
    successor = (
        succession.successor if succession and may_see_contact(current_user, succession.successor) else None
    )
    candidates = []
    if (
        contact.posting_end is not None
        and contact.posting_end <= today + timedelta(days=SUCCESSOR_WARNING_DAYS)
        and succession is None
    ):
        candidates = [
            c
            for c in db.session.scalars(
                select(Contact)
                .where(Contact.organisation_id == contact.organisation_id, Contact.id != contact.id)
                .where(Contact.archived_at.is_(None), visible_contacts_clause(current_user))
                .order_by(Contact.full_name)
            )
        ]
    duplicates = list(
        db.session.scalars(
            select(Contact)
            .where(
                Contact.id != contact.id, Contact.archived_at.is_(None), visible_contacts_clause(current_user)
            )
            .where(
                Contact.full_name.ilike(contact.full_name)
                | (Contact.organisation_id == contact.organisation_id)
            )
            .order_by(Contact.full_name)
        )
    )
    tasks = db.session.scalars(select(Task).where(Task.contact_id == contact.id).order_by(Task.due_on))
    return render_template(
        "contacts/detail.html",
        contact=contact,
        bases=bases,
        interactions=interactions_with(contact),
        tasks=list(tasks),
        successor=successor,
        candidates=candidates,
        duplicates=duplicates,
        merges=[(merge, _other_side(merge, contact)) for merge in merges_into(MergeKind.CONTACT, contact.id)],
        may_edit=may_edit_contact(current_user, contact),
        today=today,
    )


def _other_side(merge: RecordMerge, contact: Contact) -> Contact | None:
    """The other contact of a merge, or None when this user may not see them (a protected person)."""
    other = db.session.get(Contact, merge.duplicate_id if merge.keep_id == contact.id else merge.keep_id)
    return other if other is not None and may_see_contact(current_user, other) else None


def _contact_form(contact: Contact | None, state: State | None = None) -> ContactForm:
    form = ContactForm(obj=contact)
    organisations = list(
        db.session.scalars(
            select(Organisation).where(Organisation.archived_at.is_(None)).order_by(Organisation.name)
        )
    )
    if state is not None:
        # Coming from a coverage gap: that state's organisations first.
        organisations.sort(key=lambda o: o.state_code != state.code)
    # Nothing is chosen for the person: an officer who skips the field is told, not given the first one.
    form.organisation_id.choices = [(0, _("Choose the organisation…"))] + [
        (o.id, o.name) for o in organisations
    ]
    # Archived teams take no new contacts, but a contact already held by one keeps it until changed.
    current_team = contact.owner_team_id if contact else None
    teams = db.session.scalars(
        select(Team).where(Team.archived_at.is_(None) | (Team.id == current_team)).order_by(Team.name)
    )
    allowed = [t for t in teams if current_user.role is Role.ADMIN or t.id in current_user.team_ids]
    # Only an admin may leave a contact without a team: an at-risk one would then be hidden from its officers.
    no_team = [(0, _("No team"))] if current_user.role is Role.ADMIN else []
    form.owner_team_id.choices = no_team + [(t.id, t.name) for t in allowed]
    if contact is None and request.method == "GET":
        of_state = [o for o in organisations if state is not None and o.state_code == state.code]
        if request.args.get("organisation", "").isdigit():
            form.organisation_id.data = int(request.args["organisation"])
        elif len(of_state) == 1:
            form.organisation_id.data = of_state[0].id
    return form


def _state_asked() -> State | None:
    """The state of ``?state=`` (a name or code, as coverage gaps link it), if it is one."""
    written = request.args.get("state", "").strip()
    if not written:
        return None
    try:
        return db.session.get(State, StateResolver.from_database().resolve(written))
    except UnknownState:
        return None


def _save(form: ContactForm, contact: Contact | None) -> Contact | None:
    fields = ContactFields(
        organisation_id=form.organisation_id.data,
        full_name=form.full_name.data or "",
        title=form.title.data or "",
        form_of_address=form.form_of_address.data or "",
        family_name=form.family_name.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        languages=form.languages.data or "",
        timezone=form.timezone.data or "",
        posting_start=form.posting_start.data,
        posting_end=form.posting_end.data,
        safety_level=SafetyLevel(form.safety_level.data),
        owner_team_id=form.owner_team_id.data or None,
        notes=form.notes.data or "",
    )
    try:
        saved = save_contact(fields, contact, asker=current_user)
    except ContactError as error:
        db.session.rollback()
        if error.hidden_holder is not None:
            record_refused_address(current_user, error.hidden_holder, "contact form")
            db.session.commit()
        flash(str(error), "error")
        return None
    db.session.commit()
    return saved


@bp.route("/contacts/new", methods=["GET", "POST"])
@require_role(*EDITOR_ROLES)
def new() -> str | Response:
    state = _state_asked()
    form = _contact_form(None, state)
    if form.validate_on_submit():
        saved = _save(form, None)
        if saved is not None:
            flash(_("%(name)s added.", name=saved.full_name), "success")
            return redirect(url_for("contacts.detail", contact_id=saved.id))
    state_has_organisation = state is not None and bool(
        db.session.scalar(
            select(Organisation.id).where(
                Organisation.state_code == state.code, Organisation.archived_at.is_(None)
            )
        )
    )
    return render_template(
        "contacts/form.html",
        form=form,
        contact=None,
        state=state,
        state_has_organisation=state_has_organisation,
    )


@bp.route("/contacts/<int:contact_id>/edit", methods=["GET", "POST"])
@require_role(*EDITOR_ROLES)
def edit(contact_id: int) -> str | Response:
    contact = editable_contact_or_403(contact_id)
    form = _contact_form(contact)
    if request.method == "GET":
        form.safety_level.data = contact.safety_level.value
        form.owner_team_id.data = contact.owner_team_id or 0
    if form.validate_on_submit():
        saved = _save(form, contact)
        if saved is not None:
            flash(_("Saved."), "success")
            return redirect(url_for("contacts.detail", contact_id=saved.id))
    return render_template("contacts/form.html", form=form, contact=contact)


@bp.post("/contacts/<int:contact_id>/archive")
@require_role(*EDITOR_ROLES)
def archive(contact_id: int) -> Response:
    contact = editable_contact_or_403(contact_id)
    undo = request.form.get("undo") == "1"
    try:
        set_archived(contact, not undo)
    except ContactError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        if undo:
            flash(_("%(name)s is back.", name=contact.full_name), "success")
        else:
            flash(
                _("%(name)s archived; you can bring them back from this page.", name=contact.full_name),
                "success",
            )
    return redirect(url_for("contacts.detail", contact_id=contact.id))


@bp.post("/contacts/<int:contact_id>/successor")
@require_role(*EDITOR_ROLES)
def successor(contact_id: int) -> Response:
    contact = editable_contact_or_403(contact_id)
    chosen = request.form.get("successor_id", "")
    if not chosen.isdigit():
        flash(_("Choose who took over, or add them as a new contact first."), "error")
        return redirect(url_for("contacts.detail", contact_id=contact.id))
    try:
        record_successor(contact, visible_contact_or_404(int(chosen)), current_user)
    except ContactError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            _("Successor recorded; the earlier interactions stay with this person and the organisation."),
            "success",
        )
    return redirect(url_for("contacts.detail", contact_id=contact.id))


@bp.route("/contacts/export.csv")
@require_role(*EDITOR_ROLES)
def export() -> Response:
    """Contacts as CSV; at-risk people are never exported, and ``mask=1`` hides personal data."""
    mask = request.args.get("mask") == "1"
    query = (
        select(Contact)
        .where(Contact.archived_at.is_(None), visible_contacts_clause(None))
        .order_by(Contact.full_name)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    # The import's own column names, so that an export reads back in (``upr import contacts``).
    writer.writerow(CONTACT_COLUMNS)
    writer.writerows(
        [safe_cell(v) for v in row]
        for row in contact_rows(db.session.scalars(query), mask=mask, viewer=current_user)
    )
    # utf-8-sig: Excel opens a BOM-marked CSV as UTF-8.
    data = buffer.getvalue().encode("utf-8-sig")
    name = "contacts-masked.csv" if mask else "contacts.csv"
    return send_file(io.BytesIO(data), mimetype="text/csv", as_attachment=True, download_name=name)
