"""Sign-in, roles, CSRF and the first screen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from crm.auth.models import Role, User
from crm.reviews.services import find_review
from upr.app import create_app
from upr.cli import cli

from .conftest import TEST_PASSWORD, sign_in


def test_health_is_public_and_everything_else_needs_sign_in(client: FlaskClient) -> None:
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json == {"status": "ok", "database": "ok"}
    for path in ("/", "/dashboard", "/states", "/recommendations", "/contacts"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert "/sign-in" in response.headers["Location"]


def test_wrong_password_is_refused_with_a_message(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.VIEWER)
    response = client.post("/sign-in", data={"email": user.email, "password": "wrong password here"})
    assert response.status_code == 200
    assert "do not match an active account" in response.get_data(as_text=True)
    assert client.get("/dashboard").status_code == 302


def test_sign_in_session_expires_and_open_redirects_are_ignored(
    client: FlaskClient, make_user: Callable[..., User], app: Flask
) -> None:
    user = make_user(Role.VIEWER)
    response = client.post(
        "/sign-in?next=https://evil.example/", data={"email": user.email, "password": TEST_PASSWORD}
    )
    assert response.headers["Location"] == "/dashboard"
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.expires is not None  # permanent session with a lifetime
    assert app.permanent_session_lifetime.total_seconds() == 8 * 3600
    assert client.get("/dashboard").status_code == 200
    client.post("/sign-out")
    assert client.get("/dashboard").status_code == 302


def test_csrf_protects_forms(app_config: dict[str, Any], make_user: Callable[..., User]) -> None:
    protected = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    user = make_user(Role.ADMIN)
    client = protected.test_client()
    response = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert "form had expired" in response.get_data(as_text=True)
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    ok = client.post("/sign-in", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token})
    assert ok.status_code == 302


def test_dashboard_shows_china_reviews_after_demo(
    runner: FlaskCliRunner, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    sign_in(client, make_user(Role.VIEWER))
    page = client.get("/dashboard").get_data(as_text=True)
    assert "China — cycle 3" in page and "China — cycle 4" in page
    assert "346" in page and "150</strong> states" in page
    assert "Asia-Pacific" in page and "WEOG" in page
    recs = client.get("/recommendations?response=unknown").get_data(as_text=True)
    assert "28.140" in recs or "Page 1 of" in recs
    assert client.get("/states/SWE").status_code == 200
    assert client.get("/states/XXX").status_code == 404
    # The seeds' own dates for the 4th review are official, beside the derived ones.
    with client.application.app_context():
        review = find_review("CHN-4")
        assert review is not None
        review_id = review.id
    deadlines = client.get(f"/calendar/reviews/{review_id}").get_data(as_text=True)
    documents = deadlines.split('<tr id="documents">')[1].split("</tr>")[0]
    assert documents.count("<td>21 Dec 2023</td>") == 2  # derived and official agree
    stakeholders = deadlines.split('<tr id="stakeholder_submission">')[1].split("</tr>")[0]
    assert "<td>16 Jun 2023</td>" in stakeholders and "<td>18 Jul 2023</td>" in stakeholders
    assert client.get("/no-such-page").status_code == 404
