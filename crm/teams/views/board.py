"""The board: what nobody holds for a review, each officer's load, a suggested split, moves and history."""

from __future__ import annotations

from flask import abort, flash, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.models import User
from crm.contacts.models import Organisation
from crm.db import db
from crm.i18n import current_language
from crm.models import Recommendation, Review, State, Theme
from crm.state_names import display_name
from crm.states import StateResolver, UnknownState
from crm.teams.coalition import claims_by_state
from crm.teams.models import Assignment, AssignmentChange, Team
from crm.teams.services import (
    AlreadyHeld,
    AssignmentError,
    assign,
    chosen_team,
    history,
    holders,
    may_manage_team,
    priority_theme_ids,
    set_priority_themes,
    shown_name,
    unassign,
)
from crm.teams.split import accept_split, suggest_split
from crm.teams.split import board as team_board
from crm.teams.views.blueprint import back_to_board, bp, managed_team, review_from


def _reviews() -> list[Review]:
    """Reviews with recommendations on file, the latest first (the board's choice of review)."""
    with_recommendations = select(Recommendation.review_id).distinct()
    query = (
        select(Review)
        .where(Review.id.in_(with_recommendations))
        .order_by(Review.review_date.desc().nulls_last(), Review.state_code, Review.cycle.desc())
    )
    return list(db.session.scalars(query))


def _chosen_review(reviews: list[Review], team: Team) -> Review | None:
    wanted = request.args.get("review", "")
    if wanted == "all":
        return None
    found = next((r for r in reviews if str(r.id) == wanted), None)
    return found or next((r for r in reviews if r.team_id == team.id), None) or next(iter(reviews), None)


def _pending_move(manage: bool) -> dict[str, object] | None:
    """A refused assignment (``?move_officer=…&move_state=…|move_organisation=…``) offered as a move."""
    officer_id = request.args.get("move_officer", "")
    officer = db.session.get(User, int(officer_id)) if manage and officer_id.isdigit() else None
    if officer is None:
        return None
    organisation_id = request.args.get("move_organisation", "")
    organisation = db.session.get(Organisation, int(organisation_id)) if organisation_id.isdigit() else None
    state_code = request.args.get("move_state", "").upper() or None
    review = review_from(request.args.get("move_review"))
    try:
        held = holders(state_code=state_code, organisation=organisation, review=review)
    except AssignmentError:
        return None
    others = [a for a in held if a.officer_id != officer.id]
    if not others:
        return None
    return {
        "officer": officer,
        "holders": others,
        "state": state_code,
        "organisation": organisation,
        "review": review,
    }


def _change_names(changes: list[AssignmentChange]) -> dict[int, str]:
    """What each history line is about, a state in the reader's language; an organisation (or a state
    since renamed) by the name it had then."""
    codes = {change.state_code for change in changes if change.state_code}
    english = dict(db.session.execute(select(State.code, State.name).where(State.code.in_(codes))).all())
    language = current_language()
    return {
        change.id: display_name(change.state_code, language, change.what)
        if change.state_code
        and change.organisation_id is None
        and english.get(change.state_code) == change.what
        else change.what
        for change in changes
    }


@bp.route("/teams")
def board() -> str:
    show_archived = request.args.get("archived") == "1"
    teams = list(
        db.session.scalars(
            select(Team)
            .where(Team.archived_at.is_not(None) if show_archived else Team.archived_at.is_(None))
            .order_by(Team.name)
        )
    )
    team = chosen_team(teams, request.args.get("team", ""), current_user)
    if team is None:
        return render_template("teams/board.html", teams=teams, team=None)
    reviews = _reviews()
    review = _chosen_review(reviews, team)
    manage = may_manage_team(current_user, team.id) and team.archived_at is None
    proposal = suggest_split(team, review) if request.args.get("split") == "1" and manage else None
    data = team_board(team, review)
    changes = history(team)
    return render_template(
        "teams/board.html",
        teams=teams,
        team=team,
        reviews=reviews,
        review=review,
        data=data,
        manage=manage,
        proposal=proposal,
        pending=_pending_move(manage),
        prefill=request.args.get("assign", "").strip(),
        officers={load.officer.id: load.officer for load in data.loads},
        claims=claims_by_state(team),
        changes=changes,
        change_names=_change_names(changes),
        themes=list(db.session.scalars(select(Theme).order_by(Theme.name))),
        priority=set(priority_theme_ids(team)),
        organisations=list(
            db.session.scalars(
                select(Organisation).where(Organisation.archived_at.is_(None)).order_by(Organisation.name)
            )
        ),
    )


