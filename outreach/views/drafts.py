"""Changing a draft campaign, deleting it (with a confirmation and an undo), withdrawing an approved one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, EDITOR_ROLES, require_role
from crm.db import db
from outreach.campaigns import campaign_recipients
from outreach.drafts import (
    UNDO_DAYS,
    CampaignSettings,
    delete_campaign,
    restore_campaign,
    update_campaign,
    withdraw_campaign,
)
from outreach.timing import CampaignError
from outreach.views.blueprint import bp, campaign_or_404
from outreach.views.campaign_form import campaign_form, fill_form, settings_from


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@require_role(*EDITOR_ROLES)
def edit_campaign(campaign_id: int) -> str | Response:
    campaign = campaign_or_404(campaign_id)
    form = campaign_form()
    if request.method == "GET":
        fill_form(form, CampaignSettings.of(campaign))
    else:
        settings = settings_from(form)
        if settings is not None:
            try:
                update_campaign(campaign, settings)
            except CampaignError as error:
                db.session.rollback()
                flash(_("Not saved: %(error)s", error=error), "error")
            else:
                db.session.commit()
                flash(_("Saved. Check the previews again before it is approved."), "success")
                return redirect(url_for("outreach.campaign", campaign_id=campaign.id))
    return render_template("outreach/campaign_edit.html", campaign=campaign, form=form)


@bp.route("/campaigns/<int:campaign_id>/delete", methods=["GET", "POST"])
@require_role(*EDITOR_ROLES)
def delete(campaign_id: int) -> str | Response:
    """GET asks for a confirmation that says what goes; POST deletes (restorable for a while)."""
    campaign = campaign_or_404(campaign_id)
    if request.method == "GET":
        recipients = sum(1 for r in campaign_recipients(campaign) if r.will_receive and r.items)
        return render_template(
            "outreach/campaign_delete.html", campaign=campaign, recipients=recipients, undo_days=UNDO_DAYS
        )
    try:
        delete_campaign(campaign)
    except CampaignError as error:
        flash(str(error), "error")
        return redirect(url_for("outreach.campaign", campaign_id=campaign.id))
    db.session.commit()
    flash(
        _(
            "Deleted “%(name)s”. You can restore it below for %(days)s days.",
            name=campaign.name,
            days=UNDO_DAYS,
        ),
        "success",
    )
    return redirect(url_for("outreach.campaigns", _anchor="deleted"))


@bp.post("/campaigns/<int:campaign_id>/restore")
@require_role(*EDITOR_ROLES)
def restore(campaign_id: int) -> Response:
    campaign = campaign_or_404(campaign_id)
    try:
        restore_campaign(campaign)
    except CampaignError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Restored “%(name)s” as a draft.", name=campaign.name), "success")
    return redirect(url_for("outreach.campaign", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/withdraw")
@require_role(*COORDINATOR_ROLES)
def withdraw(campaign_id: int) -> Response:
    campaign = campaign_or_404(campaign_id)
    try:
        withdraw_campaign(campaign)
    except CampaignError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(
            _(
                "Withdrawn by %(user)s: “%(name)s” is a draft again and sends nothing until it is "
                "approved again.",
                user=current_user.display_name,
                name=campaign.name,
            ),
            "success",
        )
    return redirect(url_for("outreach.campaign", campaign_id=campaign.id))
