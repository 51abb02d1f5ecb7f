"""The audit log of views and exports of at-risk people's records, for admins."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from crm.auth.access import require_role
from crm.auth.models import Role
from crm.contacts.audit import recent_entries
from crm.contacts.privacy import may_see_contact
from crm.contacts.views.blueprint import bp


@bp.route("/audit")
@require_role(Role.ADMIN)
def audit() -> str:
    entries = [e for e in recent_entries() if e.contact is None or may_see_contact(current_user, e.contact)]
    return render_template("contacts/audit.html", entries=entries)
