"""Setting teams up: create, rename, archive (and bring back); add and remove members with their role.

A member who leaves, or a team that is archived, gives its assignments back: they are unassigned with a
line in the history each, so the states show as unassigned on the board instead of being held by nobody
visible.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, select, update

from crm.auth.models import User
from crm.db import db, utcnow
from crm.teams.models import Assignment, Team, TeamRole, team_memberships
from crm.teams.services import unassign

NAME_LENGTH = 120


class TeamError(ValueError):
    """A team could not be changed; the message is meant for the person who asked."""


@dataclass(frozen=True)
class Member:
    user: User
    role: TeamRole
    assignments: int


def find_team(name: str) -> Team | None:
    return db.session.scalar(select(Team).where(func.lower(Team.name) == name.strip().lower()))


def _clean_name(name: str, team: Team | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise TeamError(_("A team needs a name."))
    if len(name) > NAME_LENGTH:
        raise TeamError(_("A team's name has at most %(count)s characters.", count=NAME_LENGTH))
    other = find_team(name)
    if other is not None and other is not team:
        if other.archived_at:
            raise TeamError(
                _(
                    "There is already a team called %(team)s (archived; bring it back instead).",
                    team=other.name,
                )
            )
        raise TeamError(_("There is already a team called %(team)s.", team=other.name))
    return name


def create_team(name: str, description: str = "", lead: User | None = None) -> Team:
    """Stage a new team; ``lead`` (the coordinator creating it) becomes its team lead."""
    team = Team(name=_clean_name(name), description=description.strip())
    db.session.add(team)
    db.session.flush()
    if lead is not None:
        set_member(team, lead, TeamRole.LEAD)
    return team


def rename_team(team: Team, name: str) -> str:
    """Rename; returns the old name."""
    old, team.name = team.name, _clean_name(name, team)
    return old


def _release(team: Team, query_filter: ColumnElement[bool], by: User | None, note: str) -> int:
    held = list(db.session.scalars(select(Assignment).where(Assignment.team_id == team.id, query_filter)))
    for assignment in held:
        unassign(assignment, by, note)
    return len(held)


def set_team_archived(team: Team, archived: bool, by: User | None) -> int:
    """Archive (its assignments are given back; returns how many) or bring back a team."""
    if not archived:
        team.archived_at = None
        return 0
    team.archived_at = team.archived_at or utcnow()
    return _release(team, Assignment.id.is_not(None), by, _("%(team)s was archived", team=team.name))


def set_member(team: Team, user: User, role: TeamRole) -> bool:
    """Add ``user`` with ``role``, or change their role; returns True when they were not a member."""
    if team.archived_at is not None:
        raise TeamError(_("%(team)s is archived: bring it back before changing its members.", team=team.name))
    if not user.active:
        raise TeamError(_("%(name)s's account is disabled.", name=user.display_name))
    if team in user.teams:
        db.session.execute(
            update(team_memberships)
            .where(team_memberships.c.team_id == team.id, team_memberships.c.user_id == user.id)
            .values(role=role)
        )
        return False
    db.session.execute(team_memberships.insert().values(team_id=team.id, user_id=user.id, role=role))
    db.session.expire(user, ["teams"])
    db.session.expire(team, ["members"])
    return True


def remove_member(team: Team, user: User, by: User | None) -> int:
    """Take ``user`` out of ``team``; their assignments in it are given back (returns how many)."""
    if team not in user.teams:
        raise TeamError(_("%(name)s is not a member of %(team)s.", name=user.display_name, team=team.name))
    note = _("%(name)s left %(team)s", name=user.display_name, team=team.name)
    released = _release(team, Assignment.officer_id == user.id, by, note)
    db.session.execute(
        team_memberships.delete().where(
            team_memberships.c.team_id == team.id, team_memberships.c.user_id == user.id
        )
    )
    db.session.expire(user, ["teams"])
    db.session.expire(team, ["members"])
    return released


def members(team: Team) -> list[Member]:
    """The team's members with their role in it and how many assignments each holds, leads first."""
    held = dict(
        db.session.execute(
            select(Assignment.officer_id, func.count(Assignment.id))
            .where(Assignment.team_id == team.id)
            .group_by(Assignment.officer_id)
        ).all()
    )
    rows = db.session.execute(
        select(User, team_memberships.c.role)
        .join(team_memberships, team_memberships.c.user_id == User.id)
        .where(team_memberships.c.team_id == team.id)
    ).all()
    order = list(TeamRole)
    found = [Member(user, TeamRole(role), held.get(user.id, 0)) for user, role in rows]
    return sorted(found, key=lambda m: (order.index(m.role), m.user.display_name.casefold()))
