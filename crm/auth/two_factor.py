"""Two-factor sign-in: TOTP codes (RFC 6238, with pyotp) and ten one-time recovery codes.

Enrolling stores a fresh secret; it counts only once a first code from the app confirmed it. A code is
accepted for the 30-second step it belongs to and one step either side (clock drift), and never twice:
the last accepted step is kept, so a code read over a shoulder or relayed by a phishing page is spent.
Recovery codes carry 80 random bits each, so their SHA-256 is safe to store (no dictionary reaches them)
and lets a code be found with one indexed query.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from flask_babel import gettext
from sqlalchemy import delete, func, select

from crm.auth.models import RecoveryCode, Role, User
from crm.db import db, utcnow

ISSUER = "UPR Outreach"
RECOVERY_CODES = 10
# Crockford's base32 without I, L, O, U: nothing to misread on paper.
_RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECOVERY_LENGTH = 16  # 16 x 5 bits = 80 bits
REQUIRED_ROLES = (Role.ADMIN, Role.COORDINATOR)


class TwoFactorError(ValueError):
    """A code that was not accepted, with one sentence saying why."""


def required_for(user: User, required: bool) -> bool:
    """Whether ``user`` must use two-factor sign-in (``UPR_REQUIRE_2FA`` for admins and coordinators)."""
    return required and user.role in REQUIRED_ROLES


def begin_enrolment(user: User) -> str:
    """A new secret for ``user`` (replacing an unconfirmed one); two-factor is on only once confirmed."""
    if user.has_two_factor:
        raise TwoFactorError(
            gettext("Two-factor sign-in is already on; turn it off first to enrol another device.")
        )
    user.totp_secret = pyotp.random_base32()
    user.totp_last_step = None
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    if not user.totp_secret:
        raise TwoFactorError(gettext("Start enrolment first."))
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.email, issuer_name=ISSUER)


def qr_svg(uri: str) -> str:
    """The QR code of ``uri`` as inline SVG markup (no script, no external image)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, dark="#1d2733", light="#ffffff"))


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _accepted_step(user: User, code: str, now: datetime) -> int | None:
    """The time step ``code`` belongs to, if it is a valid, unspent TOTP code at ``now``."""
    digits = _normalise(code)
    if not user.totp_secret or len(digits) != 6 or not digits.isdigit():
        return None
    totp = pyotp.TOTP(user.totp_secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), digits):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return None
            return step
    return None


def confirm_enrolment(user: User, code: str, now: datetime | None = None) -> list[str]:
    """Turn two-factor on once ``code`` proves the app holds the secret; returns new recovery codes."""
    if user.has_two_factor:
        raise TwoFactorError(gettext("Two-factor sign-in is already on."))
    step = _accepted_step(user, code, now or utcnow())
    if step is None:
        raise TwoFactorError(
            gettext(
                "That code is not the one your app shows now: "
                "check the phone's clock and type the six digits."
            )
        )
    user.totp_last_step = step
    user.totp_enabled_at = utcnow()
    return new_recovery_codes(user)


def new_recovery_codes(user: User) -> list[str]:
    """Replace ``user``'s recovery codes with ten new ones, shown once (only their digests are kept)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_digest(raw)))
    return codes


def _digest(code: str) -> str:
    return hashlib.sha256(_normalise(code).encode("ascii", "ignore")).hexdigest()


def remaining_recovery_codes(user: User) -> int:
    return int(
        db.session.scalar(
            select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
        )
        or 0
    )


def verify(user: User, code: str, now: datetime | None = None) -> str | None:
    """Accept a TOTP or recovery code (and spend it): "totp" or "recovery code", or None when refused."""
    if not user.has_two_factor:
        return None
    step = _accepted_step(user, code, now or utcnow())
    if step is not None:
        user.totp_last_step = step
        return "totp"
    if len(_normalise(code)) != _RECOVERY_LENGTH:
        return None
    row = db.session.scalar(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _digest(code),
            RecoveryCode.used_at.is_(None),
        )
    )
    if row is None:
        return None
    row.used_at = utcnow()
    return "recovery code"  # i18n: fixed (a token the sign-in view compares, never shown)


def turn_off(user: User) -> None:
    """Forget the secret and the recovery codes (the caller checked the password, or is an admin's CLI)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
