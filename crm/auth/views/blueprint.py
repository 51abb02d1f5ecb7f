"""The ``auth`` blueprint and what its pages share: counting a failed credential, refusing a locked one."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash

from crm.auth.services import find_user
from crm.auth.throttle import Lock, current_lock, record_failure
from crm.auth.web import client_address
from crm.contacts.audit import record_event
from crm.db import db

bp = Blueprint("auth", __name__)


def refused_by_lock(email: str, now: datetime) -> Lock | None:
    """The lock that refuses this attempt, flashed with when to try again; None to go on."""
    lock = current_lock(email, client_address(), now)
    if lock is not None:
        flash(lock.message(now), "error")
    return lock


def count_failure(email: str, what: str, now: datetime) -> None:
    """Count a wrong ``what`` (password, code) for ``email`` and this client, audit it, and commit."""
    client = client_address()
    lock = record_failure(email, client, now)
    user = find_user(email)
    where = f"from {client or 'an unknown address'}"
    record_event(user, "sign-in failed", f"wrong {what} {where}" if user else f"unknown address {where}")
    if lock is not None:
        record_event(
            user,
            "sign-in locked",
            f"{lock.scope} {client if lock.scope != 'account' else ''} locked until "
            f"{lock.until:%Y-%m-%d %H:%M:%S} UTC after {lock.failures} failures".replace("  ", " "),
        )
    db.session.commit()
