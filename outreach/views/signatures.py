"""Each team's signature block, which closes the briefings its campaigns send (coordinators edit them)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, require_role
from crm.db import db
from crm.teams.models import Team
from outreach.forms import SignatureForm
from outreach.models import Signature
from outreach.views.blueprint import bp


@bp.route("/signatures")
@require_role(*COORDINATOR_ROLES)
def signatures() -> str:
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    blocks = {row.team_id: row for row in db.session.scalars(select(Signature))}
    return render_template("outreach/signatures.html", teams=[(team, blocks.get(team.id)) for team in teams])


@bp.route("/signatures/<int:team_id>", methods=["GET", "POST"])
@require_role(*COORDINATOR_ROLES)
def signature(team_id: int) -> str | Response:
    team = db.session.get(Team, team_id)
    if team is None:
        abort(404)
    block = db.session.get(Signature, team.id) or Signature(
        team_id=team.id, name="", organisation="", address=""
    )
    form = SignatureForm(obj=block)
    if form.validate_on_submit():
        form.populate_obj(block)
        db.session.add(block)
        db.session.commit()
        flash(
            _("Saved the signature of team %(team)s: its next briefings close with it.", team=team.name),
            "success",
        )
        return redirect(url_for("outreach.signatures"))
    return render_template("outreach/signature.html", team=team, form=form, block=block)
