"""Campaigns: the list and the new-campaign form, one campaign, previews, approval and holds."""

from __future__ import annotations

from datetime import UTC

from flask import abort, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, EDITOR_ROLES, require_role
from crm.contacts.models import Contact
from crm.contacts.privacy import may_see_contact
from crm.db import db
from crm.models import Review, Theme
from crm.reviews.services import list_reviews
from outreach.campaigns import (
    CampaignError,
    approve_campaign,
    campaign_due_at,
    campaign_recipients,
    create_campaign,
    delivery_report,
    render_briefing,
    set_hold,
    status_counts,
)
from outreach.forms import CAMPAIGN_DEADLINES, CampaignForm
from outreach.models import BriefingTemplate, Campaign
from outreach.rendering import TemplateError, ensure_default_template
from outreach.views.blueprint import bp, campaign_or_404, visible
from upr_calendar.actions import DeadlineAction, register_deadline_actions
from upr_calendar.models import DeadlineKind


@bp.record_once
def _link_campaigns_to_deadlines(state: BlueprintSetupState) -> None:
    register_deadline_actions(state.app, campaign_actions)


def campaign_actions(review: Review, kind: DeadlineKind) -> list[DeadlineAction]:
    """The briefing campaigns timed on a review's deadline, and for coordinators a way to plan one."""
    campaigns = db.session.scalars(
        select(Campaign)
        .where(Campaign.review_id == review.id, Campaign.deadline_kind == kind.value)
        .order_by(Campaign.created_at)
    )
    actions = [
        DeadlineAction(
            f"Briefing campaign “{campaign.name}” ({campaign.status.value})",
            url_for("outreach.campaign", campaign_id=campaign.id),
        )
        for campaign in campaigns
    ]
    if kind.value in CAMPAIGN_DEADLINES and current_user.role in COORDINATOR_ROLES:
        planned = url_for("outreach.campaigns", review=review.id, deadline=kind.value, _anchor="new-campaign")
        actions.append(DeadlineAction("Plan a briefing campaign for this deadline", planned))
    return actions


def _campaign_form() -> CampaignForm:
    form = CampaignForm()
    form.review_id.choices = [(review.id, review.code) for review in list_reviews()]
    templates = db.session.scalars(select(BriefingTemplate).order_by(BriefingTemplate.name)).all()
    form.template_id.choices = [(template.id, template.name) for template in templates]
    themes = db.session.scalars(select(Theme).order_by(Theme.name)).all()
    form.theme_ids.choices = [(theme.id, theme.name) for theme in themes]
    return form


@bp.route("/campaigns", methods=["GET", "POST"])
def campaigns() -> str | Response:
    if request.method == "GET" and current_user.role in COORDINATOR_ROLES:
        ensure_default_template()  # so a first campaign has a template to choose
        db.session.commit()
    form = _campaign_form()
    if request.method == "GET":
        # Planned from a deadline of the calendar: the review and the deadline come chosen.
        if request.args.get("review", "").isdigit():
            form.review_id.data = int(request.args["review"])
        if request.args.get("deadline") in CAMPAIGN_DEADLINES:
            form.deadline_kind.data = request.args["deadline"]
    if request.method == "POST":
        if current_user.role not in COORDINATOR_ROLES:
            abort(403)
        review = db.session.get(Review, form.review_id.data or 0)
        template = db.session.get(BriefingTemplate, form.template_id.data or 0)
        if form.validate_on_submit() and review is not None and template is not None:
            send_at = form.send_at.data.replace(tzinfo=UTC) if form.send_at.data else None
            themes = db.session.scalars(select(Theme).where(Theme.id.in_(form.theme_ids.data or []))).all()
            try:
                campaign = create_campaign(
                    name=form.name.data or "",
                    review=review,
                    template=template,
                    themes=list(themes),
                    asks=form.asks.data or "",
                    send_at=None if form.deadline_kind.data else send_at,
                    deadline_kind=form.deadline_kind.data or None,
                    offset_days=form.offset_days.data or 0,
                    weekdays_only=bool(form.weekdays_only.data),
                    attach_factsheets=bool(form.attach_factsheets.data),
                    created_by=current_user,
                )
            except CampaignError as error:
                db.session.rollback()
                flash(str(error), "error")
            else:
                db.session.commit()
                flash("Campaign created as a draft: check the previews, then approve it.")
                return redirect(url_for("outreach.campaign", campaign_id=campaign.id))
    rows = db.session.scalars(select(Campaign).order_by(Campaign.created_at.desc())).all()
    counts = status_counts()
    return render_template(
        "outreach/campaigns.html",
        campaigns=[(c, campaign_due_at(c), counts.get(c.id, {})) for c in rows],
        form=form,
        may_create=current_user.role in COORDINATOR_ROLES,
    )


@bp.route("/campaigns/<int:campaign_id>")
def campaign(campaign_id: int) -> str:
    campaign = campaign_or_404(campaign_id)
    recipients = [r for r in campaign_recipients(campaign) if may_see_contact(current_user, r.contact)]
    return render_template(
        "outreach/campaign.html",
        campaign=campaign,
        due=campaign_due_at(campaign),
        recipients=recipients,
        deliveries=[(m, visible(m)) for m in delivery_report(campaign)],
        counts=status_counts().get(campaign.id, {}),
        may_approve=current_user.role in COORDINATOR_ROLES,
        may_hold=current_user.role in EDITOR_ROLES,
        my_teams=current_user.team_ids,
    )


@bp.route("/campaigns/<int:campaign_id>/preview/<int:contact_id>")
def preview(campaign_id: int, contact_id: int) -> str:
    campaign = campaign_or_404(campaign_id)
    recipient = next((r for r in campaign_recipients(campaign) if r.contact.id == contact_id), None)
    if recipient is None or not may_see_contact(current_user, recipient.contact):
        abort(404)
    try:
        message = render_briefing(campaign, recipient)
    except TemplateError as error:
        flash(str(error), "error")
        return render_template("outreach/preview.html", campaign=campaign, recipient=recipient, message=None)
    return render_template("outreach/preview.html", campaign=campaign, recipient=recipient, message=message)


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
        flash("Campaign approved: it is sent when it falls due, within each recipient's working hours.")
    return redirect(url_for("outreach.campaign", campaign_id=campaign.id))


@bp.post("/campaigns/<int:campaign_id>/hold/<int:contact_id>")
@require_role(*EDITOR_ROLES)
def hold(campaign_id: int, contact_id: int) -> Response:
    campaign = campaign_or_404(campaign_id)
    contact = db.session.get(Contact, contact_id)
    if contact is None or not may_see_contact(current_user, contact):
        abort(404)
    held = request.form.get("held") == "1"
    try:
        set_hold(campaign, contact, current_user, held=held)
    except CampaignError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"{contact.full_name} is {'held back from' if held else 'back in'} this campaign.")
    return redirect(url_for("outreach.campaign", campaign_id=campaign.id))
