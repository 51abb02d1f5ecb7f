"""Signing requests in: the session cookie names a server-side record; two-factor gates the rest.

The cookie (Flask's, signed) holds the user's id for Flask-Login and, under ``SESSION_KEY``, the random id
of a ``UserSession`` row; a request is signed in only while that row is live (``crm.auth.sessions``).
"""

from __future__ import annotations

from datetime import timedelta

from flask import flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user
from werkzeug.wrappers import Response

from crm.auth.models import User, UserSession
from crm.auth.sessions import live_session, start_session, touch
from crm.auth.two_factor import required_for
from crm.db import db, utcnow

SESSION_KEY = "sid"
# Where a user who must enrol in two-factor sign-in may go before they have.
ENROLMENT_ENDPOINTS = frozenset(
    {"auth.two_factor", "auth.two_factor_start", "auth.two_factor_confirm", "auth.sign_out", "static"}
)


def client_address() -> str:
    """The client's address (behind a proxy, as ``UPR_TRUSTED_PROXIES`` lets ProxyFix read it)."""
    return request.remote_addr or ""


def signed_in_user(user_id: str, lifetime: timedelta) -> User | None:
    """Flask-Login's user loader: the user of the live session the cookie names, or None."""
    now = utcnow()
    record = live_session(session.get(SESSION_KEY), user_id, lifetime, now)
    if record is None:
        return None
    if touch(record, now):
        db.session.commit()
    g.user_session = record
    return record.user


def current_session() -> UserSession | None:
    """The session record of this request (None when not signed in)."""
    record = g.get("user_session")
    return record if isinstance(record, UserSession) else None


def sign_in_user(user: User) -> UserSession:
    """Start a session for ``user`` (whose password, and code if any, were checked) and stage it."""
    record, token = start_session(
        user, client_address=client_address(), user_agent=request.user_agent.string or ""
    )
    user.last_login_at = record.created_at
    # A fresh cookie: nothing a visitor put in the session before signing in carries over.
    session.clear()
    session.permanent = True
    session[SESSION_KEY] = token
    login_user(user)
    g.user_session = record
    return record


def two_factor_gate(require_two_factor: bool) -> Response | None:
    """Send an admin or coordinator who must use two-factor sign-in to enrol before anything else."""
    if request.endpoint in ENROLMENT_ENDPOINTS or current_user.has_two_factor:
        return None
    if not required_for(current_user, require_two_factor):
        return None
    flash(_("Your role needs two-factor sign-in: set it up before you continue."), "error")
    return redirect(url_for("auth.two_factor"))
