"""Two-factor sign-in (TOTP, recovery codes, UPR_REQUIRE_2FA), my sessions, and changing my own password."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from crm.auth import throttle
from crm.auth.models import RecoveryCode, Role, User, UserSession
from crm.db import db, utcnow
from upr.app import create_app
from upr.cli import cli

from .conftest import TEST_PASSWORD, sign_in

NEW_PASSWORD = "a different long passphrase"


def _secret(app: Flask, user: User) -> str:
    with app.app_context():
        secret = db.session.scalar(select(User.totp_secret).where(User.id == user.id))
    assert secret
    return secret


def _enrol(client: FlaskClient, app: Flask, user: User) -> tuple[pyotp.TOTP, list[str]]:
    """Turn two-factor on through the pages; returns the app's generator and the recovery codes shown."""
    assert client.post("/account/two-factor/start").status_code == 302
    page = client.get("/account/two-factor").get_data(as_text=True)
    # The QR code is markup, not a script: the page loads scripts only from files.
    assert "<svg" in page and not re.search(r"<script(?![^>]*\bsrc=)", page)
    totp = pyotp.TOTP(_secret(app, user))
    assert totp.secret in page  # the key, for typing it in by hand
    shown = client.post("/account/two-factor/confirm", data={"code": totp.now()})
    assert shown.status_code == 200
    codes = re.findall(
        r"<code>([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})</code>", shown.get_data(as_text=True)
    )
    return totp, codes


def _enrolled_then_signed_out(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> tuple[User, pyotp.TOTP, list[str]]:
    user = make_user(Role.OFFICER)
    sign_in(client, user)
    totp, codes = _enrol(client, app, user)
    client.post("/sign-out")
    return user, totp, codes


def _next_code(totp: pyotp.TOTP) -> str:
    # Enrolment spent the current step's code; the next step's is accepted (clock drift) and unspent.
    return totp.at(utcnow() + timedelta(seconds=30))


def test_enrolment_shows_a_qr_code_and_ten_recovery_codes_stored_hashed(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.OFFICER)
    sign_in(client, user)
    _totp, codes = _enrol(client, app, user)
    assert len(codes) == len(set(codes)) == 10
    with app.app_context():
        stored = db.session.scalars(
            select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)
        ).all()
    assert len(stored) == 10
    for code in codes:
        assert code not in stored and code.replace("-", "") not in stored
    assert "On since" in client.get("/account").get_data(as_text=True)


def test_a_wrong_first_code_does_not_turn_it_on(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.OFFICER)
    sign_in(client, user)
    client.post("/account/two-factor/start")
    response = client.post("/account/two-factor/confirm", data={"code": "000000"}, follow_redirects=True)
    assert "not the one your app shows" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user.id).totp_enabled_at is None  # type: ignore[union-attr]


def test_sign_in_asks_for_the_code_and_a_code_works_once(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    user, totp, _codes = _enrolled_then_signed_out(client, app, make_user)

    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/sign-in/code"
    assert client.get("/dashboard").status_code == 302  # the password alone signs nobody in
    code = _next_code(totp)
    assert client.post("/sign-in/code", data={"code": code}).headers["Location"] == "/dashboard"
    assert client.get("/dashboard").status_code == 200

    # The same code, replayed on another device (a phishing relay), is spent.
    thief = app.test_client()
    thief.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    refused = thief.post("/sign-in/code", data={"code": code})
    assert refused.status_code == 200 and "not accepted" in refused.get_data(as_text=True)
    assert thief.get("/dashboard").status_code == 302


def test_a_recovery_code_signs_in_once(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    user, _totp, codes = _enrolled_then_signed_out(client, app, make_user)
    for attempt in range(2):
        fresh = app.test_client()
        fresh.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
        response = fresh.post("/sign-in/code", data={"code": codes[0].lower()}, follow_redirects=True)
        if attempt == 0:
            assert "9 remain" in response.get_data(as_text=True)
            assert fresh.get("/dashboard").status_code == 200
        else:
            assert fresh.get("/dashboard").status_code == 302


def test_wrong_codes_are_throttled_like_passwords(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    user, totp, _codes = _enrolled_then_signed_out(client, app, make_user)
    client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    for _ in range(throttle.ACCOUNT_LIMIT):
        assert client.post("/sign-in/code", data={"code": "123456"}).status_code == 200
    locked = client.post("/sign-in/code", data={"code": _next_code(totp)})
    assert locked.status_code == 429
    assert client.get("/dashboard").status_code == 302


def test_the_pending_step_expires(client: FlaskClient, app: Flask, make_user: Callable[..., User]) -> None:
    user, totp, _codes = _enrolled_then_signed_out(client, app, make_user)
    client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    with client.session_transaction() as session:
        pending = dict(session["pending_sign_in"])
        pending["at"] -= 6 * 60
        session["pending_sign_in"] = pending
    response = client.post("/sign-in/code", data={"code": _next_code(totp)})
    assert response.headers["Location"] == "/sign-in"
    assert client.get("/dashboard").status_code == 302


@pytest.fixture
def strict_app(app_config: dict[str, Any], app: Flask) -> Flask:
    return create_app({**app_config, "require_2fa": True})


@pytest.mark.parametrize("role", [Role.ADMIN, Role.COORDINATOR])
def test_required_roles_must_enrol_before_anything_else(
    strict_app: Flask, make_user: Callable[..., User], role: Role
) -> None:
    client = strict_app.test_client()
    user = make_user(role)
    sign_in(client, user)
    for page in ("/dashboard", "/contacts", "/account/sessions"):
        response = client.get(page)
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor", page
    _totp, codes = _enrol(client, strict_app, user)
    assert len(codes) == 10
    assert client.get("/dashboard").status_code == 200
    refused = client.post(
        "/account/two-factor/off", data={"current_password": TEST_PASSWORD}, follow_redirects=True
    )
    assert "cannot be turned off" in refused.get_data(as_text=True)
    with strict_app.app_context():
        assert db.session.get(User, user.id).has_two_factor  # type: ignore[union-attr]


def test_officers_and_viewers_may_choose(strict_app: Flask, make_user: Callable[..., User]) -> None:
    for role in (Role.OFFICER, Role.VIEWER):
        client = strict_app.test_client()
        sign_in(client, make_user(role))
        assert client.get("/dashboard").status_code == 200


def test_turning_it_off_needs_the_password(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.OFFICER)
    sign_in(client, user)
    _enrol(client, app, user)
    client.post("/account/two-factor/off", data={"current_password": "not my password"})
    with app.app_context():
        assert db.session.get(User, user.id).has_two_factor  # type: ignore[union-attr]
    client.post("/account/two-factor/off", data={"current_password": TEST_PASSWORD})
    with app.app_context():
        assert not db.session.get(User, user.id).has_two_factor  # type: ignore[union-attr]
        assert db.session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all() == []


def test_an_admin_resets_a_lost_phone_from_the_command_line(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.OFFICER)
    sign_in(client, user)
    _enrol(client, app, user)
    result = app.test_cli_runner().invoke(cli, ["user", "reset-two-factor", "--email", user.email])
    assert result.exit_code == 0, result.output
    assert client.get("/dashboard").status_code == 302  # its sessions ended
    fresh = app.test_client()
    assert (
        fresh.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD}).headers["Location"]
        == "/dashboard"
    )


def test_my_sessions_are_listed_and_ended_from_another_browser(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.VIEWER)
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, user)
    phone.post(
        "/sign-in",
        data={"email": user.email, "password": TEST_PASSWORD},
        headers={"User-Agent": "PhoneBrowser/1.0"},
    )
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert "PhoneBrowser/1.0" in page and "this browser" in page
    with app.app_context():
        phone_session = db.session.scalar(
            select(UserSession.id).where(UserSession.user_agent == "PhoneBrowser/1.0")
        )
    assert laptop.post(f"/account/sessions/{phone_session}/end").status_code == 302
    assert phone.get("/dashboard").status_code == 302
    assert laptop.get("/dashboard").status_code == 200


