"""The ``outreach`` blueprint and what its view modules share."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.blueprints import BlueprintSetupState
from flask_login import current_user

from crm.contacts.erasure import register_erasure_step
from crm.contacts.privacy import may_see_contact
from crm.db import db
from outreach.models import Campaign, OutboxMessage
from outreach.outbox import erase_copies

bp = Blueprint("outreach", __name__, url_prefix="/outreach")


@bp.record_once
def _exempt_unsubscribe_from_csrf(state: BlueprintSetupState) -> None:
    # Mail clients' one-click unsubscribe (RFC 8058) POSTs without a session, so without a CSRF token;
    # the signed token in the URL is what authorises it.
    state.app.extensions["csrf"].exempt("outreach.views.unsubscribe.unsubscribe")


@bp.record_once
def _erase_mail_with_its_contact(state: BlueprintSetupState) -> None:
    register_erasure_step(state.app, erase_copies)


def campaign_or_404(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def visible(message: OutboxMessage) -> bool:
    """Whether the signed-in user may see who a message went to (an at-risk contact's team only)."""
    return message.contact is None or may_see_contact(current_user, message.contact)
