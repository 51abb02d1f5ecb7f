"""Setting teams up on the web: the list, creating, renaming, archiving, and the members with their role."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, require_role
from crm.auth.models import Role, User
from crm.db import db
from crm.teams.membership import (
    TeamError,
    create_team,
    members,
    remove_member,
    rename_team,
    set_member,
    set_team_archived,
)
from crm.teams.models import Team, TeamRole
from crm.teams.services import may_manage_team
from crm.teams.views.blueprint import bp, managed_team


def _to_team(team: Team) -> Response:
    return redirect(url_for("teams.team", team_id=team.id))


@bp.route("/teams/all")
def teams_list() -> str:
    teams = list(db.session.scalars(select(Team).order_by(Team.archived_at.is_not(None), Team.name)))
    return render_template(
        "teams/teams.html",
        teams=teams,
        sizes={team.id: len(team.members) for team in teams},
        may_create=current_user.role in COORDINATOR_ROLES,
        manageable={team.id for team in teams if may_manage_team(current_user, team.id)},
    )


@bp.post("/teams/new")
@require_role(*COORDINATOR_ROLES)
def new_team() -> Response:
    try:
        # A coordinator leads the team they create (and so may manage it); an admin manages every team.
        lead = current_user if current_user.role is Role.COORDINATOR else None
        team = create_team(request.form.get("name", ""), request.form.get("description", ""), lead)
    except TeamError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("teams.teams_list"))
    db.session.commit()
    flash(_("Team %(team)s created. Add its officers below.", team=team.name), "success")
    return _to_team(team)


@bp.route("/teams/<int:team_id>")
def team(team_id: int) -> str:
    found = db.session.get(Team, team_id) or abort(404)
    current = members(found)
    inside = {member.user.id for member in current}
    candidates = [
        user
        for user in db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.email))
        if user.id not in inside and user.role is not Role.VIEWER
    ]
    return render_template(
        "teams/team.html",
        team=found,
        members=current,
        candidates=candidates,
        roles=list(TeamRole),
        manage=may_manage_team(current_user, found.id),
        assignment_count=sum(member.assignments for member in current),
    )


@bp.post("/teams/<int:team_id>/rename")
def rename(team_id: int) -> Response:
    found = managed_team(team_id)
    try:
        old = rename_team(found, request.form.get("name", ""))
    except TeamError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("%(old)s is now called %(new)s.", old=old, new=found.name), "success")
    return _to_team(found)


@bp.post("/teams/<int:team_id>/archive")
def archive(team_id: int) -> Response:
    found = managed_team(team_id)
    undo = request.form.get("undo") == "1"
    released = set_team_archived(found, not undo, current_user)
    db.session.commit()
    if undo:
        flash(
            _("%(team)s is back; give its officers their states again on the board.", team=found.name),
            "success",
        )
    elif released:
        message = ngettext(
            "%(team)s archived; its members stay and you can bring it back here. "
            "%(num)d assignments were given back (see the history).",
            "%(team)s archived; its members stay and you can bring it back here. "
            "%(num)d assignments were given back (see the history).",
            released,
            team=found.name,
        )
        flash(message, "success")
    else:
        flash(
            _("%(team)s archived; its members stay and you can bring it back here.", team=found.name),
            "success",
        )
    return _to_team(found)


@bp.post("/teams/<int:team_id>/members")
def add_member(team_id: int) -> Response:
    found = managed_team(team_id)
    user_id = request.form.get("user_id", "")
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    role_value = request.form.get("role", "")
    try:
        if user is None:
            raise TeamError(_("Choose the person to add."))
        if role_value not in {r.value for r in TeamRole}:
            raise TeamError(_("Choose their role in the team."))
        added = set_member(found, user, TeamRole(role_value))
    except TeamError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        values = {"name": user.display_name, "team": found.name, "role": TeamRole(role_value).noun}
        if added:
            flash(_("%(name)s added to %(team)s as %(role)s.", **values), "success")
        else:
            flash(_("%(name)s is now %(role)s in %(team)s.", **values), "success")
    return _to_team(found)


@bp.post("/teams/<int:team_id>/members/<int:user_id>/remove")
def remove(team_id: int, user_id: int) -> Response:
    found = managed_team(team_id)
    user = db.session.get(User, user_id) or abort(404)
    try:
        released = remove_member(found, user, current_user)
    except TeamError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        values = {"name": user.display_name, "team": found.name}
        if released:
            message = ngettext(
                "%(name)s left %(team)s; their %(num)d assignments are unassigned again.",
                "%(name)s left %(team)s; their %(num)d assignments are unassigned again.",
                released,
                **values,
            )
        else:
            message = _("%(name)s left %(team)s.", **values)
        flash(message, "success")
    return _to_team(found)
