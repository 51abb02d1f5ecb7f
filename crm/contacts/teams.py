"""Teams divide the outreach: states or organisations given to officers, the board and a suggested split."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from crm.auth.models import Role, User
from crm.contacts.models import Contact, Organisation
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


@dataclass
class OfficerLoad:
    officer: User
    states: list[str] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    contacts: int = 0
    priority_recommendations: int = 0


@dataclass
class Board:
    team: Team
    loads: list[OfficerLoad]
    unassigned: list[tuple[State, int]]
    state_names: dict[str, str]


def board(team: Team) -> Board:
    """Each member's load and the states with priority recommendations that nobody holds yet."""
    counts = priority_counts(team)
    loads = {
        user.id: OfficerLoad(user)
        for user in sorted(team.members, key=lambda u: u.display_name.casefold())
        if user.role in ASSIGNABLE_ROLES
    }
    assignments = list(db.session.scalars(select(Assignment).where(Assignment.team_id == team.id)))
    for assignment in assignments:
        load = loads.get(assignment.officer_id)
        if load is None:
            continue
        if assignment.state_code:
            load.states.append(assignment.state_code)
            load.priority_recommendations += counts.get(assignment.state_code, 0)
        elif assignment.organisation is not None:
            load.organisations.append(assignment.organisation)
    contact_counts = dict(
        db.session.execute(
            select(Organisation.state_code, func.count(Contact.id))
            .join(Contact, Contact.organisation_id == Organisation.id)
            .where(Contact.archived_at.is_(None), Organisation.archived_at.is_(None))
            .group_by(Organisation.state_code)
        ).all()
    )
    for load in loads.values():
        load.states.sort()
        load.contacts = sum(contact_counts.get(code, 0) for code in load.states) + sum(
            len([c for c in org.contacts if c.archived_at is None]) for org in load.organisations
        )
    held = {a.state_code for a in assignments if a.state_code}
    states = {s.code: s for s in db.session.scalars(select(State).where(State.code.in_(list(counts))))}
    unassigned = sorted(
        ((states[code], n) for code, n in counts.items() if code not in held),
        key=lambda pair: (-pair[1], pair[0].name),
    )
    names = dict(db.session.execute(select(State.code, State.name)).all())
    return Board(team, list(loads.values()), unassigned, names)


def suggest_split(team: Team) -> dict[int, list[str]]:
    """An even division of the unassigned states by priority recommendations, regional groups mixed.

    Greedy: the heaviest state goes to the lightest officer; among equally loaded officers, the one holding
    fewest states of that regional group, so nobody ends up with one region only.
    """
    current = board(team)
    if not current.loads:
        raise AssignmentError(f"{team.name} has no officers to share the work between.")
    load = {entry.officer.id: entry.priority_recommendations for entry in current.loads}
    groups: dict[int, Counter[str]] = defaultdict(Counter)
    for entry in current.loads:
        for code in entry.states:
            state = db.session.get(State, code)
            groups[entry.officer.id][str(state.regional_group if state else "")] += 1
    proposal: dict[int, list[str]] = {officer_id: [] for officer_id in load}
    for state, count in current.unassigned:
        group = str(state.regional_group or "")
        officer_id = min(load, key=lambda oid: (load[oid], groups[oid][group], len(proposal[oid]), oid))
        proposal[officer_id].append(state.code)
        load[officer_id] += count
        groups[officer_id][group] += 1
    return proposal


def accept_split(team: Team, proposal: dict[int, list[str]]) -> int:
    """Assign every state of an (edited) proposal; returns how many assignments were made."""
    made = 0
    for officer_id, codes in proposal.items():
        officer = db.session.get(User, officer_id)
        if officer is None:
            raise AssignmentError(f"There is no user #{officer_id}.")
        for code in codes:
            assign_state(team, officer, code)
            made += 1
    return made
