"""Erasing a contact for good (admins only), after a confirmation that names what goes."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.auth.access import require_role
from crm.auth.models import Role
from crm.contacts.erasure import erase_contact, plan_erasure
from crm.contacts.views.blueprint import bp, visible_contact_or_404
from crm.db import db


@bp.route("/contacts/<int:contact_id>/erase", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def erase(contact_id: int) -> str | Response:
    contact = visible_contact_or_404(contact_id, "erase")
    if request.method == "POST":
        typed = " ".join(request.form.get("confirm_name", "").split())
        if typed.casefold() == " ".join(contact.full_name.split()).casefold():
            erase_contact(contact, current_user)
            db.session.commit()
            db.reclaim_deleted_space()
            flash(_("The contact is erased: nothing of them is kept but a line in the audit log."), "success")
            return redirect(url_for("contacts.index"))
        flash(_("Type the person's full name exactly as shown to confirm the erasure."), "error")
    return render_template("contacts/erase.html", contact=contact, plan=plan_erasure(contact))
