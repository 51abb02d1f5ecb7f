"""``upr user ...``: manage users from the command line."""

from __future__ import annotations

import click
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.auth.services import UserError, create_user, find_user, set_active
from crm.auth.sessions import end_sessions
from crm.auth.two_factor import turn_off
from crm.contacts.audit import record_event
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
    click.echo(_("Created %(role)s %(email)s.", role=user.role.label, email=user.email))


def _set_active(email: str, active: bool) -> None:
    user = find_user(email)
    if user is None:
        raise click.ClickException(_("No user signs in as %(email)s.", email=email))
    try:
        changed = set_active(user, active)
    except UserError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    if not changed:
        if active:
            click.echo(_("%(email)s was already enabled.", email=user.email))
        else:
            click.echo(_("%(email)s was already disabled.", email=user.email))
    elif active:
        click.echo(_("%(email)s is enabled again and can sign in.", email=user.email))
    else:
        click.echo(
            _("%(email)s is disabled: their sessions have ended and they cannot sign in.", email=user.email)
        )


@user_group.command("disable")
@click.argument("email")
def disable_user_command(email: str) -> None:
    """Stop EMAIL from signing in and end their sessions on every device (nothing is deleted)."""
    _set_active(email, False)


@user_group.command("enable")
@click.argument("email")
def enable_user_command(email: str) -> None:
    """Let a disabled EMAIL sign in again."""
    _set_active(email, True)


@user_group.command("list")
def list_users_command() -> None:
    """Every user: e-mail, role, whether they can sign in, and their teams."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        # i18n: fixed (a tab-separated listing that scripts read: its words are column values)
        teams = ", ".join(sorted(team.name for team in user.teams)) or "no team"
        status = "active" if user.active else "disabled"  # i18n: fixed (as above)
        click.echo(f"{user.email}\t{user.role.value}\t{status}\t{teams}")


@user_group.command("reset-two-factor")
@click.option("--email", required=True, help="The user who lost their phone and their recovery codes.")
def reset_two_factor_command(email: str) -> None:
    """Turn a user's two-factor sign-in off and end their sessions, so they can sign in and enrol again."""
    user = find_user(email)
    if user is None:
        raise click.ClickException(_("No user has the e-mail address %(email)s.", email=email))
    turn_off(user)
    ended = end_sessions(user)
    record_event(user, "two-factor reset", "from the command line")
    db.session.commit()
    click.echo(
        ngettext(
            "Two-factor sign-in is off for %(email)s and %(num)d session(s) ended. Check who asked before "
            "telling them: they can now sign in with the password alone (and must enrol again if their role "
            "needs it).",
            "Two-factor sign-in is off for %(email)s and %(num)d session(s) ended. Check who asked before "
            "telling them: they can now sign in with the password alone (and must enrol again if their role "
            "needs it).",
            ended,
            email=user.email,
        )
    )


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    cli.add_command(user_group)
