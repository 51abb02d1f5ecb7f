"""Forms for campaigns and briefing templates; every field says what it is for."""

from __future__ import annotations

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
    ("", "— a fixed date and time instead —"),
    ("stakeholder_submission", "Stakeholder submission"),
    ("pre_session", "Pre-session"),
    ("review", "Review (Working Group)"),
    ("adoption", "Adoption at the Human Rights Council"),
    ("midterm_report", "Mid-term report"),
    ("visit", "Next visit"),
]
CAMPAIGN_DEADLINES = frozenset(value for value, _label in DEADLINE_CHOICES if value)


class CampaignForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[DataRequired(), Length(max=200)],
        description="For your team, never shown to recipients.",
    )
    review_id = SelectField("Review", coerce=int, description="The State-under-Review and cycle to brief on.")
    template_id = SelectField(
        "Template", coerce=int, description="The briefing text; edit it under Templates."
    )
    theme_ids = SelectMultipleField(
        "Themes", coerce=int, description="Only recommendations on these themes (none chosen: all of them)."
    )
    asks = TextAreaField(
        "Our asks",
        validators=[Length(max=5000)],
        description="What you ask each state to do, one per line; listed in every briefing.",
    )
    deadline_kind = SelectField(
        "Send relative to",
        choices=DEADLINE_CHOICES,
        default="",
        description="A calendar deadline of the review; the date follows the calendar if it moves.",
    )
    offset_days = IntegerField(
        "Days from the deadline",
        default=-42,
        validators=[Optional(), NumberRange(min=-730, max=365)],
        description="Negative is before: -42 is six weeks before.",
    )
    send_at = DateTimeLocalField(
        "Or at (UTC)",
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description="A fixed date and time in UTC, used when no deadline is chosen.",
    )
    weekdays_only = BooleanField(
        "Weekdays only",
        default=True,
        description="Deliver Monday to Friday, 09:00–17:00 in each recipient's own time zone.",
    )
    team_id = SelectField(
        "Signed by",
        coerce=int,
        validate_choice=False,  # absent or unknown: no signature (the view looks the team up)
        description="The team whose signature (name, organisation, address) closes each briefing.",
    )
    attach_factsheets = BooleanField(
        "Attach factsheets",
        default=True,
        description=(
            "A one- or two-page Word factsheet per theme (the four or five most pressing recommendations), "
            "attached to each briefing whose recommendations touch that theme. Written once, when the "
            "campaign is sent."
        ),
    )


class TranslationForm(FlaskForm):
    subject = StringField(
        "Subject",
        validators=[DataRequired(), Length(max=300)],
        description="Jinja2; e.g. {{ review.code }}, {{ state }}, {{ recommendations|length }}.",
    )
    body_text = TextAreaField(
        "Plain-text part", validators=[DataRequired()], description="What text-only mail clients show."
    )
    body_html = TextAreaField(
        "HTML part",
        validators=[DataRequired()],
        description="Values are escaped automatically: markup in a recommendation is shown, never run.",
    )


class SignatureForm(FlaskForm):
    name = StringField(
        "Name",
        validators=[Length(max=200)],
        description="Who signs, with their role: “Anna Keller, UN advocacy officer”.",
    )
    organisation = StringField("Organisation", validators=[Length(max=250)])
    address = TextAreaField(
        "Address",
        validators=[Length(max=1000)],
        description="Postal address, e-mail and telephone, one per line, as they close the letter.",
    )
