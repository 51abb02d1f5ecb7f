"""Campaigns: the list, the new-campaign form (blank or a copy), one campaign, previews, approval, holds."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, EDITOR_ROLES, require_role
from crm.contacts.models import Contact
from crm.contacts.privacy import may_see_contact
from crm.db import db
from crm.i18n import current_language
from crm.models import Review
from outreach.campaigns import (
    approve_campaign,
    campaign_recipients,
    delivery_report,
    may_hold,
    render_briefing,
    set_hold,
    status_counts,
)
from outreach.drafts import CampaignSettings, copy_holds, create_campaign, recently_deleted
from outreach.forms import CAMPAIGN_DEADLINES
from outreach.models import Campaign, Signature
from outreach.rendering import TemplateError, ensure_default_template
from outreach.timing import CampaignError, campaign_due_at
from outreach.views.blueprint import bp, campaign_or_404, visible
from outreach.views.campaign_form import campaign_form, fill_form, settings_from
from outreach.wording import Wording
from upr_calendar.actions import DeadlineAction, register_deadline_actions
from upr_calendar.models import DeadlineKind


@bp.record_once
def _link_campaigns_to_deadlines(state: BlueprintSetupState) -> None:
    register_deadline_actions(state.app, campaign_actions)


def campaign_actions(review: Review, kind: DeadlineKind) -> list[DeadlineAction]:
    """The briefing campaigns timed on a review's deadline, and for those who plan them a way to plan one."""
    campaigns = db.session.scalars(
        select(Campaign)
        .where(
            Campaign.review_id == review.id,
            Campaign.deadline_kind == kind.value,
            Campaign.deleted_at.is_(None),
        )
        .order_by(Campaign.created_at)
    )
    actions = [
        DeadlineAction(
            _("Briefing campaign “%(name)s” (%(status)s)", name=campaign.name, status=campaign.status.label),
            url_for("outreach.campaign", campaign_id=campaign.id),
        )
        for campaign in campaigns
    ]
    if kind.value in CAMPAIGN_DEADLINES and current_user.role in EDITOR_ROLES:
        planned = url_for("outreach.campaigns", review=review.id, deadline=kind.value, _anchor="new-campaign")
        actions.append(DeadlineAction(_("Plan a briefing campaign for this deadline"), planned))
    return actions


@bp.route("/campaigns", methods=["GET", "POST"])
def campaigns() -> str | Response:
    """The campaigns, and the form for a new one: blank, planned from a deadline, or a copy of another."""
    if request.method == "GET" and current_user.role in EDITOR_ROLES:
        ensure_default_template()  # so a first campaign has a template to choose
        db.session.commit()
    form = campaign_form()
    source = _clone_source()
    if request.method == "GET":
        if source is not None:
            copy = CampaignSettings.of(source)
            copy.name = _("Copy of %(name)s", name=source.name)
            fill_form(form, copy)
        # Planned from a deadline of the calendar: the review and the deadline come chosen.
        if request.args.get("review", "").isdigit():
            form.review_id.data = int(request.args["review"])
        if request.args.get("deadline") in CAMPAIGN_DEADLINES:
            form.deadline_kind.data = request.args["deadline"]
    if request.method == "POST":
        if current_user.role not in EDITOR_ROLES:
            abort(403)
        settings = settings_from(form)
        if settings is not None:
            try:
                campaign = create_campaign(settings, current_user)
                if source is not None:
                    copy_holds(source, campaign, current_user)
            except CampaignError as error:
                db.session.rollback()
                flash(str(error), "error")
            else:
                db.session.commit()
                flash(_("Campaign created as a draft: check the previews, then have it approved."))
                return redirect(url_for("outreach.campaign", campaign_id=campaign.id))
    rows = db.session.scalars(
        select(Campaign).where(Campaign.deleted_at.is_(None)).order_by(Campaign.created_at.desc())
    ).all()
    counts = status_counts()
    return render_template(
        "outreach/campaigns.html",
        campaigns=[(c, campaign_due_at(c), counts.get(c.id, {})) for c in rows],
        form=form,
        clone_of=source,
        deleted=recently_deleted(),
        may_create=current_user.role in EDITOR_ROLES,
    )


