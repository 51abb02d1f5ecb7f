"""``upr outreach sweep`` (one sweep, for cron and tests) and ``upr scheduler`` (the sweep's own process)."""

from __future__ import annotations

import signal
import threading
from datetime import UTC, datetime
from types import FrameType

import click
from flask_babel import gettext as _

from crm.web import app_object
from outreach.smtp import SmtpConfigError


def _parse_now(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            _("%(value)s is not an ISO date-time such as 2026-11-24T09:00:00+01:00.", value=repr(value))
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    @cli.group("outreach")
    def outreach_group() -> None:
        """Briefing campaigns, reminders and the outbox."""

    @outreach_group.command("sweep")
    @click.option(
        "--now",
        "now_text",
        metavar="ISO-DATETIME",
        help="Sweep as if it were this time (UTC unless an offset is given); default: the real time.",
    )
    def sweep_command(now_text: str | None) -> None:
        """Queue what has fallen due and send every queued message that is due (one sweep).

        Exits with status 1 when the SMTP server could not be reached (or refused the sign-in), 0 when
        the sweep sent what was due or had nothing to send.
        """
        from outreach.jobs import smtp_for
        from outreach.sweep import run_sweep

        now = _parse_now(now_text)
        app = app_object()
        try:
            smtp, capture = smtp_for(app)
        except SmtpConfigError as error:
            raise click.ClickException(str(error)) from None
        if smtp is None:
            raise click.ClickException(
                _(
                    "No SMTP server is configured: set UPR_SMTP_URL (e.g. smtp://user:password@mail.example.org:587)."
                )
            )
        try:
            report = run_sweep(smtp, now)
        finally:
            if capture is not None:
                capture.shutdown()
        click.echo(str(report))  # the report's counts stay English: cron mails and scripts read them
        if report.smtp_error:
            # Non-zero for cron: the queued mail waits, and someone must look at the server or its settings.
            raise click.ClickException(
                _(
                    "Could not send: %(error)s. The messages wait in the outbox for the next sweep.",
                    error=report.smtp_error,
                )
            )
        if capture is not None:
            click.echo(_("Demo mode: mail was captured in %(folder)s, not delivered.", folder=capture.folder))

    @cli.command("scheduler")
    def scheduler_command() -> None:
        """Run the outreach sweep on its schedule in this process (next to gunicorn); Ctrl+C stops it."""
        from outreach.jobs import start

        app = app_object()
        try:
            service = start(app)
        except SmtpConfigError as error:
            raise click.ClickException(str(error)) from None
        stopped = threading.Event()

        def stop(_signum: int, _frame: FrameType | None) -> None:
            stopped.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        interval = app.config["UPR_SETTINGS"].sweep_interval_seconds
        click.echo(
            _("Outreach scheduler running: one sweep every %(seconds)s s (Ctrl+C to stop).", seconds=interval)
        )
        stopped.wait()
        service.shutdown()
        click.echo(_("Scheduler stopped."))
