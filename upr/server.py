"""``upr serve``: the web app and the outreach scheduler in one process."""

from __future__ import annotations

import logging
import signal
from types import FrameType
from typing import Any

import click
from flask import Flask
from flask_babel import gettext as _
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

log = logging.getLogger(__name__)
SERVER_NAME = "UPR Outreach"


class _RequestHandler(WSGIRequestHandler):
    """Werkzeug's handler without its banner: the Server header named the Werkzeug and Python versions."""

    def version_string(self) -> str:
        return SERVER_NAME


def web_server(app: Flask, host: str, port: int) -> BaseWSGIServer:
    """The threaded HTTP server ``upr serve`` runs (port 0 picks a free one)."""
    return make_server(host, port, app, threaded=True, request_handler=_RequestHandler)


def _start_background_services(app: Flask) -> list[Any]:
    """Start what runs next to the web app: the outreach sweep, unless configured to run on its own."""
    from outreach.jobs import start_embedded

    service = start_embedded(app)
    return [service] if service is not None else []


def serve(app: Flask, host: str, port: int) -> None:
    settings = app.config["UPR_SETTINGS"]
    try:
        server = web_server(app, host, port)
    except OSError as error:
        address = f"{host}:{port}"
        raise click.ClickException(
            _(
                "Cannot listen on %(address)s (%(problem)s). Is another copy running? Try --port.",
                address=address,
                problem=error.strerror,
            )
        ) from None
    services = _start_background_services(app)
    url = f"http://{host}:{server.server_port}/"
    click.echo(_("UPR Outreach is running at %(url)s  (press Ctrl+C to stop)", url=url))
    if settings.is_demo:
        from crm.contacts.demo import DEMO_EMAIL, DEMO_PASSWORD

        click.echo(_("Demo sign-in: %(email)s / %(password)s", email=DEMO_EMAIL, password=DEMO_PASSWORD))

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo(_("Stopping."))
    finally:
        for service in services:
            service.shutdown()
        server.server_close()