def _clone_source() -> Campaign | None:
    """The campaign the form copies (``?clone=ID``, kept through the POST as a hidden field)."""
    value = request.values.get("clone", "")
    found = db.session.get(Campaign, int(value)) if value.isdigit() else None
    return found if found is not None and found.deleted_at is None else None


@bp.route("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int) -> str:
    campaign = campaign_or_404(campaign_id)
    recipients = [r for r in campaign_recipients(campaign) if may_see_contact(current_user, r.contact)]
    counts = status_counts().get(campaign.id, {})
    return render_template(
        "outreach/campaign.html",
        campaign=campaign,
        due=campaign_due_at(campaign),
        # "42 days before the pre-session": the deadline as a sentence in the reader's language names it.
        stage=Wording(current_language()).stage(campaign.deadline_kind) if campaign.deadline_kind else "",
        recipients=recipients,
        deliveries=[(m, visible(m)) for m in delivery_report(campaign)],
        counts=counts,
        signature=db.session.get(Signature, campaign.team_id) if campaign.team_id else None,
        languages=[t.language for t in campaign.template.translations],
        may_approve=current_user.role in COORDINATOR_ROLES,
        may_edit=current_user.role in EDITOR_ROLES,
        may_hold=lambda contact: may_hold(current_user, campaign, contact),
        # Withdrawing is possible until a message has been attempted; the service checks again.
        may_withdraw=not counts.get("sent") and not counts.get("sending") and not counts.get("failed"),
        my_teams=current_user.team_ids,
    )


@bp.route("/campaigns/<int:campaign_id>/preview/<int:contact_id>")
def preview(campaign_id: int, contact_id: int) -> str:
    campaign = campaign_or_404(campaign_id)
    recipient = next((r for r in campaign_recipients(campaign) if r.contact.id == contact_id), None)
    if recipient is None or not may_see_contact(current_user, recipient.contact):
        abort(404)
    # "Preview in French" for a contact who reads English: the template's French, with their own data.
    language = request.args.get("language", "")
    try:
        message = render_briefing(campaign, recipient, language=language or None)
    except TemplateError as error:
        flash(str(error), "error")
        return render_template(
            "outreach/preview.html", campaign=campaign, recipient=recipient, message=None, languages=[]
        )
    return render_template(
        "outreach/preview.html",
        campaign=campaign,
        recipient=recipient,
        message=message,
        languages=[t.language for t in campaign.template.translations],
    )


@bp.post("/campaigns/<int:campaign_id>/approve")
@require_role(*COORDINATOR_ROLES)
def approve(campaign_id: int) -> Response:
    campaign = campaign_or_404(campaign_id)
    try:
        approve_campaign(campaign, current_user)
    except CampaignError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(_("Campaign approved: it is sent when it falls due, within each recipient's working hours."))
    return redirect(url_for("outreach.campaign", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/hold/<int:contact_id>")
@require_role(*EDITOR_ROLES)
def hold(campaign_id: int, contact_id: int) -> Response:
    campaign = campaign_or_404(campaign_id)
    contact = db.session.get(Contact, contact_id)
    if contact is None or not may_see_contact(current_user, contact):
        abort(404)
    if not may_hold(current_user, campaign, contact):
        abort(404)  # another team's recipient: answered like a missing one
    held = request.form.get("held") == "1"
    try:
        set_hold(campaign, contact, current_user, held=held)
    except CampaignError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        if held:
            flash(_("%(name)s is held back from this campaign.", name=contact.full_name))
        else:
            flash(_("%(name)s is back in this campaign.", name=contact.full_name))
    return redirect(url_for("outreach.campaign", campaign_id=campaign.id))
