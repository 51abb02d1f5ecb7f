"""Sign-in throttling: per account and per client address, alike for known and unknown addresses, shared
by every worker through the database, and written to the audit log."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.auth import throttle
from crm.auth.models import Role, User
from crm.contacts.models import AuditLog
from crm.db import db, utcnow
from upr.app import create_app

from .conftest import TEST_PASSWORD

LOCKED = "Too many failed sign-ins"


def _attempt(
    client: FlaskClient, email: str, password: str, address: str = "203.0.113.7", language: str = "en"
) -> Any:
    return client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers={"Accept-Language": language},
    )


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.OFFICER)
    for _ in range(throttle.ACCOUNT_LIMIT):
        response = _attempt(client, user.email, "wrong password, guessed")
        assert response.status_code == 200
        assert "do not match an active account" in response.get_data(as_text=True)
    locked = _attempt(client, user.email, TEST_PASSWORD)
    assert locked.status_code == 429
    assert LOCKED in locked.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302  # not signed in


def test_a_locked_account_never_locks_out_another(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    victim, colleague = make_user(Role.OFFICER), make_user(Role.OFFICER)
    for _ in range(throttle.ACCOUNT_LIMIT + 2):
        _attempt(client, victim.email, "wrong password, guessed")
    # Same office, same address: the colleague signs in at once.
    response = _attempt(app.test_client(), colleague.email, TEST_PASSWORD)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


@pytest.mark.parametrize("language", ["en", "zh", "fr", "es"])
def test_unknown_and_known_addresses_are_answered_alike(
    client: FlaskClient, make_user: Callable[..., User], language: str
) -> None:
    """In every language of the interface: a translated message must not tell the two apart either."""
    known = make_user(Role.OFFICER)
    unknown = "nobody-here@example.org"
    answers: dict[str, list[tuple[int, str]]] = {known.email: [], unknown: []}
    for email, pages in answers.items():
        for _ in range(throttle.ACCOUNT_LIMIT + 1):
            response = _attempt(client, email, "wrong password, guessed", language=language)
            assert f'<html lang="{language}">' in response.get_data(as_text=True)
            # The page's CSRF tokens (its meta tag, the language menu's form) are signed with the time and
            # the form keeps the address typed; everything else must be the same.
            token = r'name="csrf[-_]token" (content|value)="[^"]*"'
            page = re.sub(token, "", response.get_data(as_text=True))
            page = page.replace(email, "ADDRESS")
            pages.append((response.status_code, page))
    assert answers[known.email] == answers[unknown]
    assert answers[unknown][-1][0] == 429


def test_an_unknown_address_takes_as_long_as_a_wrong_password(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    known = make_user(Role.OFFICER)

    def timed(email: str, address: str) -> float:
        started = time.perf_counter()
        response = _attempt(client, email, "wrong password, guessed", address)
        assert response.status_code == 200
        return time.perf_counter() - started

    known_times, unknown_times = [], []
    for round_ in range(4):  # below the lock, alternating so that machine load hits both alike
        known_times.append(timed(known.email, f"198.51.100.{round_}"))
        unknown_times.append(timed(f"nobody-{round_}@example.org", f"198.51.100.{round_}"))
    ratio = statistics.median(unknown_times) / statistics.median(known_times)
    assert 0.6 < ratio < 1.6, (known_times, unknown_times)


def test_a_client_address_is_throttled_across_accounts(
    client: FlaskClient, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(throttle, "CLIENT_LIMIT", 6)  # the rule, with fewer argon2 checks to wait for
    for n in range(throttle.CLIENT_LIMIT):
        assert _attempt(client, f"spray-{n}@example.org", "Winter2026!").status_code == 200
    assert _attempt(client, "spray-next@example.org", "Winter2026!").status_code == 429
    # Another address is not held back by that one.
    assert _attempt(app.test_client(), "spray-next@example.org", "x", "192.0.2.55").status_code == 200


def test_a_successful_sign_in_starts_the_count_afresh(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.OFFICER)
    for _ in range(throttle.ACCOUNT_LIMIT - 1):
        _attempt(client, user.email, "typo in the password")
    assert _attempt(client, user.email, TEST_PASSWORD).status_code == 302
    other = app.test_client()
    for _ in range(throttle.ACCOUNT_LIMIT - 1):
        _attempt(other, user.email, "another typo")
    assert _attempt(other, user.email, TEST_PASSWORD).status_code == 302


def test_the_lock_grows_with_more_failures_and_ends(app: Flask) -> None:
    assert throttle.lock_duration(4, 5) is None
    assert throttle.lock_duration(5, 5) == timedelta(minutes=1)
    assert throttle.lock_duration(10, 5) == timedelta(minutes=2)
    assert throttle.lock_duration(15, 5) == timedelta(minutes=4)
    assert throttle.lock_duration(500, 5) == throttle.LONGEST_LOCK
    start = utcnow()
    with app.app_context():
        for n in range(throttle.ACCOUNT_LIMIT):
            lock = throttle.record_failure("someone@example.org", "192.0.2.1", start + timedelta(seconds=n))
        assert lock is not None and lock.scope == "account"
        last = start + timedelta(seconds=throttle.ACCOUNT_LIMIT - 1)
        assert lock.until == last + timedelta(minutes=1)
        assert throttle.current_lock("SomeOne@Example.org ", "192.0.2.9", last + timedelta(seconds=30))
        assert throttle.current_lock("someone@example.org", "192.0.2.9", last + timedelta(seconds=61)) is None
        # One more failure after the lock ends locks again, at once.
        later = last + timedelta(seconds=61)
        assert throttle.record_failure("someone@example.org", "192.0.2.9", later) is not None
        db.session.rollback()


def test_every_worker_sees_the_same_count(app_config: dict[str, Any], make_user: Callable[..., User]) -> None:
    user = make_user(Role.OFFICER)
    first, second = create_app(app_config).test_client(), create_app(app_config).test_client()
    for n in range(throttle.ACCOUNT_LIMIT):
        _attempt(first if n % 2 else second, user.email, "wrong password, guessed")
    assert _attempt(second, user.email, TEST_PASSWORD).status_code == 429
    assert _attempt(first, user.email, TEST_PASSWORD).status_code == 429


def test_failures_and_lock_outs_go_to_the_audit_log_without_what_was_typed(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.OFFICER)
    for _ in range(throttle.ACCOUNT_LIMIT):
        _attempt(client, user.email, "my-secret-guess")
    _attempt(client, "typo-not-a-user@example.org", "another-secret-guess")
    with app.app_context():
        entries = db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()
        actions = [(e.action, e.user_id) for e in entries]
        details = " ".join(e.detail for e in entries)
    assert actions.count(("sign-in failed", user.id)) == throttle.ACCOUNT_LIMIT
    assert actions.count(("sign-in locked", user.id)) == 1
    assert ("sign-in failed", None) in actions
    assert "203.0.113.7" in details
    for typed in ("my-secret-guess", "another-secret-guess", "typo-not-a-user"):
        assert typed not in details
    # The audit page shows them to admins.
    admin = make_user(Role.ADMIN)
    admin_client = app.test_client()
    assert _attempt(admin_client, admin.email, TEST_PASSWORD, "192.0.2.200").status_code == 302
    page = admin_client.get("/audit").get_data(as_text=True)
    assert "sign-in locked" in page and "sign-in failed" in page
