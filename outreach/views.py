"""Campaigns (create, preview, approve, hold back), briefing templates, the Outbox and unsubscribe."""

from __future__ import annotations

from datetime import UTC

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, EDITOR_ROLES, public, require_role
from crm.contacts.erasure import register_erasure_step
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
    may_hold,
    render_briefing,
    set_hold,
    status_counts,
)
from outreach.forms import CAMPAIGN_DEADLINES, CampaignForm, TranslationForm
from outreach.models import (
    BriefingTemplate,
    Campaign,
    MessageStatus,
    OutboxMessage,
    TemplateTranslation,
)
from outreach.outbox import OutboxError, contact_for_unsubscribe, erase_copies, retry_failed
from outreach.rendering import TemplateError, ensure_default_template, render_translation, sample_context
from outreach.sweep import last_run
from upr_calendar.actions import DeadlineAction, register_deadline_actions
from upr_calendar.models import DeadlineKind

bp = Blueprint("outreach", __name__, url_prefix="/outreach")
OUTBOX_PAGE = 100


@bp.record_once
def _exempt_unsubscribe_from_csrf(state: BlueprintSetupState) -> None:
    # Mail clients' one-click unsubscribe (RFC 8058) POSTs without a session, so without a CSRF token;
    # the signed token in the URL is what authorises it.
    state.app.extensions["csrf"].exempt("outreach.views.unsubscribe")


@bp.record_once
def _link_campaigns_to_deadlines(state: BlueprintSetupState) -> None:
    register_deadline_actions(state.app, campaign_actions)


@bp.record_once
def _erase_mail_with_its_contact(state: BlueprintSetupState) -> None:
    register_erasure_step(state.app, erase_copies)


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


def _campaign(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


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
    campaign = _campaign(campaign_id)
    recipients = [r for r in campaign_recipients(campaign) if may_see_contact(current_user, r.contact)]
    return render_template(
        "outreach/campaign.html",
        campaign=campaign,
        due=campaign_due_at(campaign),
        recipients=recipients,
        deliveries=[(m, _visible(m)) for m in delivery_report(campaign)],
        counts=status_counts().get(campaign.id, {}),
        may_approve=current_user.role in COORDINATOR_ROLES,
        may_hold=lambda contact: may_hold(current_user, campaign, contact),
        my_teams=current_user.team_ids,
    )


@bp.route("/campaigns/<int:campaign_id>/preview/<int:contact_id>")
def preview(campaign_id: int, contact_id: int) -> str:
    campaign = _campaign(campaign_id)
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
    campaign = _campaign(campaign_id)
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
    campaign = _campaign(campaign_id)
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
        flash(f"{contact.full_name} is {'held back from' if held else 'back in'} this campaign.")
    return redirect(url_for("outreach.campaign", campaign_id=campaign.id))


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
        messages=[(m, _visible(m)) for m in messages],
        totals={s.value: totals.get(s, 0) for s in MessageStatus},
        status=status,
        may_retry=current_user.role in EDITOR_ROLES,
        last_sweep=last_run(),
    )


def _visible(message: OutboxMessage) -> bool:
    return message.contact is None or may_see_contact(current_user, message.contact)


@bp.route("/outbox/<int:message_id>")
def message(message_id: int) -> str:
    row = db.session.get(OutboxMessage, message_id)
    if row is None or not _visible(row):
        abort(404)
    return render_template("outreach/message.html", message=row)


@bp.post("/outbox/<int:message_id>/retry")
@require_role(*EDITOR_ROLES)
def retry(message_id: int) -> Response:
    row = db.session.get(OutboxMessage, message_id)
    if row is None or not _visible(row):
        abort(404)
    try:
        retry_failed(row)
    except OutboxError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("The message is queued again; the next sweep sends it.")
    return redirect(url_for("outreach.outbox"))


@bp.route("/templates")
@require_role(*COORDINATOR_ROLES)
def templates() -> str:
    ensure_default_template()
    db.session.commit()
    rows = db.session.scalars(select(BriefingTemplate).order_by(BriefingTemplate.name)).all()
    return render_template("outreach/templates.html", templates=rows)


@bp.route("/templates/<int:template_id>/<language>", methods=["GET", "POST"])
@require_role(*COORDINATOR_ROLES)
def edit_template(template_id: int, language: str) -> str | Response:
    template = db.session.get(BriefingTemplate, template_id)
    if template is None or not language.isalpha() or len(language) > 8:
        abort(404)
    translation = template.translation(language)
    if translation is None:
        source = template.translation("en") or template.translations[0]
        translation = TemplateTranslation(
            language=language, subject=source.subject, body_text=source.body_text, body_html=source.body_html
        )
        is_new = True
    else:
        is_new = False
    form = TranslationForm(obj=translation)
    if form.validate_on_submit():
        form.populate_obj(translation)
        try:
            render_translation(translation, sample_context())
        except TemplateError as error:
            flash(f"Not saved: {error}", "error")
        else:
            if is_new:
                template.translations.append(translation)
            db.session.commit()
            flash(f"Saved the {language} translation.")
            return redirect(url_for("outreach.edit_template", template_id=template.id, language=language))
        db.session.rollback()
    return render_template("outreach/template_edit.html", template=template, language=language, form=form)


@bp.post("/templates/preview")
@require_role(*COORDINATOR_ROLES)
def preview_template() -> Response:
    """The live preview: the posted template rendered with invented sample values."""
    draft = TemplateTranslation(
        language="en",
        subject=request.form.get("subject", ""),
        body_text=request.form.get("body_text", ""),
        body_html=request.form.get("body_html", ""),
    )
    try:
        rendered = render_translation(draft, sample_context())
    except TemplateError as error:
        return jsonify(error=str(error))
    return jsonify(subject=rendered.subject, text=rendered.text, html=rendered.html)


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@public
def unsubscribe(token: str) -> str | tuple[str, int]:
    contact = contact_for_unsubscribe(token)
    if contact is None:
        return render_template("outreach/unsubscribe.html", done=False, invalid=True), 404
    if request.method == "POST":
        contact.opt_out = True
        db.session.commit()
        return render_template("outreach/unsubscribe.html", done=True, invalid=False)
    return render_template("outreach/unsubscribe.html", done=False, invalid=False, token=token)
