"""Coverage gaps: priority states with no current contact, postings ended without a successor."""

from __future__ import annotations

from flask import render_template, request
from flask_login import current_user
from sqlalchemy import select

from crm import dates
from crm.auth.access import EDITOR_ROLES
from crm.contacts.coverage import ended_postings, missions_not_contacted, states_without_contact
from crm.contacts.views.blueprint import bp
from crm.db import db
from crm.teams.models import Team
from crm.teams.services import chosen_team, may_manage_team


@bp.route("/coverage")
def coverage() -> str:
    teams = list(db.session.scalars(select(Team).where(Team.archived_at.is_(None)).order_by(Team.name)))
    team = chosen_team(teams, request.args.get("team", ""), current_user)
    today = dates.today()
    since, missions = missions_not_contacted(today)
    return render_template(
        "contacts/coverage.html",
        teams=teams,
        team=team,
        gaps=states_without_contact(team, today) if team else [],
        ended=ended_postings(today, current_user),
        since=since,
        missions=missions,
        may_edit=current_user.role in EDITOR_ROLES,
        managed={t.id for t in teams if may_manage_team(current_user, t.id)},
    )
