"""The campaign form, filled with its choices, read into settings, or filled from a campaign to copy."""

from __future__ import annotations

from datetime import UTC

from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from crm.db import db
from crm.models import Review, Theme
from crm.reviews.services import list_reviews
from crm.teams.models import Team
from outreach.drafts import CampaignSettings
from outreach.forms import CampaignForm
from outreach.models import BriefingTemplate

NO_TEAM = 0


def campaign_form() -> CampaignForm:
    form = CampaignForm()
    form.review_id.choices = [(review.id, review.code) for review in list_reviews()]
    templates = db.session.scalars(select(BriefingTemplate).order_by(BriefingTemplate.name)).all()
    form.template_id.choices = [(template.id, template.name) for template in templates]
    themes = db.session.scalars(select(Theme).order_by(Theme.name)).all()
    form.theme_ids.choices = [(theme.id, theme.name) for theme in themes]
    teams = db.session.scalars(select(Team).order_by(Team.name)).all()
    form.team_id.choices = [(NO_TEAM, _("— no signature —")), *((team.id, team.name) for team in teams)]
    if not form.is_submitted():
        # Most campaigns are signed by the team of the person who plans them.
        mine = [team_id for team_id in current_user.team_ids if team_id in {t.id for t in teams}]
        form.team_id.data = mine[0] if mine else NO_TEAM
    return form


def settings_from(form: CampaignForm) -> CampaignSettings | None:
    """The settings the form holds, or None while it does not validate (its fields carry the errors)."""
    review = db.session.get(Review, form.review_id.data or 0)
    template = db.session.get(BriefingTemplate, form.template_id.data or 0)
    if not form.validate_on_submit() or review is None or template is None:
        return None
    send_at = form.send_at.data.replace(tzinfo=UTC) if form.send_at.data else None
    themes = db.session.scalars(select(Theme).where(Theme.id.in_(form.theme_ids.data or []))).all()
    return CampaignSettings(
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
        team=db.session.get(Team, form.team_id.data) if form.team_id.data else None,
    )


def fill_form(form: CampaignForm, settings: CampaignSettings) -> None:
    """Show a campaign's settings in the form, to change them or to start a copy."""
    form.name.data = settings.name
    form.review_id.data = settings.review.id
    form.template_id.data = settings.template.id
    form.theme_ids.data = [theme.id for theme in settings.themes]
    form.asks.data = settings.asks
    form.deadline_kind.data = settings.deadline_kind or ""
    form.offset_days.data = settings.offset_days
    form.send_at.data = settings.send_at.astimezone(UTC).replace(tzinfo=None) if settings.send_at else None
    form.weekdays_only.data = settings.weekdays_only
    form.attach_factsheets.data = settings.attach_factsheets
    form.team_id.data = settings.team.id if settings.team else NO_TEAM
