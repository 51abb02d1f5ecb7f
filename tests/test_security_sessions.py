"""Sessions and sign-in: cookie flags, lifetime, sign-out, deactivated users, password hashes, redirects."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from crm.auth.access import same_site_path
from crm.auth.models import Role, User
from crm.db import db
from upr.app import create_app

from .conftest import TEST_PASSWORD, sign_in


def _session_cookie_header(client: FlaskClient, user: User) -> str:
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    cookies = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    assert len(cookies) == 1
    return cookies[0]


def test_session_cookie_is_http_only_same_site_and_not_secure_over_http(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    header = _session_cookie_header(client, make_user(Role.VIEWER))
    assert "HttpOnly" in header
    assert "SameSite=Lax" in header
    assert "Secure" not in header  # the default base URL is http://, where a Secure cookie would be dropped
    assert "Expires=" in header


def test_session_cookie_is_secure_when_the_site_is_https(
    app_config: dict[str, Any], make_user: Callable[..., User]
) -> None:
    secure = create_app({**app_config, "base_url": "https://upr.example.org", "session_minutes": 30})
    assert secure.permanent_session_lifetime.total_seconds() == 30 * 60
    header = _session_cookie_header(secure.test_client(), make_user(Role.VIEWER))
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_a_copied_cookie_is_useless_after_sign_out(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.OFFICER)
    sign_in(client, user)
    stolen = client.get_cookie("session")
    assert stolen is not None
    assert client.get("/dashboard").status_code == 200
    assert client.post("/sign-out").status_code == 302
    assert client.get("/dashboard").status_code == 302

    thief = client.application.test_client()
    thief.set_cookie("session", stolen.value)
    response = thief.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_signing_in_again_after_sign_out_works(client: FlaskClient, make_user: Callable[..., User]) -> None:
    user = make_user(Role.OFFICER)
    sign_in(client, user)
    client.post("/sign-out")
    sign_in(client, user)
    assert client.get("/dashboard").status_code == 200


def test_a_deactivated_user_is_signed_out_on_the_next_request(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.COORDINATOR)
    sign_in(client, user)
    assert client.get("/dashboard").status_code == 200
    with app.app_context():
        db.session.execute(update(User).where(User.id == user.id).values(active=False))
        db.session.commit()
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")
    assert client.post("/contacts/new", data={"full_name": "Anyone"}).status_code == 302
    refused = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert refused.status_code == 200
    assert "do not match an active account" in refused.get_data(as_text=True)


def test_passwords_are_stored_as_argon2id(app: Flask, make_user: Callable[..., User]) -> None:
    user = make_user(Role.VIEWER)
    with app.app_context():
        stored = db.session.scalar(select(User.password_hash).where(User.id == user.id))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert TEST_PASSWORD not in stored


@pytest.mark.parametrize("environment", ["production", "demo", "development"])
def test_outside_the_test_suite_passwords_get_argon2_s_standard_parameters(
    environment: str, app_config: dict[str, Any], tmp_path: Path
) -> None:
    """Only UPR_ENV=testing hashes cheaply (the suite signs in hundreds of times); nothing else may."""
    from argon2 import PasswordHasher, extract_parameters

    from crm.auth.services import password_hasher

    config = {**app_config, "environment": environment, "instance_path": tmp_path / environment}
    with create_app(config).app_context():
        standard = PasswordHasher()
        made = extract_parameters(password_hasher().hash("a long passphrase"))
    assert (made.time_cost, made.memory_cost, made.parallelism) == (
        standard.time_cost,
        standard.memory_cost,
        standard.parallelism,
    )
    assert (standard.time_cost, standard.memory_cost) >= (3, 65536)  # RFC 9106's second profile


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "/\\/evil.example/",
        "/\t/evil.example/",
        "http:/evil.example",
        "javascript:alert(1)",
        "",
    ],
)
def test_next_never_leads_to_another_site(
    client: FlaskClient, make_user: Callable[..., User], target: str
) -> None:
    assert same_site_path(target) is None
    user = make_user(Role.VIEWER)
    response = client.post(
        "/sign-in", query_string={"next": target}, data={"email": user.email, "password": TEST_PASSWORD}
    )
    assert response.headers["Location"] == "/dashboard"


def test_next_keeps_a_path_on_this_site(client: FlaskClient, make_user: Callable[..., User]) -> None:
    user = make_user(Role.VIEWER)
    response = client.post(
        "/sign-in",
        query_string={"next": "/contacts?page=2"},
        data={"email": user.email, "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/contacts?page=2"


def test_category_form_does_not_redirect_to_another_site(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    from crm.models import Recommendation, Review

    with app.app_context():
        review = Review(state_code="CHN", cycle=3)
        db.session.add(review)
        db.session.flush()
        rec = Recommendation(review_id=review.id, number="28.1", text="Ratify the ICCPR.")
        db.session.add(rec)
        db.session.commit()
        rec_id = rec.id
    sign_in(client, make_user(Role.OFFICER))
    response = client.post(
        f"/recommendations/{rec_id}/category", data={"category": "2", "next": "/\\evil.example/"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/recommendations")
