"""``upr user ...``: manage users from the command line."""

from __future__ import annotations

import click

from crm.auth.models import Role
from crm.auth.services import UserError, create_user
from crm.db import db


@click.group("user")
def user_group() -> None:
    """Create and manage users."""


@user_group.command("create")
@click.option("--email", required=True, help="The user's e-mail address (their sign-in name).")
@click.option(
    "--role",
    required=True,
    type=click.Choice([r.value for r in Role]),
    help="admin: everything; coordinator: calendar, campaigns, teams; officer: contacts and outreach; "
    "viewer: read only.",
)
@click.option("--name", "full_name", default="", help="Full name shown in the app.")
@click.option(
    "--password",
    envvar="UPR_NEW_USER_PASSWORD",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for when not given (or taken from UPR_NEW_USER_PASSWORD).",
)
def create_user_command(email: str, role: str, full_name: str, password: str) -> None:
    """Create a user who can sign in."""
    try:
        user = create_user(email, password, role, full_name)
        db.session.commit()
    except UserError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role.value} {user.email}.")


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    cli.add_command(user_group)
