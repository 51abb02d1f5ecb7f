"""Unsubscribing from briefings, from the link in each one (no sign-in: the signed token is the key)."""

from __future__ import annotations

from flask import render_template, request

from crm.auth.access import public
from crm.db import db
from outreach.outbox import contact_for_unsubscribe
from outreach.views.blueprint import bp


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
def unsubscribe(token: str) -> str | tuple[str, int]:
    contact = contact_for_unsubscribe(token)
    if contact is None:
        return render_template("outreach/unsubscribe.html", done=False, invalid=True), 404
    if request.method == "POST":
        contact.opt_out = True
        db.session.commit()
        return render_template("outreach/unsubscribe.html", done=True, invalid=False)
    return render_template("outreach/unsubscribe.html", done=False, invalid=False, token=token)