def test_someone_else_s_session_cannot_be_ended(app: Flask, make_user: Callable[..., User]) -> None:
    mine, theirs = app.test_client(), app.test_client()
    sign_in(mine, make_user(Role.OFFICER))
    other = make_user(Role.OFFICER)
    sign_in(theirs, other)
    with app.app_context():
        their_session = db.session.scalar(select(UserSession.id).where(UserSession.user_id == other.id))
    assert mine.post(f"/account/sessions/{their_session}/end").status_code == 404
    assert theirs.get("/dashboard").status_code == 200


def test_end_every_other_session(app: Flask, make_user: Callable[..., User]) -> None:
    user = make_user(Role.OFFICER)
    clients = [app.test_client() for _ in range(3)]
    for browser in clients:
        sign_in(browser, user)
    response = clients[0].post("/account/sessions/end-others", follow_redirects=True)
    assert "Ended 2 other sessions" in response.get_data(as_text=True)
    assert [c.get("/dashboard").status_code for c in clients] == [200, 302, 302]


def test_a_session_older_than_its_lifetime_is_refused_by_the_server(
    client: FlaskClient, app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.OFFICER)
    sign_in(client, user)
    with app.app_context():
        db.session.execute(
            update(UserSession).values(
                created_at=utcnow() - app.permanent_session_lifetime - timedelta(minutes=1)
            )
        )
        db.session.commit()
    assert client.get("/dashboard").status_code == 302


def test_users_change_their_own_password_and_other_sessions_end(
    app: Flask, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.VIEWER)
    here, elsewhere = app.test_client(), app.test_client()
    sign_in(here, user)
    sign_in(elsewhere, user)
    assert "Change your password" in here.get("/account").get_data(as_text=True)
    wrong = here.post(
        "/account/password",
        data={"current_password": "not it", "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert "current password is not right" in wrong.get_data(as_text=True)
    weak = here.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": "short", "confirm": "short"},
    )
    assert "too short" in weak.get_data(as_text=True)
    done = here.post(
        "/account/password",
        data={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert done.headers["Location"] == "/account"
    assert here.get("/dashboard").status_code == 200
    assert elsewhere.get("/dashboard").status_code == 302
    fresh = app.test_client()
    assert fresh.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD}).status_code == 200
    sign_in(fresh, user, NEW_PASSWORD)


def test_guessing_the_current_password_is_throttled(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.OFFICER)
    sign_in(client, user)
    form = {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    for n in range(throttle.ACCOUNT_LIMIT):
        client.post("/account/password", data={**form, "current_password": f"guess {n}"})
    locked = client.post("/account/password", data={**form, "current_password": TEST_PASSWORD})
    assert "Too many failed sign-ins" in locked.get_data(as_text=True)
    assert client.post("/sign-out").status_code == 302
    sign_in_refused = client.post("/sign-in", data={"email": user.email, "password": NEW_PASSWORD})
    assert sign_in_refused.status_code == 429
