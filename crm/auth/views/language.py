"""Choosing the interface language: kept in the profile when signed in, in the session before that."""

from __future__ import annotations

from flask import abort, redirect, request, session, url_for
from flask_babel import refresh
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.auth.access import public, same_site_path
from crm.auth.views.blueprint import bp
from crm.db import db
from crm.i18n import LANGUAGES


@bp.post("/language")
@public
def language() -> Response:
    chosen = request.form.get("language", "")
    if chosen not in LANGUAGES:
        abort(400)
    session["language"] = chosen
    if current_user.is_authenticated:
        current_user.language = chosen
        db.session.commit()
    refresh()
    back = same_site_path(request.form.get("next")) or url_for("dashboard.index")
    return redirect(back)
