"""Sign-in and sign-out."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from crm.auth.access import public, same_site_path
from crm.auth.forms import SignInForm
from crm.auth.services import authenticate, end_sessions
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
