"""``upr teams list|add|rename|archive|members``: setting teams up from the command line.

Teams are found by name (any case); people by their sign-in e-mail address.
"""

from __future__ import annotations

import click
from sqlalchemy import select

from crm.auth.models import User
from crm.auth.services import find_user
from crm.db import db
from crm.teams.membership import (
    TeamError,
    create_team,
    find_team,
    members,
    remove_member,
    rename_team,
    set_member,
    set_team_archived,
)
from crm.teams.models import Team, TeamRole


def _team(name: str) -> Team:
    team = find_team(name)
    if team is None:
        raise click.ClickException(f"There is no team called {name!r}; `upr teams list` shows them.")
    return team


def _user(email: str) -> User:
    user = find_user(email)
    if user is None:
        raise click.ClickException(f"No user signs in as {email}; create them with `upr user create`.")
    return user


@click.group("teams")
def teams_group() -> None:
    """Create, rename and archive teams; add and remove their members."""


@teams_group.command("list")
@click.option("--archived", is_flag=True, help="List the archived teams too.")
def list_teams(archived: bool) -> None:
    """Every team with its number of members."""
    query = select(Team).order_by(Team.name)
    if not archived:
        query = query.where(Team.archived_at.is_(None))
    teams = list(db.session.scalars(query))
    if not teams:
        click.echo("No team yet: create one with `upr teams add NAME`.")
    for team in teams:
        status = "  (archived)" if team.archived_at else ""
        click.echo(f"{team.name}\t{len(team.members)} members{status}")


@teams_group.command("add")
@click.argument("name")
@click.option("--description", default="", help="What the team works on.")
@click.option("--lead", "lead_email", help="E-mail address of the team lead, added as a member.")
def add_team(name: str, description: str, lead_email: str | None) -> None:
    """Create the team NAME."""
    lead = _user(lead_email) if lead_email else None
    try:
        team = create_team(name, description, lead)
    except TeamError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created team {team.name}{f' led by {lead.display_name}' if lead else ''}.")


@teams_group.command("rename")
@click.argument("old")
@click.argument("new")
def rename_command(old: str, new: str) -> None:
    """Rename the team OLD to NEW."""
    team = _team(old)
    try:
        before = rename_team(team, new)
    except TeamError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"{before} is now called {team.name}.")


@teams_group.command("archive")
@click.argument("name")
@click.option("--undo", is_flag=True, help="Bring the team back from the archive.")
def archive_command(name: str, undo: bool) -> None:
    """Archive the team NAME: it leaves the board; its assignments are given back (in the history)."""
    team = _team(name)
    released = set_team_archived(team, not undo, None)
    db.session.commit()
    if undo:
        click.echo(f"{team.name} is back.")
    else:
        click.echo(f"{team.name} archived; {released} assignments given back. Undo with --undo.")


@teams_group.command("members")
@click.argument("name")
@click.option("--add", "add_email", help="E-mail address of a person to add (or whose role to change).")
@click.option(
    "--role",
    type=click.Choice([r.value for r in TeamRole]),
    default=TeamRole.OFFICER.value,
    show_default=True,
    help="Their role in the team (with --add): lead, officer, or observer (reads, takes no work).",
)
@click.option("--remove", "remove_email", help="E-mail address of a member to take out of the team.")
def members_command(name: str, add_email: str | None, role: str, remove_email: str | None) -> None:
    """List the members of team NAME, after adding or removing one if asked."""
    team = _team(name)
    try:
        if add_email:
            person = _user(add_email)
            added = set_member(team, person, TeamRole(role))
            change = "added as" if added else "is now"
            click.echo(f"{person.display_name} {change} {TeamRole(role).label.lower()} of {team.name}.")
        if remove_email:
            person = _user(remove_email)
            released = remove_member(team, person, None)
            click.echo(f"{person.display_name} left {team.name}; {released} assignments given back.")
    except TeamError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    found = members(team)
    if not found:
        click.echo(f"{team.name} has no members yet: add them with --add EMAIL --role officer.")
    for member in found:
        click.echo(f"{member.user.email}\t{member.role.value}\t{member.assignments} assignments")


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    cli.add_command(teams_group)
