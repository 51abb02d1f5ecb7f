"""The ``teams`` blueprint and the helpers its view modules share."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.db import db
from crm.models import Review
from crm.teams.models import Team
from crm.teams.services import may_manage_team

bp = Blueprint("teams", __name__)


def managed_team(team_id: int) -> Team:
    """The team, if the signed-in user may manage it (admins: all; coordinators: their own)."""
    team = db.session.get(Team, team_id) or abort(404)
    if not may_manage_team(current_user, team.id):
        abort(403)
    return team


def review_from(value: str | None) -> Review | None:
    return db.session.get(Review, int(value)) if value and value.isdigit() else None


def back_to_board(team: Team, review: Review | None = None, **args: str | int | None) -> Response:
    values: dict[str, Any] = {"team": team.id, "review": review.id if review else None, **args}
    return redirect(url_for("teams.board", **values))
