"""The ``upr`` command: a thin edge that wires the crm, calendar and outreach commands together."""

from __future__ import annotations

import os
import sys
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from flask_babel import gettext as _
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError

from crm.i18n import gettext_outside_app, language_outside_app
from crm.text import TextError
from upr.cli_language import commands_of, speaking, wrap_help_by_columns
from upr.config import ConfigError
from upr.plugins import command_registrars


def _create_app() -> Flask:
    from upr.app import create_app

    return create_app()


class UprGroup(FlaskGroup):
    """Flask's CLI without ``--app`` discovery: ``upr`` always means this app."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            create_app=_create_app,
            add_default_commands=False,
            add_version_option=False,
            load_dotenv=False,
            set_debug_flag=False,
            **kwargs,
        )
        # Flask's --app, --env-file and --debug make no sense for a console script bound to one app.
        self.params = [p for p in self.params if p.name not in {"app", "env_file", "debug"}]

    # The commands are this group's own: listing them must not build the app (which may lack a secret).
    def list_commands(self, ctx: click.Context) -> list[str]:
        return click.Group.list_commands(self, ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return click.Group.get_command(self, ctx, name)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        # Help texts and click's own words in the language of this run (UPR_LANGUAGE), English again after.
        with speaking(self, language_outside_app()):
            return super().main(*args, **kwargs)


@click.group(cls=UprGroup, help="UPR Outreach: advocacy CRM and outreach scheduler for the UN UPR.")
def cli() -> None:
    pass


@cli.group("db")
def db_group() -> None:
    """Create or migrate the database."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision to upgrade to.")
def db_upgrade(revision: str) -> None:
    """Create or migrate the database and load the reference list of states."""
    from crm.db import db
    from crm.states import sync_states
    from upr import migrations

    settings = current_app.config["UPR_SETTINGS"]
    migrations.upgrade(settings.database_url, revision)
    changed = sync_states()
    db.session.commit()
    click.echo(
        _(
            "Database is up to date (%(database)s); %(changed)s states added or updated.",
            database=_safe_url(settings.database_url),
            changed=changed,
        )
    )


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database back to REVISION (e.g. ``base`` drops every table)."""
    from upr import migrations

    migrations.downgrade(current_app.config["UPR_SETTINGS"].database_url, revision)
    click.echo(_("Database downgraded to %(revision)s.", revision=revision))


@cli.command("demo")
def demo_command() -> None:
    """Load the demo data from the source documents (running it twice changes nothing)."""
    from upr.demo import load_demo

    report = load_demo()
    for line in report.lines:
        click.echo(line)
    click.echo(_("Demo sign-in: %(email)s / %(password)s", email=report.email, password=report.password))


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve_command(host: str, port: int) -> None:
    """Run the web app (and the outreach scheduler) in one process."""
    from upr.server import serve

    serve(current_app._get_current_object(), host, port)  # type: ignore[attr-defined]


@cli.group("import")
def import_group() -> None:
    """Import recommendations or contacts from files."""


@cli.group("export")
def export_group() -> None:
    """Export recommendations, calendars, matrices and factsheets."""


@cli.command("bench")
@click.argument("workloads", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list instead of a table.")
@click.option(
    "--scale", default=1.0, show_default=True, help="Multiply every workload's size (for quick runs)."
)
def bench_command(workloads: tuple[str, ...], as_json: bool, scale: float) -> None:
    """Time workloads against their floor (the bare library doing the same job in the same run)."""
    from upr.benchmarks.harness import run_benchmarks
    from upr.benchmarks.workloads import ALL

    run_benchmarks(ALL, list(workloads), as_json=as_json, scale=scale)


def _register_domain_commands() -> None:
    for register in command_registrars():
        register(cli, import_group, export_group)


def _run_inside_the_app(root: click.Group) -> None:
    """Every command works inside the app (its configuration and database), however it was registered.

    Only the commands that do something load the app, when they run: ``--help`` at any level needs no
    configuration, so a user can read how to configure before having done it. (Groups only group.)
    """
    for command in commands_of(root):
        if not isinstance(command, click.Group) and command.callback is not None:
            command.callback = with_appcontext(command.callback)


def _safe_url(url: str) -> str:
    """The database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


_register_domain_commands()
_run_inside_the_app(cli)
wrap_help_by_columns(cli)


def _no_schema(detail: str) -> bool:
    """SQLite's "no such table: reviews" or PostgreSQL's 'relation "reviews" does not exist'."""
    return "no such table" in detail or ("relation" in detail and "does not exist" in detail)


def main() -> None:
    """Entry point of the ``upr`` console script: errors are one clear sentence, never a traceback."""
    with speaking(cli, language_outside_app()):
        _run()


def _run() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(gettext_outside_app("Aborted."), err=True)
        sys.exit(1)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except ConfigError as error:
        click.echo(gettext_outside_app("Error: %(problem)s", problem=error), err=True)
        sys.exit(2)
    except TextError as error:
        # Text a command was given that no field may hold (crm.text); nothing was written.
        click.echo(gettext_outside_app("Error: %(problem)s Nothing was changed.", problem=error), err=True)
        sys.exit(1)
    except (OperationalError, ProgrammingError) as error:
        detail = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        if _no_schema(detail):
            click.echo(
                gettext_outside_app(
                    "Error: the database has no tables yet (%(detail)s). Run `upr db upgrade` first.",
                    detail=detail,
                ),
                err=True,
            )
            sys.exit(3)
        if isinstance(error, ProgrammingError):
            click.echo(
                gettext_outside_app("Error: the database refused the change: %(detail)s", detail=detail),
                err=True,
            )
            sys.exit(3)
        click.echo(
            gettext_outside_app(
                "Error: cannot reach the database (%(detail)s). "
                "Check UPR_DATABASE_URL and that the database server is running.",
                detail=detail,
            ),
            err=True,
        )
        sys.exit(3)
    except SQLAlchemyError as error:
        detail = str(error).splitlines()[0]
        click.echo(
            gettext_outside_app("Error: the database refused the change: %(detail)s", detail=detail), err=True
        )
        sys.exit(3)
    except OSError as error:
        problem = f"{error.strerror or error}: {getattr(error, 'filename', '') or ''}".rstrip(": ")
        click.echo(gettext_outside_app("Error: %(problem)s", problem=problem), err=True)
        sys.exit(4)
    except Exception as error:
        # Anything else is a bug; the user still gets one sentence, the traceback only when asked for.
        if os.environ.get("UPR_DEBUG"):
            raise
        click.echo(
            gettext_outside_app(
                "Error: %(problem)s (%(kind)s). Set UPR_DEBUG=1 to see the details.",
                problem=error,
                kind=type(error).__name__,
            ),
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
