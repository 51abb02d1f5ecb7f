"""Teams divide the outreach: states or organisations given to officers, and the themes they prioritise.

One owner per mission per review: a state, or an organisation of it, is held by one officer of one team
for a review (or, with no review, for every review). Giving it to someone else is refused, naming who
holds it, unless the caller moves it explicitly; every assignment, move and unassignment is written to
``AssignmentChange``.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, func, or_, select

from crm.auth.models import Role, User
from crm.contacts.models import Organisation
from crm.db import db
from crm.i18n import current_language
from crm.models import Recommendation, RecommendingState, Review, State, recommendation_themes
from crm.state_names import display_name
from crm.teams.models import (
    Assignment,
    AssignmentAction,
    AssignmentChange,
    Team,
    TeamRole,
    team_memberships,
    team_priority_themes,
)

ASSIGNABLE_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)


class AssignmentError(ValueError):
    pass


class AlreadyHeld(AssignmentError):
    """Someone else holds the state or organisation; ``holders`` says who, so a page can offer the move."""

    def __init__(self, message: str, holders: list[Assignment]) -> None:
        super().__init__(message)
        self.holders = holders


def team_role(team: Team, user: User) -> TeamRole | None:
    role = db.session.scalar(
        select(team_memberships.c.role).where(
            team_memberships.c.team_id == team.id, team_memberships.c.user_id == user.id
        )
    )
    return TeamRole(role) if role is not None else None


def check_member(team: Team, officer: User) -> None:
    if team.archived_at is not None:
        raise AssignmentError(_("%(team)s is archived: bring it back before giving it work.", team=team.name))
    role = team_role(team, officer)
    if role is None:
        raise AssignmentError(
            _(
                "%(name)s is not a member of %(team)s: add them to the team before assigning work.",
                name=officer.display_name,
                team=team.name,
            )
        )
    if officer.role not in ASSIGNABLE_ROLES:
        raise AssignmentError(
            _("%(name)s is a viewer and cannot be given outreach work.", name=officer.display_name)
        )
    if role is TeamRole.OBSERVER:
        raise AssignmentError(
            _(
                "%(name)s is an observer in %(team)s and takes no outreach work.",
                name=officer.display_name,
                team=team.name,
            )
        )
    if not officer.active:
        raise AssignmentError(_("%(name)s's account is disabled.", name=officer.display_name))


def describe(assignment: Assignment) -> str:
    """What an assignment covers, by name: "Sweden" or "Mission of Sweden" (as the history keeps it)."""
    if assignment.organisation is not None:
        return assignment.organisation.name
    return assignment.state.name if assignment.state else str(assignment.state_code)


def shown_name(assignment: Assignment) -> str:
    """What an assignment covers as its reader writes it: a state in their language ("瑞典")."""
    if assignment.organisation is None and assignment.state is not None:
        return display_name(assignment.state.code, current_language(), assignment.state.name)
    return describe(assignment)


def counts_for(review: Review | None) -> ColumnElement[bool]:
    """Assignments that count for ``review``: its own and the standing ones (every one when None)."""
    if review is None:
        return Assignment.id.is_not(None)
    return or_(Assignment.review_id == review.id, Assignment.review_id.is_(None))


def holders(
    *, state_code: str | None = None, organisation: Organisation | None = None, review: Review | None = None
) -> list[Assignment]:
    """Who holds a state (itself or any of its organisations) or an organisation (itself, else its state)."""
    if organisation is not None:
        own = list(
            db.session.scalars(
                select(Assignment)
                .where(Assignment.organisation_id == organisation.id, counts_for(review))
                .order_by(Assignment.id)
            )
        )
        if own or not organisation.state_code:
            return own
        # Nobody holds the organisation itself: whoever holds its state does.
        target = Assignment.state_code == organisation.state_code
    elif state_code:
        of_state = select(Organisation.id).where(Organisation.state_code == state_code)
        target = (Assignment.state_code == state_code) | Assignment.organisation_id.in_(of_state)
    else:
        raise AssignmentError(_("Choose a state or an organisation to assign."))
    return list(
        db.session.scalars(select(Assignment).where(target, counts_for(review)).order_by(Assignment.id))
    )


def _holder_phrase(assignment: Assignment) -> str:
    values = {
        "officer": assignment.officer.display_name,
        "team": assignment.team.name,
        "what": shown_name(assignment),
    }
    if assignment.review is None:
        return str(_("%(officer)s (%(team)s, %(what)s for every review)", **values))
    return str(_("%(officer)s (%(team)s, %(what)s for %(code)s)", code=assignment.review.code, **values))


def _record(
    action: AssignmentAction,
    what: str,
    *,
    review: Review | None,
    state_code: str | None,
    organisation: Organisation | None,
    before: Assignment | None,
    after: tuple[Team, User] | None,
    by: User | None,
    note: str = "",
) -> None:
    db.session.add(
        AssignmentChange(
            action=action,
            what=what,
            review_id=review.id if review else None,
            state_code=state_code or (organisation.state_code if organisation else None),
            organisation_id=organisation.id if organisation else None,
            from_team_id=before.team_id if before else None,
            from_officer_id=before.officer_id if before else None,
            to_team_id=after[0].id if after else None,
            to_officer_id=after[1].id if after else None,
            by_id=by.id if by else None,
            note=note,
        )
    )


def _target(state_code: str | None, organisation: Organisation | None) -> tuple[str, str]:
    """The name the history keeps for what is assigned, and the name its reader sees."""
    if organisation is not None:
        return organisation.name, organisation.name
    state = db.session.get(State, state_code) if state_code else None
    if state is None:
        raise AssignmentError(
            _("%(code)s is not the alpha-3 code of a UN member or observer state.", code=state_code)
        )
    return state.name, display_name(state.code, current_language(), state.name)


def assign(
    team: Team,
    officer: User,
    *,
    state_code: str | None = None,
    organisation: Organisation | None = None,
    review: Review | None = None,
    move: bool = False,
    by: User | None = None,
) -> Assignment:
    """Give a state or one organisation to ``officer`` for ``review`` (every review when None).

    Refused with ``AlreadyHeld`` when another officer or team holds it, unless ``move``: then the other
    holders give it up (a state takes its organisations with it; an organisation taken from a state's
    holder overrides the state for that organisation only). ``by`` (None for the command line) must
    manage every team it is taken from.
    """
    check_member(team, officer)
    what, shown = _target(state_code, organisation)
    found = holders(state_code=state_code, organisation=organisation, review=review)
    others = [a for a in found if (a.team_id, a.officer_id) != (team.id, officer.id)]
    review_id = review.id if review else None
    for held in found:
        same_target = (
            held.organisation_id == organisation.id if organisation else held.state_code == state_code
        )
        if not others and same_target and held.review_id == review_id:
            return held
    if others and not move:
        names = "; ".join(_holder_phrase(a) for a in others)
        message = _(
            "%(what)s is already held by %(holders)s. Nobody briefs a mission twice: to hand it over, "
            "move it from %(holder)s to %(officer)s.",
            what=shown,
            holders=names,
            holder=others[0].officer.display_name,
            officer=officer.display_name,
        )
        raise AlreadyHeld(message, others)
    if by is not None:
        refused = sorted({a.team.name for a in others if not may_manage_team(by, a.team_id)})
        if refused:
            raise AssignmentError(
                _(
                    "%(what)s is held by %(teams)s: only its coordinators or an admin can move it.",
                    what=shown,
                    teams=", ".join(refused),
                )
            )
    # One history line per holder the work is taken from, or one "assigned" line when nobody held it.
    taken_from: list[Assignment | None] = [*others] or [None]
    for holder in taken_from:
        _record(
            AssignmentAction.MOVED if holder else AssignmentAction.ASSIGNED,
            what,
            review=review,
            state_code=state_code,
            organisation=organisation,
            before=holder,
            after=(team, officer),
            by=by,
            note=""
            if holder is None or describe(holder) == what
            else _("held as part of %(what)s", what=shown_name(holder)),
        )
        # A state's holder keeps the rest of the state when only one of its organisations moves.
        if holder is not None and (organisation is None or holder.organisation_id is not None):
            db.session.delete(holder)
    db.session.flush()
    assignment = Assignment(
        team_id=team.id,
        officer_id=officer.id,
        review_id=review_id,
        state_code=None if organisation else state_code,
        organisation_id=organisation.id if organisation else None,
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


def unassign(assignment: Assignment, by: User | None, note: str = "") -> None:
    """Take an assignment back; the history keeps who held it."""
    _record(
        AssignmentAction.UNASSIGNED,
        describe(assignment),
        review=assignment.review,
        state_code=assignment.state_code,
        organisation=assignment.organisation,
        before=assignment,
        after=None,
        by=by,
        note=note,
    )
    db.session.delete(assignment)
    db.session.flush()


def assign_state(
    team: Team, officer: User, state_code: str, review: Review | None = None, by: User | None = None
) -> Assignment:
    return assign(team, officer, state_code=state_code, review=review, by=by)


def assign_organisation(
    team: Team,
    officer: User,
    organisation: Organisation,
    review: Review | None = None,
    by: User | None = None,
) -> Assignment:
    """Give one organisation to ``officer``; it overrides the assignment of its state."""
    return assign(team, officer, organisation=organisation, review=review, by=by)


def history(team: Team, limit: int = 50) -> list[AssignmentChange]:
    """The latest changes that gave work to or took it from ``team``, newest first."""
    query = (
        select(AssignmentChange)
        .where((AssignmentChange.from_team_id == team.id) | (AssignmentChange.to_team_id == team.id))
        .order_by(AssignmentChange.at.desc(), AssignmentChange.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))


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


def priority_counts(team: Team, review: Review | None = None) -> dict[str, int]:
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
    if review is not None:
        query = query.join(Recommendation, Recommendation.id == RecommendingState.recommendation_id).where(
            Recommendation.review_id == review.id
        )
    return dict(db.session.execute(query).all())


def recommending_counts(review: Review) -> dict[str, int]:
    """How many of the review's recommendations each state made (jointly made ones count for each)."""
    query = (
        select(RecommendingState.state_code, func.count(func.distinct(RecommendingState.recommendation_id)))
        .join(Recommendation, Recommendation.id == RecommendingState.recommendation_id)
        .where(Recommendation.review_id == review.id)
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
