"""Fixtures: an app on SQLite (default) or on the PostgreSQL named by ``UPR_TEST_DATABASE_URL``.

The schema is built once per run by the real Alembic migrations; each test then starts from a database
holding only the states, because every other table is emptied after it.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, delete
from sqlalchemy.engine import make_url

from crm.auth.models import Role, User
from crm.auth.services import create_user
from crm.db import db
from crm.states import sync_states
from crm.teams.models import Team
from upr import migrations
from upr.app import create_app
from upr.schema import metadata

TEST_PASSWORD = "correct horse battery staple"
REPO_ROOT = Path(__file__).resolve().parents[1]


def _test_database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = os.environ.get("UPR_TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogues() -> None:
    """The gettext catalogues compiled from their .po files, as scripts/setup.sh does: what is tested is
    the catalogue in the repository, never a stale .mo."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for source in (REPO_ROOT / "translations").glob("*/LC_MESSAGES/messages.po"):
        with source.open("rb") as po, source.with_suffix(".mo").open("wb") as mo:
            write_mo(mo, read_po(po))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = _test_database_url(tmp_path_factory)
    migrations.upgrade(url)
    return url


@pytest.fixture(scope="session")
def backend(database_url: str) -> str:
    return make_url(database_url).get_backend_name()


@pytest.fixture
def app_config(database_url: str, tmp_path: Path) -> dict[str, Any]:
    return {
        "environment": "testing",
        "database_url": database_url,
        "secret_key": "test-secret-key-not-for-production",
        "instance_path": tmp_path / "instance",
        "scheduler_enabled": False,
        "WTF_CSRF_ENABLED": False,
    }


@pytest.fixture
def app(app_config: dict[str, Any]) -> Iterator[Flask]:
    application = create_app(app_config)
    with application.app_context():
        sync_states()
        db.session.commit()
    yield application
    _empty_tables()


def _empty_tables() -> None:
    db.session.remove()
    with db.engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            if table.name != "states":
                connection.execute(delete(table))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    return app.test_cli_runner()


@pytest.fixture
def make_user(app: Flask) -> Callable[..., User]:
    def make(
        role: Role | str = Role.ADMIN, email: str | None = None, teams: list[Team] | None = None
    ) -> User:
        role = Role(role)
        with app.app_context():
            user = create_user(
                email or f"{role.value}-{os.urandom(3).hex()}@example.org", TEST_PASSWORD, role
            )
            for team in teams or []:
                user.teams.append(db.session.merge(team))
            db.session.commit()
            db.session.refresh(user)
            db.session.expunge(user)
        return user

    return make


def sign_in(client: FlaskClient, user: User, password: str = TEST_PASSWORD) -> None:
    response = client.post("/sign-in", data={"email": user.email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def admin_client(client: FlaskClient, make_user: Callable[..., User]) -> FlaskClient:
    sign_in(client, make_user(Role.ADMIN))
    return client


@pytest.fixture
def fresh_database_url(tmp_path: Path, database_url: str) -> Iterator[str]:
    """An empty database of the same backend as the suite's, for migration tests."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    name = f"upr_fresh_{os.getpid()}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    """The test app served over real HTTP on a free loopback port, for the browser (as ``upr serve`` does)."""
    import threading

    from upr.server import web_server

    server = web_server(app, "127.0.0.1", 0)
    url = f"http://127.0.0.1:{server.server_port}"
    # As a deployment sets UPR_BASE_URL to where it is served: feeds and mail link back to this server.
    settings = app.config["UPR_SETTINGS"]
    served = dataclasses.replace(settings, base_url=url)
    app.config["UPR_SETTINGS"] = app.jinja_env.globals["settings"] = served
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.config["UPR_SETTINGS"] = app.jinja_env.globals["settings"] = settings


CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never Playwright's own browser download)."""
    import shutil

    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: run scripts/test.sh, which installs it.")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(
        base_url=live_server, accept_downloads=True, viewport={"width": 1280, "height": 900}
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def browser_sign_in(page: Any, user: User, password: str = TEST_PASSWORD) -> None:
    page.goto("/sign-in")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard")


def screenshot(page: Any, name: str) -> Path:
    """Keep a screenshot of a page as a test artefact (test-artifacts/NAME.png)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
