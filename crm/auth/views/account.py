"""My account: change my password, two-factor sign-in, and the sessions signed in as me."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from crm.auth.forms import CodeForm, PasswordChangeForm, PasswordForm
from crm.auth.models import UserSession
from crm.auth.services import UserError, password_matches, set_password
from crm.auth.sessions import active_sessions, end_session, end_sessions
from crm.auth.two_factor import (
    TwoFactorError,
    begin_enrolment,
    confirm_enrolment,
    new_recovery_codes,
    provisioning_uri,
    qr_svg,
    remaining_recovery_codes,
    required_for,
    turn_off,
)
from crm.auth.views.blueprint import bp, count_failure, refused_by_lock
from crm.auth.web import current_session
from crm.contacts.audit import record_event
from crm.db import db, utcnow


def _require_two_factor() -> bool:
    return bool(current_app.config["UPR_SETTINGS"].require_2fa)


def _lifetime() -> timedelta:
    lifetime: timedelta = current_app.config["UPR_SETTINGS"].session_lifetime
    return lifetime


def _current_password_ok(form: PasswordForm) -> bool:
    """Check the current password, counted by the sign-in throttle: a stolen session cannot guess it."""
    now = utcnow()
    if refused_by_lock(current_user.email, now):
        return False
    if password_matches(current_user, form.current_password.data):
        return True
    count_failure(current_user.email, "current password", now)
    flash(_("The current password is not right."), "error")
    return False


@bp.route("/account")
def account() -> str:
    return render_template(
        "auth/account.html",
        sessions=active_sessions(current_user, _lifetime(), utcnow()),
        recovery_left=remaining_recovery_codes(current_user),
        required=required_for(current_user, _require_two_factor()),
    )


@bp.route("/account/password", methods=["GET", "POST"])
def password() -> str | Response:
    form = PasswordChangeForm()
    if form.validate_on_submit() and _current_password_ok(form):
        try:
            set_password(current_user, form.new_password.data, keep=current_session())
        except UserError as error:
            db.session.rollback()
            form.new_password.errors = [str(error)]
        else:
            record_event(current_user, "password changed")
            db.session.commit()
            flash(_("Your password is changed; every other session signed in as you has ended."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/password.html", form=form)


def _two_factor_page(codes: list[str] | None = None) -> str:
    """The two-factor page: its state, the QR code while enrolling, or new recovery codes shown once."""
    enrolling = bool(current_user.totp_secret) and not current_user.has_two_factor and not codes
    return render_template(
        "auth/two_factor.html",
        form=CodeForm(),
        password_form=PasswordForm(),
        qr=qr_svg(provisioning_uri(current_user)) if enrolling else None,
        secret=current_user.totp_secret if enrolling else None,
        codes=codes,
        recovery_left=remaining_recovery_codes(current_user),
        required=required_for(current_user, _require_two_factor()),
    )


@bp.route("/account/two-factor")
def two_factor() -> str:
    return _two_factor_page()


@bp.post("/account/two-factor/start")
def two_factor_start() -> Response:
    try:
        begin_enrolment(current_user)
    except TwoFactorError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
    return redirect(url_for("auth.two_factor"))


@bp.post("/account/two-factor/confirm")
def two_factor_confirm() -> str | Response:
    form = CodeForm()
    if not form.validate_on_submit():
        flash(_("Type the six digits your app shows."), "error")
        return redirect(url_for("auth.two_factor"))
    try:
        codes = confirm_enrolment(current_user, form.code.data)
    except TwoFactorError as error:
        flash(str(error), "error")
        return redirect(url_for("auth.two_factor"))
    record_event(current_user, "two-factor on")
    db.session.commit()
    flash(_("Two-factor sign-in is on. Keep these recovery codes safe: they are shown once."), "success")
    return _two_factor_page(codes)


@bp.post("/account/two-factor/recovery-codes")
def recovery_codes() -> str | Response:
    form = PasswordForm()
    if not current_user.has_two_factor:
        abort(404)
    if not (form.validate_on_submit() and _current_password_ok(form)):
        return redirect(url_for("auth.two_factor"))
    codes = new_recovery_codes(current_user)
    record_event(current_user, "recovery codes renewed")
    db.session.commit()
    flash(_("New recovery codes: the earlier ones no longer work."), "success")
    return _two_factor_page(codes)


@bp.post("/account/two-factor/off")
def two_factor_off() -> Response:
    form = PasswordForm()
    if required_for(current_user, _require_two_factor()):
        flash(_("Your role needs two-factor sign-in: it cannot be turned off."), "error")
        return redirect(url_for("auth.two_factor"))
    if form.validate_on_submit() and _current_password_ok(form):
        turn_off(current_user)
        record_event(current_user, "two-factor off")
        db.session.commit()
        flash(_("Two-factor sign-in is off."), "success")
    return redirect(url_for("auth.two_factor"))


@bp.route("/account/sessions")
def sessions() -> str:
    rows = active_sessions(current_user, _lifetime(), utcnow())
    return render_template("auth/sessions.html", sessions=rows, current=current_session())


@bp.post("/account/sessions/<int:session_id>/end")
def end_one_session(session_id: int) -> Response:
    record = db.session.get(UserSession, session_id)
    if record is None or record.user_id != current_user.id or record.ended_at is not None:
        abort(404)
    end_session(record)
    db.session.commit()
    if record is current_session():
        logout_user()
        session.clear()
        flash(_("You are signed out."), "info")
        return redirect(url_for("auth.sign_in"))
    flash(_("That session has ended: the browser holding it is signed out."), "success")
    return redirect(url_for("auth.sessions"))


@bp.post("/account/sessions/end-others")
def end_other_sessions() -> Response:
    ended = end_sessions(current_user, keep=current_session())
    db.session.commit()
    flash(ngettext("Ended %(num)d other session.", "Ended %(num)d other sessions.", ended), "success")
    return redirect(url_for("auth.sessions"))
