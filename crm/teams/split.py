"""The board (what nobody holds yet, each officer's load) and a suggested even split of unassigned states.

The board looks at one review: the states that made its recommendations, weighted by how many they made on
the team's priority themes (all of them while the team has none). Without a review it falls back on every
review's recommendations on the priority themes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.auth.models import User
from crm.contacts.models import Contact, Organisation
from crm.db import db
from crm.models import Review, State
from crm.teams.models import Assignment, Team, TeamRole
from crm.teams.services import (
    ASSIGNABLE_ROLES,
    AssignmentError,
    assign,
    counts_for,
    priority_counts,
    priority_theme_ids,
    recommending_counts,
    team_role,
)


@dataclass
class OfficerLoad:
    officer: User
    assignments: list[Assignment] = field(default_factory=list)
    contacts: int = 0
    weight: int = 0

    @property
    def states(self) -> list[str]:
        return sorted(a.state_code for a in self.assignments if a.state_code)

    @property
    def organisations(self) -> list[Organisation]:
        return [a.organisation for a in self.assignments if a.organisation is not None]


@dataclass(frozen=True)
class Unassigned:
    state: State
    recommendations: int
    priority: int | None  # None while the team has no priority themes

    @property
    def weight(self) -> int:
        return self.recommendations if self.priority is None else self.priority


@dataclass
class Board:
    team: Team
    review: Review | None
    loads: list[OfficerLoad]
    unassigned: list[Unassigned]
    held_elsewhere: list[Assignment]
    prioritised: bool


def _weights(team: Team, review: Review | None) -> tuple[dict[str, int], dict[str, int] | None]:
    """Recommendations per state (of the review, or on priority themes of all) and those on priority."""
    priority = priority_counts(team, review) if priority_theme_ids(team) else None
    if review is None:
        return priority or {}, priority
    return recommending_counts(review), priority


def board(team: Team, review: Review | None = None) -> Board:
    """What nobody holds for ``review`` (heaviest first) and each taking member's load in ``team``."""
    counts, priority = _weights(team, review)
    loads = {
        user.id: OfficerLoad(user)
        for user in sorted(team.members, key=lambda u: u.display_name.casefold())
        if user.role in ASSIGNABLE_ROLES and user.active and team_role(team, user) is not TeamRole.OBSERVER
    }
    in_scope = list(db.session.scalars(select(Assignment).where(counts_for(review)).order_by(Assignment.id)))
    weight = priority if priority is not None else counts
    for assignment in in_scope:
        load = loads.get(assignment.officer_id) if assignment.team_id == team.id else None
        if load is None:
            continue
        load.assignments.append(assignment)
        if assignment.state_code:
            load.weight += weight.get(assignment.state_code, 0)
    contact_counts = dict(
        db.session.execute(
            select(Organisation.state_code, func.count(Contact.id))
            .join(Contact, Contact.organisation_id == Organisation.id)
            .where(Contact.archived_at.is_(None), Organisation.archived_at.is_(None))
            .group_by(Organisation.state_code)
        ).all()
    )
    for load in loads.values():
        load.contacts = sum(contact_counts.get(code, 0) for code in load.states) + sum(
            len([c for c in org.contacts if c.archived_at is None]) for org in load.organisations
        )
    held = {a.state_code for a in in_scope if a.state_code}
    held |= {a.organisation.state_code for a in in_scope if a.organisation and a.organisation.state_code}
    states = {s.code: s for s in db.session.scalars(select(State).where(State.code.in_(list(counts))))}
    unassigned = sorted(
        (
            Unassigned(states[code], n, None if priority is None else priority.get(code, 0))
            for code, n in counts.items()
            if code not in held and code in states
        ),
        key=lambda u: (-u.weight, -u.recommendations, u.state.name),
    )
    elsewhere = [a for a in in_scope if a.team_id != team.id and (a.state_code or "") in counts]
    return Board(team, review, list(loads.values()), unassigned, elsewhere, priority is not None)


def suggest_split(team: Team, review: Review | None = None) -> dict[int, list[str]]:
    """An even division of the unassigned states among the team's officers by weight, regional groups mixed.

    Greedy: the heaviest state goes to the lightest officer; among equally loaded officers, the one holding
    fewest states of that regional group, so nobody ends up with one region only.
    """
    current = board(team, review)
    # Team leads share the work only in a team with no officers: leading is work of its own.
    officers = [e for e in current.loads if team_role(team, e.officer) is TeamRole.OFFICER] or current.loads
    if not officers:
        raise AssignmentError(_("%(team)s has no officers to share the work between.", team=team.name))
    load = {entry.officer.id: entry.weight for entry in officers}
    groups: dict[int, Counter[str]] = defaultdict(Counter)
    for entry in officers:
        for code in entry.states:
            state = db.session.get(State, code)
            groups[entry.officer.id][str(state.regional_group if state else "")] += 1
    proposal: dict[int, list[str]] = {officer_id: [] for officer_id in load}
    for item in current.unassigned:
        group = str(item.state.regional_group or "")
        officer_id = min(load, key=lambda oid: (load[oid], groups[oid][group], len(proposal[oid]), oid))
        proposal[officer_id].append(item.state.code)
        load[officer_id] += item.weight
        groups[officer_id][group] += 1
    return proposal


def accept_split(
    team: Team, proposal: dict[int, list[str]], review: Review | None = None, by: User | None = None
) -> int:
    """Assign every state of an (edited) proposal; one already held refuses the whole split."""
    made = 0
    for officer_id, codes in proposal.items():
        officer = db.session.get(User, officer_id)
        if officer is None:
            raise AssignmentError(_("There is no user #%(id)s.", id=officer_id))
        for code in codes:
            assign(team, officer, state_code=code, review=review, by=by)
            made += 1
    return made
