"""Coalition exchange: the team's states and themes as CSV, and a partner's file read in."""

from __future__ import annotations

import io

from flask import abort, flash, request, send_file
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.wrappers import Response

from crm.db import db
from crm.teams.coalition import CoalitionFileError, export_csv, import_claims, read_upload
from crm.teams.models import Team
from crm.teams.views.blueprint import back_to_board, bp, managed_team


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
    team = managed_team(team_id)
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise CoalitionFileError(_("Choose the CSV file your partner sent."))
        count = import_claims(
            team, request.form.get("partner", ""), read_upload(upload.read(), upload.filename)
        )
    except CoalitionFileError as error:
        db.session.rollback()
        flash(_("Nothing imported: %(problem)s", problem=str(error)), "error")
    else:
        db.session.commit()
        partner = request.form.get("partner", "").strip()
        flash(
            ngettext(
                "%(num)d states now marked as briefed by %(partner)s.",
                "%(num)d states now marked as briefed by %(partner)s.",
                count,
                partner=partner,
            ),
            "success",
        )
    return back_to_board(team)
