"""``upr outreach sweep`` tells cron when mail could not leave, and the Outbox page shows the last sweep."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from flask import Flask
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.db import db
from outreach.capture import free_port
from outreach.models import MessageStatus, OutboxMessage, SweepRun
from tests.conftest import sign_in
from tests.outreach_support import MONDAY, build_world
from tests.smtp_support import RecordingHandler, SmtpServer, smtp_fixture  # noqa: F401 - the fixture
from upr.app import create_app
from upr.cli import cli

NOW = MONDAY.isoformat()


def _app(app_config: dict[str, Any], smtp_url: str) -> Flask:
    return create_app({**app_config, "smtp_url": smtp_url})


def _outbox_page(app: Flask, make_user: Callable[..., User]) -> str:
    client = app.test_client()
    sign_in(client, make_user(Role.OFFICER))
    return client.get("/outreach/outbox").get_data(as_text=True)


def test_an_unreachable_server_exits_non_zero_and_the_mail_waits(
    app: Flask, app_config: dict[str, Any], make_user: Callable[..., User]
) -> None:
    with app.app_context():
        build_world()
    nobody_listens = _app(app_config, f"smtp://127.0.0.1:{free_port()}")
    result = nobody_listens.test_cli_runner().invoke(cli, ["outreach", "sweep", "--now", NOW])
    assert result.exit_code == 1, result.output
    assert "cannot reach the SMTP server 127.0.0.1" in result.output
    assert "wait in the outbox" in result.output
    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage)).all()
        assert len(rows) == 2
        assert all(r.status is MessageStatus.QUEUED and r.attempts == 1 for r in rows)
        run = db.session.scalar(select(SweepRun))
        assert run is not None and "cannot reach the SMTP server" in run.error
    page = _outbox_page(app, make_user)
    assert "mail did not go out" in page and "cannot reach the SMTP server" in page


def test_a_sweep_that_sent_exits_zero_and_says_so(
    app: Flask, app_config: dict[str, Any], smtp: SmtpServer, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        build_world()
    result = _app(app_config, smtp.url).test_cli_runner().invoke(cli, ["outreach", "sweep", "--now", NOW])
    assert result.exit_code == 0, result.output
    assert "sent 2" in result.output and len(smtp.handler.received) == 2
    page = _outbox_page(app, make_user)
    assert "Last sweep" in page and "sent 2, to retry 0, failed 0" in page


def test_nothing_to_send_exits_zero_even_when_the_server_is_down(
    app: Flask, app_config: dict[str, Any], make_user: Callable[..., User]
) -> None:
    assert "No sweep has run yet" in _outbox_page(app, make_user)
    nobody_listens = _app(app_config, f"smtp://127.0.0.1:{free_port()}")
    result = nobody_listens.test_cli_runner().invoke(cli, ["outreach", "sweep", "--now", NOW])
    assert result.exit_code == 0, result.output
    assert "(nothing was due)" in _outbox_page(app, make_user)


class _RefusingAuthenticator:
    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)


@pytest.fixture
def refusing_smtp() -> Any:
    controller = Controller(
        RecordingHandler(),
        hostname="127.0.0.1",
        port=free_port(),
        authenticator=_RefusingAuthenticator(),
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def test_a_refused_sign_in_to_the_server_exits_non_zero(
    app: Flask, app_config: dict[str, Any], refusing_smtp: Any
) -> None:
    with app.app_context():
        build_world()
    url = f"smtp://outreach:wrong-password@127.0.0.1:{refusing_smtp.port}"
    result = _app(app_config, url).test_cli_runner().invoke(cli, ["outreach", "sweep", "--now", NOW])
    assert result.exit_code == 1, result.output
    assert "refused the sign-in" in result.output
    with app.app_context():
        # A wrong server password is not the recipients' fault: their mail waits, none is failed.
        statuses = {r.status for r in db.session.scalars(select(OutboxMessage))}
    assert statuses == {MessageStatus.QUEUED}
