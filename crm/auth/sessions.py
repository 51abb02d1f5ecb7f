"""Server-side session records: the session cookie carries a random session id, this table says if it lives.

Flask's cookie is signed, not secret, and a copy works wherever it is replayed; so the cookie names a
record here and a request is signed in only while that record is live (not ended, not older than the
session lifetime, its user still active). Signing out ends the record; "end this session" on the
sessions page ends another device's; a password change ends every other one.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select, update

from crm.auth.models import User, UserSession
from crm.db import db, utcnow

# Writing last_seen_at on every request would make every page view a write; once a minute is enough.
TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def start_session(user: User, *, client_address: str, user_agent: str) -> tuple[UserSession, str]:
    """Stage a new record for ``user``; the token goes in the cookie and is stored only as its digest."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    record = UserSession(
        user_id=user.id,
        token_hash=_hash(token),
        created_at=now,
        last_seen_at=now,
        client_address=client_address[:64],
        user_agent=user_agent[:300],
    )
    db.session.add(record)
    db.session.flush()
    return record, token


def live_session(token: str | None, user_id: str, lifetime: timedelta, now: datetime) -> UserSession | None:
    """The live record named by the cookie's ``token`` for ``user_id``, or None (signed out)."""
    if not token or len(token) > 100 or not user_id.isdigit():
        return None
    record = db.session.scalar(select(UserSession).where(UserSession.token_hash == _hash(token)))
    if record is None or record.ended_at is not None or record.user_id != int(user_id):
        return None
    if record.created_at + lifetime <= now or not record.user.active:
        return None
    return record


def touch(record: UserSession, now: datetime) -> bool:
    """Note that the session was used (at most once a minute); True when something was staged."""
    if now - record.last_seen_at < TOUCH_EVERY:
        return False
    record.last_seen_at = now
    return True


def end_session(record: UserSession) -> None:
    record.ended_at = record.ended_at or utcnow()


def end_sessions(user: User, *, keep: UserSession | None = None) -> int:
    """End every live session of ``user`` except ``keep``; returns how many ended."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    ended = db.session.execute(query.values(ended_at=utcnow()))
    return int(getattr(ended, "rowcount", 0) or 0)


def active_sessions(user: User, lifetime: timedelta, now: datetime) -> list[UserSession]:
    """The user's sessions that still sign requests in, most recently used first."""
    query = (
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.created_at > now - lifetime,
        )
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    )
    return list(db.session.scalars(query))
