"""Signing in (password, then the second factor when the user has one) and signing out."""

from __future__ import annotations

from datetime import timedelta

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import logout_user
from werkzeug.wrappers import Response

from crm.auth.access import public, same_site_path
from crm.auth.forms import CodeForm, SignInForm
from crm.auth.models import User
from crm.auth.services import authenticate
from crm.auth.sessions import end_session
from crm.auth.throttle import clear_account
from crm.auth.two_factor import remaining_recovery_codes, verify
from crm.auth.views.blueprint import bp, count_failure, refused_by_lock
from crm.auth.web import current_session, sign_in_user
from crm.contacts.audit import record_event
from crm.db import db, utcnow

PENDING_KEY = "pending_sign_in"
# Between the password and the code: long enough to find the phone, short enough to be useless later.
PENDING_FOR = timedelta(minutes=5)


def _next_page() -> str:
    return same_site_path(request.args.get("next")) or url_for("dashboard.index")


@bp.route("/sign-in", methods=["GET", "POST"])
@public
def sign_in() -> str | Response | tuple[str, int]:
    form = SignInForm()
    if form.validate_on_submit():
        email, now = form.email.data, utcnow()
        if refused_by_lock(email, now):
            return render_template("auth/sign_in.html", form=form), 429
        user = authenticate(email, form.password.data)
        if user is None:
            count_failure(email, "password", now)
            # The same words whether the address has an account or not.
            flash(_("That e-mail address and password do not match an active account."), "error")
        elif user.has_two_factor:
            db.session.commit()  # a password rehash, if argon2's parameters changed
            session.clear()
            session[PENDING_KEY] = {"user": user.id, "at": now.timestamp(), "next": _next_page()}
            return redirect(url_for("auth.second_factor"))
        else:
            clear_account(email)
            sign_in_user(user)
            db.session.commit()
            return redirect(_next_page())
    return render_template("auth/sign_in.html", form=form)


def _pending_user() -> tuple[User | None, str]:
    pending = session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None, ""
    if utcnow().timestamp() - float(pending.get("at", 0)) > PENDING_FOR.total_seconds():
        return None, ""
    user = db.session.get(User, int(pending.get("user", 0)))
    return (user if user is not None and user.active else None), str(pending.get("next", ""))


@bp.route("/sign-in/code", methods=["GET", "POST"])
@public
def second_factor() -> str | Response | tuple[str, int]:
    user, next_page = _pending_user()
    if user is None:
        session.pop(PENDING_KEY, None)
        flash(_("Please sign in with your password first (it is asked again after five minutes)."), "info")
        return redirect(url_for("auth.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        now = utcnow()
        if refused_by_lock(user.email, now):
            return render_template("auth/second_factor.html", form=form), 429
        used = verify(user, form.code.data, now)
        if used is None:
            db.session.rollback()
            count_failure(user.email, "two-factor code", now)
            flash(_("That code was not accepted: type the six digits your app shows now."), "error")
        else:
            clear_account(user.email)
            sign_in_user(user)
            if used == "recovery code":
                record_event(user, "recovery code used")
                left = remaining_recovery_codes(user)
                flash(
                    ngettext(
                        "You used a recovery code; %(num)d remain. Make new ones under Account.",
                        "You used a recovery code; %(num)d remain. Make new ones under Account.",
                        left,
                    ),
                    "info",
                )
            db.session.commit()
            return redirect(same_site_path(next_page) or url_for("dashboard.index"))
    return render_template("auth/second_factor.html", form=form)


@bp.route("/sign-out", methods=["POST"])
def sign_out() -> Response:
    record = current_session()
    if record is not None:
        end_session(record)
    db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.sign_in"))
