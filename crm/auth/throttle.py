"""Sign-in throttling, per account and per client address, counted in the database.

Every failed password, two-factor code or "current password" counts against the address typed (known or
not: an unknown address is throttled exactly like a known one, so the lock says nothing about who has an
account) and against the client's address. After ``ACCOUNT_LIMIT`` failures within a day, each further
failure locks that account for a minute, then two, four... up to an hour as failures go on; a client
address gets ``CLIENT_LIMIT`` (an office shares one address) and the same growing lock. A successful
sign-in clears its account's count, not its client's. Locking one account never locks another: the
counts are kept apart.

The counts live in ``sign_in_failures``, so every web worker and process agrees; two attempts racing at
the same instant may both be judged before either is counted, which can grant one extra guess, never more.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import ngettext
from sqlalchemy import delete, func, select
from sqlalchemy.orm import InstrumentedAttribute

from crm.auth.models import SignInFailure
from crm.db import db

ACCOUNT_LIMIT = 5
CLIENT_LIMIT = 20
FIRST_LOCK = timedelta(minutes=1)
LONGEST_LOCK = timedelta(hours=1)
MEMORY = timedelta(hours=24)


@dataclass(frozen=True)
class Lock:
    """Sign-in refused until ``until``; ``scope`` is "account" or "client address" (for the audit log)."""

    until: datetime
    scope: str
    failures: int

    def message(self, now: datetime) -> str:
        minutes = max(1, math.ceil((self.until - now).total_seconds() / 60))
        # The same words for every address typed, known or not: the lock tells nobody who has an account.
        return str(
            ngettext(
                "Too many failed sign-ins: wait %(num)d minute and try again. "
                "If you forgot your password, ask an administrator to set a new one.",
                "Too many failed sign-ins: wait %(num)d minutes and try again. "
                "If you forgot your password, ask an administrator to set a new one.",
                minutes,
            )
        )


def account_key(email: str) -> str:
    """The account as counted: a digest of the address typed, since people type passwords in that box."""
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def client_key(address: str | None) -> str:
    return (address or "unknown")[:64]


def lock_duration(failures: int, limit: int) -> timedelta | None:
    """How long the latest failure locks for: none below ``limit``, then doubling per ``limit`` more."""
    if failures < limit:
        return None
    doublings = min(failures // limit - 1, 12)
    duration: timedelta = FIRST_LOCK * 2**doublings
    return min(duration, LONGEST_LOCK)


def _lock(column: InstrumentedAttribute[str], key: str, limit: int, scope: str, now: datetime) -> Lock | None:
    failures, last = db.session.execute(
        select(func.count(), func.max(SignInFailure.at)).where(column == key, SignInFailure.at > now - MEMORY)
    ).one()
    duration = lock_duration(failures, limit)
    if duration is None or last is None or last + duration <= now:
        return None
    return Lock(last + duration, scope, failures)


def current_lock(email: str, client: str | None, now: datetime) -> Lock | None:
    """The lock that refuses this attempt before any password is checked, or None."""
    return _lock(SignInFailure.account_key, account_key(email), ACCOUNT_LIMIT, "account", now) or _lock(
        SignInFailure.client_key, client_key(client), CLIENT_LIMIT, "client address", now
    )


def record_failure(email: str, client: str | None, now: datetime) -> Lock | None:
    """Stage one failure; returns the lock it starts (for the audit log), if it starts one."""
    db.session.execute(delete(SignInFailure).where(SignInFailure.at <= now - MEMORY))
    db.session.add(SignInFailure(at=now, account_key=account_key(email), client_key=client_key(client)))
    db.session.flush()
    return current_lock(email, client, now)


def clear_account(email: str) -> None:
    """A successful sign-in: the account starts counting afresh (its client address does not)."""
    db.session.execute(delete(SignInFailure).where(SignInFailure.account_key == account_key(email)))
