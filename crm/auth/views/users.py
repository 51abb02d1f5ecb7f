"""The admins' list of users, where an account is disabled (its sessions end) or enabled again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import require_role
from crm.auth.models import Role, User
from crm.auth.services import UserError, set_active
from crm.auth.views.blueprint import bp
from crm.db import db


@bp.route("/users")
@require_role(Role.ADMIN)
def users() -> str:
    return render_template(
        "auth/users.html", users=list(db.session.scalars(select(User).order_by(User.email)))
    )


@bp.post("/users/<int:user_id>/active")
@require_role(Role.ADMIN)
def user_active(user_id: int) -> Response:
    user = db.session.get(User, user_id) or abort(404)
    enable = request.form.get("active") == "1"
    try:
        set_active(user, enable, current_user)
    except UserError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            _("%(name)s can sign in again.", name=user.display_name)
            if enable
            else _(
                "%(name)s is disabled: their sessions have ended and they cannot sign in.",
                name=user.display_name,
            ),
            "success",
        )
    return redirect(url_for("auth.users"))
