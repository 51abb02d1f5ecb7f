"""Merging duplicates on the web: choose, preview what moves, confirm naming both, and undo for 30 days."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.auth.access import EDITOR_ROLES, require_role
from crm.contacts.merging import (
    UNDO_DAYS,
    MergePreview,
    merge_contacts,
    merge_label,
    merge_organisations,
    preview_contact_merge,
    preview_organisation_merge,
    undo_deadline,
    undo_merge,
)
from crm.contacts.models import Contact, MergeKind, Organisation, RecordMerge
from crm.contacts.services import ContactError
from crm.contacts.views.blueprint import bp, editable_contact_or_403
from crm.dates import format_long_day
from crm.db import db


def _chosen_id(source: dict[str, str], name: str) -> int | None:
    value = source.get(name, "")
    return int(value) if value.isdigit() else None


def _contact_pair(keep_id: int, duplicate_id: int | None) -> tuple[Contact, Contact] | None:
    """Both contacts, each editable by the user (so an at-risk one only by its team's officers and admins)."""
    if duplicate_id is None:
        return None
    return editable_contact_or_403(keep_id), editable_contact_or_403(duplicate_id)


@dataclass(frozen=True)
class MergePage:
    """One merge as the page shows and does it: contacts and organisations alike."""

    kind: str
    keep: Contact | Organisation
    duplicate: Contact | Organisation
    keep_name: str
    duplicate_name: str
    preview: Callable[[], MergePreview]
    merge: Callable[[], RecordMerge]
    action: str
    back: str


def _preview_or_merge(page: MergePage) -> str | Response:
    """The preview (a GET, or a POST without the confirmation), else the merge, then back to the kept one."""
    try:
        if request.method == "GET" or request.form.get("confirm") != "1":
            return render_template(
                "contacts/merge.html",
                kind=page.kind,
                keep=page.keep,
                duplicate=page.duplicate,
                keep_name=page.keep_name,
                duplicate_name=page.duplicate_name,
                preview=page.preview(),
                action=page.action,
                back=page.back,
                undo_days=UNDO_DAYS,
            )
        record = page.merge()
    except ContactError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(page.back)
    db.session.commit()
    flash(
        _(
            "%(duplicate)s merged into %(kept)s. You can undo it below until %(day)s.",
            duplicate=page.duplicate_name,
            kept=page.keep_name,
            day=format_long_day(undo_deadline(record)),
        ),
        "success",
    )
    return redirect(f"{page.back}#merges")


@bp.route("/contacts/<int:contact_id>/merge", methods=["GET", "POST"])
@require_role(*EDITOR_ROLES)
def merge(contact_id: int) -> str | Response:
    source = request.form if request.method == "POST" else request.args
    pair = _contact_pair(contact_id, _chosen_id(source, "duplicate_id"))
    if pair is None:
        flash(_("Choose the duplicate to merge into this contact."), "error")
        return redirect(url_for("contacts.detail", contact_id=contact_id))
    keep, duplicate = pair
    return _preview_or_merge(
        MergePage(
            kind="contact",
            keep=keep,
            duplicate=duplicate,
            keep_name=merge_label(keep, duplicate),
            duplicate_name=merge_label(duplicate, keep),
            preview=lambda: preview_contact_merge(keep, duplicate),
            merge=lambda: merge_contacts(keep, duplicate, current_user),
            action=url_for("contacts.merge", contact_id=keep.id),
            back=url_for("contacts.detail", contact_id=keep.id),
        )
    )


@bp.route("/organisations/<int:organisation_id>/merge", methods=["GET", "POST"])
@require_role(*EDITOR_ROLES)
def organisation_merge(organisation_id: int) -> str | Response:
    source = request.form if request.method == "POST" else request.args
    keep = db.session.get(Organisation, organisation_id) or abort(404)
    duplicate_id = _chosen_id(source, "duplicate_id")
    duplicate = db.session.get(Organisation, duplicate_id) if duplicate_id else None
    if duplicate is None:
        flash(_("Choose the duplicate to merge into this organisation."), "error")
        return redirect(url_for("contacts.organisation", organisation_id=keep.id))
    return _preview_or_merge(
        MergePage(
            kind="organisation",
            keep=keep,
            duplicate=duplicate,
            keep_name=keep.name,
            duplicate_name=duplicate.name,
            preview=lambda: preview_organisation_merge(keep, duplicate),
            merge=lambda: merge_organisations(keep, duplicate, current_user),
            action=url_for("contacts.organisation_merge", organisation_id=keep.id),
            back=url_for("contacts.organisation", organisation_id=keep.id),
        )
    )


@bp.post("/merges/<int:merge_id>/undo")
@require_role(*EDITOR_ROLES)
def undo(merge_id: int) -> Response:
    record = db.session.get(RecordMerge, merge_id) or abort(404)
    if record.kind is MergeKind.CONTACT:
        keep, duplicate = (
            editable_contact_or_403(record.keep_id),
            editable_contact_or_403(record.duplicate_id),
        )
        names = (keep.full_name, duplicate.full_name)
        target = url_for("contacts.detail", contact_id=duplicate.id)
    else:
        kept_org = db.session.get(Organisation, record.keep_id) or abort(404)
        duplicate_org = db.session.get(Organisation, record.duplicate_id) or abort(404)
        names = (kept_org.name, duplicate_org.name)
        target = url_for("contacts.organisation", organisation_id=duplicate_org.id)
    try:
        unchanged = undo_merge(record, current_user)
    except ContactError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(target)
    db.session.commit()
    if unchanged:
        message = _(
            "Merge undone: %(duplicate)s is a separate record again, next to %(kept)s. "
            "Changed since the merge, so left as it is: %(unchanged)s.",
            duplicate=names[1],
            kept=names[0],
            unchanged=", ".join(unchanged),
        )
    else:
        message = _(
            "Merge undone: %(duplicate)s is a separate record again, next to %(kept)s.",
            duplicate=names[1],
            kept=names[0],
        )
    flash(message, "success")
    return redirect(target)
