"""The Outbox: every message with its delivery state, one message, and sending a failed one again."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from crm.auth.access import EDITOR_ROLES, require_role
from crm.db import db
from outreach.models import MessageStatus, OutboxMessage
from outreach.outbox import OutboxError, retry_failed
from outreach.sweep import last_run
from outreach.views.blueprint import bp, visible

OUTBOX_PAGE = 100


@bp.route("/outbox")
def outbox() -> str:
    status = request.args.get("status", "")
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(OUTBOX_PAGE)
    if status in {s.value for s in MessageStatus}:
        query = query.where(OutboxMessage.status == MessageStatus(status))
    messages = db.session.scalars(query).all()
    by_status = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    totals = {status: count for status, count in db.session.execute(by_status).all()}
    return render_template(
        "outreach/outbox.html",
        messages=[(m, visible(m)) for m in messages],
        totals=[(s, totals.get(s, 0)) for s in MessageStatus],
        status=status,
        may_retry=current_user.role in EDITOR_ROLES,
        last_sweep=last_run(),
    )


@bp.route("/outbox/<int:message_id>")
def message(message_id: int) -> str:
    row = db.session.get(OutboxMessage, message_id)
    if row is None or not visible(row):
        abort(404)
    return render_template("outreach/message.html", message=row)


@bp.post("/outbox/<int:message_id>/retry")
@require_role(*EDITOR_ROLES)
def retry(message_id: int) -> Response:
    row = db.session.get(OutboxMessage, message_id)
    if row is None or not visible(row):
        abort(404)
    try:
        retry_failed(row)
    except OutboxError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("The message is queued again; the next sweep sends it."))
    return redirect(url_for("outreach.outbox"))