@bp.post("/teams/<int:team_id>/assign", endpoint="assign")
def assign_view(team_id: int) -> Response:
    team = managed_team(team_id)
    review = review_from(request.form.get("review_id"))
    officer_id = request.form.get("officer_id", "")
    officer = db.session.get(User, int(officer_id)) if officer_id.isdigit() else None
    state, organisation_id = request.form.get("state", "").strip(), request.form.get("organisation_id", "")
    organisation = None
    code = None
    try:
        if officer is None:
            raise AssignmentError(_("Choose the officer who will take it."))
        if organisation_id.isdigit():
            organisation = db.session.get(Organisation, int(organisation_id)) or abort(404)
        elif state:
            code = StateResolver.from_database().resolve(state)
        else:
            raise AssignmentError(_("Choose a state or an organisation to assign."))
        made = assign(
            team,
            officer,
            state_code=code,
            organisation=organisation,
            review=review,
            move=request.form.get("move") == "1",
            by=current_user,
        )
    except AlreadyHeld as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return back_to_board(
            team,
            review,
            move_officer=officer.id if officer else None,
            move_state=code,
            move_organisation=organisation.id if organisation else None,
            move_review=review.id if review else None,
        )
    except (AssignmentError, UnknownState) as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        values = {"what": shown_name(made), "officer": officer.display_name}
        db.session.commit()
        if review is None:
            flash(_("%(what)s assigned to %(officer)s.", **values), "success")
        else:
            flash(_("%(what)s assigned to %(officer)s for %(code)s.", code=review.code, **values), "success")
    return back_to_board(team, review)


@bp.post("/teams/<int:team_id>/unassign", endpoint="unassign")
def unassign_view(team_id: int) -> Response:
    team = managed_team(team_id)
    assignment_id = request.form.get("assignment_id", "")
    found = db.session.get(Assignment, int(assignment_id)) if assignment_id.isdigit() else None
    if found is None or found.team_id != team.id:
        abort(404)
    review = found.review
    what, holder = shown_name(found), found.officer.display_name
    unassign(found, current_user)
    db.session.commit()
    flash(
        _(
            "%(what)s is no longer held by %(holder)s; the history below keeps the change.",
            what=what,
            holder=holder,
        ),
        "success",
    )
    return back_to_board(team, review)


@bp.post("/teams/<int:team_id>/split")
def accept(team_id: int) -> Response:
    """Accept the (possibly edited) proposal: fields ``state_<CODE>`` name the officer of each state."""
    team = managed_team(team_id)
    review = review_from(request.form.get("review_id"))
    proposal: dict[int, list[str]] = {}
    for key, value in request.form.items():
        if key.startswith("state_") and value.isdigit():
            proposal.setdefault(int(value), []).append(key.removeprefix("state_"))
    try:
        made = accept_split(team, proposal, review, by=current_user)
    except AssignmentError as error:
        db.session.rollback()
        flash(_("Nothing assigned: %(problem)s", problem=str(error)), "error")
    else:
        db.session.commit()
        if review is None:
            flash(ngettext("%(num)d states assigned.", "%(num)d states assigned.", made), "success")
        else:
            flash(
                ngettext(
                    "%(num)d states assigned for %(code)s.",
                    "%(num)d states assigned for %(code)s.",
                    made,
                    code=review.code,
                ),
                "success",
            )
    return back_to_board(team, review)


@bp.post("/teams/<int:team_id>/themes")
def themes(team_id: int) -> Response:
    team = managed_team(team_id)
    chosen = {int(v) for v in request.form.getlist("theme_ids") if v.isdigit()}
    known = set(db.session.scalars(select(Theme.id).where(Theme.id.in_(chosen))))
    set_priority_themes(team, known)
    db.session.commit()
    flash(ngettext("%(num)d priority themes saved.", "%(num)d priority themes saved.", len(known)), "success")
    return back_to_board(team, review_from(request.form.get("review_id")))
