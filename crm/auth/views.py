"""Sign-in and sign-out; the admins' list of users, where an account is disabled or enabled again."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import public, require_role, same_site_path
from crm.auth.forms import SignInForm
from crm.auth.models import Role, User
from crm.auth.services import UserError, authenticate, end_sessions, set_active
from crm.db import db

bp = Blueprint("auth", __name__)


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> str | Response:
    form = SignInForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            flash("That e-mail address and password do not match an active account.", "error")
        else:
            db.session.commit()
            session.clear()
            session.permanent = True
            login_user(user)
            return redirect(same_site_path(request.args.get("next")) or url_for("dashboard.index"))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    end_sessions(current_user)
    db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.sign_in"))


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
            f"{user.display_name} can sign in again."
            if enable
            else f"{user.display_name} is disabled: their sessions have ended and they cannot sign in.",
            "success",
        )
    return redirect(url_for("auth.users"))
