"""The ``contacts`` blueprint, shared by the view modules of the package."""

from __future__ import annotations

from flask import Blueprint, abort
from flask_login import current_user

from crm.contacts.audit import record_access
from crm.contacts.merging import undo_deadline, undoable
from crm.contacts.models import Contact
from crm.contacts.origins import resolve_origin
from crm.contacts.privacy import is_at_risk, may_edit_contact, may_see_contact, may_see_details, task_title
from crm.db import db

bp = Blueprint("contacts", __name__)
# Templates ask ``{% if contact is at_risk %}`` and ``{% if may_see_details(contact) %}`` of the one rule.
bp.add_app_template_test(is_at_risk, "at_risk")
# ``{{ task|task_title }}``: a task's title in the reader's language, neutral about at-risk people.
bp.add_app_template_filter(task_title, "task_title")
# Pages that list merges offer the undo while it is possible and say until when.
bp.add_app_template_global(undoable, "merge_undoable")
bp.add_app_template_global(undo_deadline, "merge_undo_deadline")
# An interaction's page links back to the meeting (or other origin) it followed.
bp.add_app_template_global(resolve_origin, "interaction_origin")


@bp.app_template_global("may_see_details")
def _may_see_details(contact: Contact) -> bool:
    return may_see_details(current_user, contact)


def visible_contact_or_404(contact_id: int, action: str = "view") -> Contact:
    """The contact, or 404 for one that does not exist or that the user may not see (same answer)."""
    contact = db.session.get(Contact, contact_id)
    if contact is None or not may_see_contact(current_user, contact):
        abort(404)
    if is_at_risk(contact):
        record_access(current_user, action, contact)
        db.session.commit()
    return contact


def editable_contact_or_403(contact_id: int) -> Contact:
    contact = visible_contact_or_404(contact_id, "edit")
    if not may_edit_contact(current_user, contact):
        abort(403)
    return contact
