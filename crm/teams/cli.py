"""``upr teams list|add|rename|archive|members``: setting teams up from the command line.

Teams are found by name (any case); people by their sign-in e-mail address.
"""

from __future__ import annotations

import click
from flask_babel import gettext as _
from flask_babel import ngettext
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
        raise click.ClickException(
            _("There is no team called %(name)s; `upr teams list` shows them.", name=repr(name))
        )
    return team


def _user(email: str) -> User:
    user = find_user(email)
    if user is None:
        raise click.ClickException(
            _("No user signs in as %(email)s; create them with `upr user create`.", email=email)
        )
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
        click.echo(_("No team yet: create one with `upr teams add NAME`."))
    for team in teams:
        size = len(team.members)
        if team.archived_at:
            click.echo(
                ngettext(
                    "%(team)s\t%(num)d members  (archived)",
                    "%(team)s\t%(num)d members  (archived)",
                    size,
                    team=team.name,
                )
            )
        else:
            click.echo(
                ngettext("%(team)s\t%(num)d members", "%(team)s\t%(num)d members", size, team=team.name)
            )


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
    if lead is None:
        click.echo(_("Created team %(team)s.", team=team.name))
    else:
        click.echo(_("Created team %(team)s led by %(lead)s.", team=team.name, lead=lead.display_name))


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
    click.echo(_("%(old)s is now called %(new)s.", old=before, new=team.name))


@teams_group.command("archive")
@click.argument("name")
@click.option("--undo", is_flag=True, help="Bring the team back from the archive.")
def archive_command(name: str, undo: bool) -> None:
    """Archive the team NAME: it leaves the board; its assignments are given back (in the history)."""
    team = _team(name)
    released = set_team_archived(team, not undo, None)
    db.session.commit()
    if undo:
        click.echo(_("%(team)s is back.", team=team.name))
    else:
        click.echo(
            ngettext(
                "%(team)s archived; %(num)d assignments given back. Undo with --undo.",
                "%(team)s archived; %(num)d assignments given back. Undo with --undo.",
                released,
                team=team.name,
            )
        )


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
            values = {"person": person.display_name, "role": TeamRole(role).noun, "team": team.name}
            if added:
                click.echo(_("%(person)s added as %(role)s of %(team)s.", **values))
            else:
                click.echo(_("%(person)s is now %(role)s of %(team)s.", **values))
        if remove_email:
            person = _user(remove_email)
            released = remove_member(team, person, None)
            click.echo(
                ngettext(
                    "%(person)s left %(team)s; %(num)d assignments given back.",
                    "%(person)s left %(team)s; %(num)d assignments given back.",
                    released,
                    person=person.display_name,
                    team=team.name,
                )
            )
    except TeamError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    found = members(team)
    if not found:
        click.echo(
            _("%(team)s has no members yet: add them with --add EMAIL --role officer.", team=team.name)
        )
    for member in found:
        click.echo(
            ngettext(
                "%(email)s\t%(role)s\t%(num)d assignments",
                "%(email)s\t%(role)s\t%(num)d assignments",
                member.assignments,
                email=member.user.email,
                role=member.role.value,
            )
        )


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    cli.add_command(teams_group)
