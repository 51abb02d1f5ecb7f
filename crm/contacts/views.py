"""Contacts and organisations."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from crm.db import db
from crm.models import Contact, Organisation

bp = Blueprint("contacts", __name__)


@bp.route("/contacts")
def index() -> str:
    query = (
        select(Contact).join(Organisation).where(Contact.archived_at.is_(None)).order_by(Contact.full_name)
    )
    visible = [c for c in db.session.scalars(query) if may_see_contact(c)]
    return render_template("contacts/index.html", contacts=visible)


def may_see_contact(contact: Contact) -> bool:
    """At-risk people are visible only to admins and to officers of the team that holds them."""
    if not contact.is_at_risk:
        return True
    if current_user.role.value == "admin":
        return True
    return contact.owner_team_id is not None and contact.owner_team_id in current_user.team_ids
