"""The teams board: each officer's load, what is unassigned, a suggested split and coalition exchange."""

from __future__ import annotations

import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user
from sqlalchemy import delete, select
from werkzeug.wrappers import Response

from crm.auth.models import User
from crm.contacts.models import Organisation
from crm.db import db
from crm.models import Theme
from crm.states import StateResolver, UnknownState
from crm.teams.coalition import CoalitionFileError, claims_by_state, export_csv, import_claims
from crm.teams.models import Assignment, Team
from crm.teams.services import (
    AssignmentError,
    assign_organisation,
    assign_state,
    chosen_team,
    may_manage_team,
    priority_theme_ids,
    set_priority_themes,
)
from crm.teams.split import accept_split, suggest_split
from crm.teams.split import board as team_board

bp = Blueprint("teams", __name__)


@bp.route("/teams")
def board() -> str:
    teams = list(db.session.scalars(select(Team).order_by(Team.name)))
    team = chosen_team(teams, request.args.get("team", ""), current_user)
    if team is None:
        return render_template("teams/board.html", teams=teams, team=None)
    manage = may_manage_team(current_user, team.id)
    proposal = suggest_split(team) if request.args.get("split") == "1" and manage else None
    data = team_board(team)
    return render_template(
        "teams/board.html",
        teams=teams,
        team=team,
        data=data,
        manage=manage,
        proposal=proposal,
        officers={load.officer.id: load.officer for load in data.loads},
        claims=claims_by_state(team),
        themes=list(db.session.scalars(select(Theme).order_by(Theme.name))),
        priority=set(priority_theme_ids(team)),
        organisations=list(
            db.session.scalars(
                select(Organisation).where(Organisation.archived_at.is_(None)).order_by(Organisation.name)
            )
        ),
    )


def _managed_team(team_id: int) -> Team:
    team = db.session.get(Team, team_id) or abort(404)
    if not may_manage_team(current_user, team.id):
        abort(403)
    return team


def _back(team: Team) -> Response:
    return redirect(url_for("teams.board", team=team.id))


@bp.post("/teams/<int:team_id>/assign")
def assign(team_id: int) -> Response:
    team = _managed_team(team_id)
    officer_id = request.form.get("officer_id", "")
    officer = db.session.get(User, int(officer_id)) if officer_id.isdigit() else None
    state, organisation_id = request.form.get("state", "").strip(), request.form.get("organisation_id", "")
    try:
        if officer is None:
            raise AssignmentError("Choose the officer who will take it.")
        if organisation_id.isdigit():
            organisation = db.session.get(Organisation, int(organisation_id)) or abort(404)
            assign_organisation(team, officer, organisation)
            what = organisation.name
        elif state:
            code = StateResolver.from_database().resolve(state)
            assign_state(team, officer, code)
            what = code
        else:
            raise AssignmentError("Choose a state or an organisation to assign.")
    except (AssignmentError, UnknownState) as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"{what} assigned to {officer.display_name}.", "success")
    return _back(team)


@bp.post("/teams/<int:team_id>/unassign")
def unassign(team_id: int) -> Response:
    team = _managed_team(team_id)
    assignment_id = request.form.get("assignment_id", "")
    if assignment_id.isdigit():
        db.session.execute(
            delete(Assignment).where(Assignment.id == int(assignment_id), Assignment.team_id == team.id)
        )
        db.session.commit()
        flash("Assignment removed.", "success")
    return _back(team)


@bp.post("/teams/<int:team_id>/split")
def accept(team_id: int) -> Response:
    """Accept the (possibly edited) proposal: fields ``state_<CODE>`` name the officer of each state."""
    team = _managed_team(team_id)
    proposal: dict[int, list[str]] = {}
    for key, value in request.form.items():
        if key.startswith("state_") and value.isdigit():
            proposal.setdefault(int(value), []).append(key.removeprefix("state_"))
    try:
        made = accept_split(team, proposal)
    except AssignmentError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"{made} states assigned.", "success")
    return _back(team)


@bp.post("/teams/<int:team_id>/themes")
def themes(team_id: int) -> Response:
    team = _managed_team(team_id)
    chosen = {int(v) for v in request.form.getlist("theme_ids") if v.isdigit()}
    known = set(db.session.scalars(select(Theme.id).where(Theme.id.in_(chosen))))
    set_priority_themes(team, known)
    db.session.commit()
    flash(f"{len(known)} priority themes saved.", "success")
    return _back(team)


@bp.route("/teams/<int:team_id>/coalition.csv")
def coalition_export(team_id: int) -> Response:
    team = db.session.get(Team, team_id) or abort(404)
    data = export_csv(team).encode("utf-8-sig")
    return send_file(
        io.BytesIO(data),
        mimetype="text/csv",
        as_attachment=True,
        download_name=f"coalition-team-{team.id}.csv",
    )


@bp.post("/teams/<int:team_id>/coalition")
def coalition_import(team_id: int) -> Response:
    team = _managed_team(team_id)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise CoalitionFileError("Choose the CSV file your partner sent.")
        count = import_claims(team, request.form.get("partner", ""), upload.read().decode("utf-8"))
    except (CoalitionFileError, UnicodeDecodeError) as error:
        db.session.rollback()
        flash(f"Nothing imported: {error}", "error")
    else:
        db.session.commit()
        flash(
            f"{count} states now marked as briefed by {request.form.get('partner', '').strip()}.", "success"
        )
    return _back(team)
