"""Creating users and checking passwords (argon2)."""

from __future__ import annotations

import secrets
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.addresses import InvalidEmail, normalise_email
from crm.auth.models import Role, User, UserSession
from crm.auth.sessions import end_sessions
from crm.db import db, utcnow

MIN_PASSWORD_LENGTH = 10
# The most common passwords in breach corpora that still pass a length check.
COMMON_PASSWORDS = frozenset(
    {
        "password123",
        "password1234",
        "1234567890",
        "qwertyuiop",
        "123456789a",
        "iloveyou123",
        "administrator",
        "changeme123",
        "letmein1234",
        "welcome1234",
        "passw0rd123",
        "0123456789",
    }
)

# argon2-cffi's own parameters (RFC 9106's second recommended profile: 3 passes over 64 MiB).
STANDARD_HASHER = PasswordHasher()
# The cheapest parameters argon2 takes, for the test suite only, which signs people in hundreds of times:
# the same algorithm and code paths, a thousandth of the work. ``upr.app`` picks it for UPR_ENV=testing.
TESTING_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
HASHER_KEY = "upr.password_hasher"


def password_hasher() -> PasswordHasher:
    """The app's argon2 hasher (``app.extensions``); the standard one outside an app."""
    if has_app_context():
        hasher: PasswordHasher = current_app.extensions.get(HASHER_KEY, STANDARD_HASHER)
        return hasher
    return STANDARD_HASHER


class UserError(ValueError):
    """A user could not be created or changed; the message is meant for the person who asked."""


def password_problem(password: str, email: str = "") -> str | None:
    """Why ``password`` is too weak, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return str(
            _("The password is too short: use at least %(count)s characters.", count=MIN_PASSWORD_LENGTH)
        )
    if password.lower() in COMMON_PASSWORDS or len(set(password)) < 4:
        return str(_("The password is too easy to guess: choose a longer phrase of unrelated words."))
    local_part = email.split("@", 1)[0].lower()
    if local_part and len(local_part) >= 4 and local_part in password.lower():
        return str(_("The password must not contain the e-mail address."))
    return None


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(email: str, password: str, role: Role | str, full_name: str = "") -> User:
    """Stage a new user; raises ``UserError`` for a duplicate address, a bad role or a weak password."""
    try:
        address = normalise_email(email)
    except InvalidEmail as error:
        raise UserError(str(error)) from None
    try:
        role = Role(role)
    except ValueError:
        raise UserError(
            _(
                "%(role)s is not a role; use one of: %(roles)s.",
                role=repr(role),
                roles=", ".join(r.value for r in Role),
            )
        ) from None
    if find_user(address) is not None:
        raise UserError(_("A user with the e-mail address %(email)s already exists.", email=address))
    problem = password_problem(password, address)
    if problem:
        raise UserError(problem)
    user = User(email=address, full_name=full_name, role=role, password_hash=password_hasher().hash(password))
    db.session.add(user)
    return user


def set_password(user: User, password: str, *, keep: UserSession | None = None) -> None:
    """Stage a new password; every session of ``user`` but ``keep`` (the one changing it) ends."""
    problem = password_problem(password, user.email)
    if problem:
        raise UserError(problem)
    user.password_hash = password_hasher().hash(password)
    end_sessions(user, keep=keep)


def set_active(user: User, active: bool, by: User | None = None) -> bool:
    """Disable (ending every session at once) or re-enable ``user``; returns whether anything changed.

    Refused for one's own account (``by``) and for the last active admin, so nobody locks everyone out.
    """
    if user.active == active:
        return False
    if not active:
        if by is not None and by.id == user.id:
            raise UserError(_("You cannot disable your own account."))
        if user.role is Role.ADMIN:
            others = db.session.scalar(
                select(func.count(User.id)).where(
                    User.role == Role.ADMIN, User.active.is_(True), User.id != user.id
                )
            )
            if not others:
                raise UserError(
                    _("%(name)s is the last active admin; make another admin first.", name=user.display_name)
                )
        end_sessions(user)
    user.active = active
    return True


def _verify(stored_hash: str, password: str) -> bool:
    try:
        return password_hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_matches(user: User, password: str) -> bool:
    return _verify(user.password_hash, password)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash with the same parameters as real ones, of a password nobody knows."""
    return hasher.hash(secrets.token_urlsafe(24))


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None. Rehashes when argon2's parameters changed.

    An unknown or deactivated address costs one argon2 verification too (against a dummy hash), so the
    answer takes as long as for a wrong password: the time does not tell who has an account.
    """
    user = find_user(email)
    if user is None or not user.active:
        _verify(_dummy_hash(password_hasher()), password)
        return None
    if not password_matches(user, password):
        return None
    if password_hasher().check_needs_rehash(user.password_hash):
        user.password_hash = password_hasher().hash(password)
    user.last_login_at = utcnow()
    return user
