"""The board (each officer's load, what nobody holds yet) and a suggested even split of unassigned states."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from crm.auth.models import User
from crm.contacts.models import Contact, Organisation
from crm.db import db
from crm.models import State
from crm.teams.models import Assignment, Team
from crm.teams.services import ASSIGNABLE_ROLES, AssignmentError, assign_state, priority_counts


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
