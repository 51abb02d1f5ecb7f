"""Forms for campaigns and briefing templates; every field says what it is for."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

DEADLINE_CHOICES = [
    ("", _l("— a fixed date and time instead —")),
    ("stakeholder_submission", _l("Stakeholder submission")),
    ("pre_session", _l("Pre-session")),
    ("review", _l("Review (Working Group)")),
    ("adoption", _l("Adoption at the Human Rights Council")),
    ("midterm_report", _l("Mid-term report")),
    ("visit", _l("Next visit")),
]
CAMPAIGN_DEADLINES = frozenset(value for value, _label in DEADLINE_CHOICES if value)


class CampaignForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("For your team, never shown to recipients."),
    )
    review_id = SelectField(
        _l("Review"), coerce=int, description=_l("The State-under-Review and cycle to brief on.")
    )
    template_id = SelectField(
        _l("Template"), coerce=int, description=_l("The briefing text; edit it under Templates.")
    )
    theme_ids = SelectMultipleField(
        _l("Themes"),
        coerce=int,
        description=_l("Only recommendations on these themes (none chosen: all of them)."),
    )
    asks = TextAreaField(
        _l("Our asks"),
        validators=[Length(max=5000)],
        description=_l("What you ask each state to do, one per line; listed in every briefing."),
    )
    deadline_kind = SelectField(
        _l("Send relative to"),
        choices=DEADLINE_CHOICES,
        default="",
        description=_l("A calendar deadline of the review; the date follows the calendar if it moves."),
    )
    offset_days = IntegerField(
        _l("Days from the deadline"),
        default=-42,
        validators=[Optional(), NumberRange(min=-730, max=365)],
        description=_l("Negative is before: -42 is six weeks before."),
    )
    send_at = DateTimeLocalField(
        _l("Or at (UTC)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("A fixed date and time in UTC, used when no deadline is chosen."),
    )
    weekdays_only = BooleanField(
        _l("Weekdays only"),
        default=True,
        description=_l("Deliver Monday to Friday, 09:00–17:00 in each recipient's own time zone."),
    )
    team_id = SelectField(
        _l("Signed by"),
        coerce=int,
        validate_choice=False,  # absent or unknown: no signature (the view looks the team up)
        description=_l("The team whose signature (name, organisation, address) closes each briefing."),
    )
    attach_factsheets = BooleanField(
        _l("Attach factsheets"),
        default=True,
        description=_l(
            "A one- or two-page Word factsheet per theme (the four or five most pressing recommendations), "
            "attached to each briefing whose recommendations touch that theme. Written once, when the "
            "campaign is sent."
        ),
    )


class TranslationForm(FlaskForm):
    subject = StringField(
        _l("Subject"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("Jinja2; e.g. {{ review.code }}, {{ state }}, {{ recommendations|length }}."),
    )
    body_text = TextAreaField(
        _l("Plain-text part"),
        validators=[DataRequired()],
        description=_l("What text-only mail clients show."),
    )
    body_html = TextAreaField(
        _l("HTML part"),
        validators=[DataRequired()],
        description=_l("Values are escaped automatically: markup in a recommendation is shown, never run."),
    )


class SignatureForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[Length(max=200)],
        description=_l("Who signs, with their role: “Anna Keller, UN advocacy officer”."),
    )
    organisation = StringField(_l("Organisation"), validators=[Length(max=250)])
    address = TextAreaField(
        _l("Address"),
        validators=[Length(max=1000)],
        description=_l("Postal address, e-mail and telephone, one per line, as they close the letter."),
    )
