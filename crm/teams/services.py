"""Teams divide the outreach: states or organisations given to officers, and the themes they prioritise."""

from __future__ import annotations

from sqlalchemy import func, select

from crm.auth.models import Role, User
from crm.contacts.models import Organisation
from crm.db import db
from crm.models import RecommendingState, State, recommendation_themes
from crm.teams.models import Assignment, Team, team_priority_themes

ASSIGNABLE_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)


class AssignmentError(ValueError):
    pass


def check_member(team: Team, officer: User) -> None:
    if team not in officer.teams:
        raise AssignmentError(
            f"{officer.display_name} is not a member of {team.name}: "
            "add them to the team before assigning work."
        )
    if officer.role not in ASSIGNABLE_ROLES:
        raise AssignmentError(f"{officer.display_name} is a viewer and cannot be given outreach work.")


def assign_state(team: Team, officer: User, state_code: str) -> Assignment:
    """Give ``state_code`` to ``officer`` within ``team``, replacing an earlier holder."""
    check_member(team, officer)
    if db.session.get(State, state_code) is None:
        raise AssignmentError(f"{state_code} is not the alpha-3 code of a UN member or observer state.")
    assignment = db.session.scalar(
        select(Assignment).where(Assignment.team_id == team.id, Assignment.state_code == state_code)
    )
    if assignment is None:
        assignment = Assignment(team_id=team.id, state_code=state_code, officer_id=officer.id)
        db.session.add(assignment)
    assignment.officer_id = officer.id
    db.session.flush()
    return assignment


def assign_organisation(team: Team, officer: User, organisation: Organisation) -> Assignment:
    """Give one organisation to ``officer``; it overrides the assignment of its state."""
    check_member(team, officer)
    assignment = db.session.scalar(
        select(Assignment).where(Assignment.team_id == team.id, Assignment.organisation_id == organisation.id)
    )
    if assignment is None:
        assignment = Assignment(team_id=team.id, organisation_id=organisation.id, officer_id=officer.id)
        db.session.add(assignment)
    assignment.officer_id = officer.id
    db.session.flush()
    return assignment


def officer_for_organisation(team_id: int, organisation: Organisation) -> int | None:
    """The officer holding an organisation: its own assignment first, else its state's."""
    rows = db.session.execute(
        select(Assignment.organisation_id, Assignment.officer_id).where(
            Assignment.team_id == team_id,
            (Assignment.organisation_id == organisation.id)
            | (Assignment.state_code == organisation.state_code),
        )
    ).all()
    by_kind = {org_id is not None: officer_id for org_id, officer_id in rows}
    return by_kind.get(True, by_kind.get(False))


def priority_theme_ids(team: Team) -> list[int]:
    return list(
        db.session.scalars(
            select(team_priority_themes.c.theme_id).where(team_priority_themes.c.team_id == team.id)
        )
    )


def set_priority_themes(team: Team, theme_ids: set[int]) -> None:
    """Replace the team's priority themes (they decide coverage gaps and the board's counts)."""
    db.session.execute(team_priority_themes.delete().where(team_priority_themes.c.team_id == team.id))
    if theme_ids:
        db.session.execute(
            team_priority_themes.insert(),
            [{"team_id": team.id, "theme_id": tid} for tid in sorted(theme_ids)],
        )


def priority_counts(team: Team) -> dict[str, int]:
    """How many recommendations on the team's priority themes each state made (jointly made ones count)."""
    query = (
        select(RecommendingState.state_code, func.count(func.distinct(RecommendingState.recommendation_id)))
        .join(
            recommendation_themes,
            recommendation_themes.c.recommendation_id == RecommendingState.recommendation_id,
        )
        .join(team_priority_themes, team_priority_themes.c.theme_id == recommendation_themes.c.theme_id)
        .where(team_priority_themes.c.team_id == team.id)
        .group_by(RecommendingState.state_code)
    )
    return dict(db.session.execute(query).all())


def may_manage_team(user: User, team_id: int) -> bool:
    """Admins manage every team; coordinators the teams they belong to."""
    return user.role is Role.ADMIN or (user.role is Role.COORDINATOR and team_id in user.team_ids)


def chosen_team(teams: list[Team], wanted: str, user: User) -> Team | None:
    """The team whose id is ``wanted`` (a page's ``?team=``), else the user's first team, else the first."""
    found = next((t for t in teams if str(t.id) == wanted), None)
    mine = [t for t in teams if t.id in user.team_ids]
    return found or next(iter(mine or teams), None)
