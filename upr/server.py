"""``upr serve``: the web app, and in later steps the scheduler, in one process."""

from __future__ import annotations

import importlib
import logging
import signal
from types import FrameType
from typing import Any

import click
from flask import Flask
from werkzeug.serving import make_server

log = logging.getLogger(__name__)


def _start_background_services(app: Flask) -> list[Any]:
    """Start whatever the installed packages run next to the web app (the outreach sweep)."""
    started: list[Any] = []
    try:
        jobs = importlib.import_module("outreach.jobs")
    except ModuleNotFoundError as error:
        if error.name != "outreach.jobs":
            raise
        return started
    service = jobs.start_embedded(app)
    if service is not None:
        started.append(service)
    return started


def serve(app: Flask, host: str, port: int) -> None:
    settings = app.config["UPR_SETTINGS"]
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as error:
        raise click.ClickException(
            f"Cannot listen on {host}:{port} ({error.strerror}). Is another copy running? Try --port."
        ) from None
    services = _start_background_services(app)
    url = f"http://{host}:{server.server_port}/"
    click.echo(f"UPR Outreach is running at {url}  (press Ctrl+C to stop)")
    if settings.is_demo:
        click.echo("Demo sign-in: demo@example.org / briefing-geneva-2024")

    def stop(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopping.")
    finally:
        for service in services:
            service.shutdown()
        server.server_close()
