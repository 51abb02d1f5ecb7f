"""Forms for visits, official dates, sensitive dates and treaty bodies; services give the precise errors."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from upr_calendar.models import REVIEW_KINDS, TREATY_KINDS, EventKind, Treaty

DATE_HELP = "YYYY-MM-DD, for example 2025-06-30."


class EventForm(FlaskForm):
    kind = SelectField("Kind", choices=[(k.value, k.label) for k in EventKind])
    title = StringField(
        "Title",
        validators=[DataRequired(), Length(max=300)],
        description="Shown in every subscribed calendar: never name a person at risk here.",
    )
    day = StringField("Date", validators=[DataRequired()], description=DATE_HELP)
    start_time = StringField(
        "Starts at", validators=[DataRequired()], description="Local time, HH:MM (24-hour)."
    )
    end_day = StringField(
        "End date", validators=[Optional()], description="Leave empty if it ends the same day."
    )
    end_time = StringField("Ends at", validators=[DataRequired()], description="Local time, HH:MM (24-hour).")
    timezone = StringField(
        "Time zone",
        default="Europe/Zurich",
        validators=[DataRequired()],
        description="Where it happens: Europe/Zurich (Geneva), Asia/Shanghai (Beijing), America/New_York.",
    )
    location = StringField("Place", validators=[Optional(), Length(max=300)])
    description = TextAreaField("Notes", validators=[Optional()])
    briefing_days_before = IntegerField(
        "Send the briefing … days before",
        validators=[Optional(), NumberRange(min=1, max=365)],
        description="Adds a “send the briefing” deadline, e.g. 21 for three weeks before.",
    )
    organisation_id = SelectField(
        "Organisation",
        coerce=int,
        validators=[Optional()],
        description="The mission, ministry or body you meet.",
    )
    contact_ids = SelectMultipleField(
        "People you meet",
        coerce=int,
        validators=[Optional()],
        description="Kept in the app only: names never go into calendar feeds or reminder e-mails.",
    )
    review_id = SelectField("Review", coerce=int, validators=[Optional()])
    team_id = SelectField(
        "Team", coerce=int, validators=[Optional()], description="Its members get the reminder e-mails."
    )
    cancelled = BooleanField(
        "Cancelled", description="Calendars show it as cancelled instead of deleting it."
    )


class OfficialDateForm(FlaskForm):
    kind = SelectField("Deadline", choices=[(k.value, k.label) for k in REVIEW_KINDS])
    day = StringField(
        "Official date",
        validators=[Optional()],
        description=f"{DATE_HELP} To go back to the derived date, remove the official one beside it.",
    )
    source = StringField(
        "Source", validators=[Optional(), Length(max=500)], description="Where the date comes from."
    )


class SensitiveDateForm(FlaskForm):
    day = StringField("Date", validators=[DataRequired()], description=DATE_HELP)
    label = StringField(
        "What it is",
        validators=[DataRequired(), Length(max=300)],
        description="For example, an anniversary or a holiday a contact mentioned.",
    )
    yearly = BooleanField("Every year", default=True)
    state_code = StringField(
        "State (ISO code)", validators=[Optional(), Length(max=3)], description="Optional, e.g. CHN."
    )


class FeedForm(FlaskForm):
    scope = SelectField(
        "Calendar of",
        choices=[("user", "My deadlines"), ("team", "A team"), ("review", "A review")],
        description=(
            "A review's feed holds every milestone of it, past ones included; yours and a team's hold the "
            "last 90 days and the next five years."
        ),
    )
    team_id = SelectField("Team", coerce=int, validators=[Optional()])
    review_id = SelectField("Review", coerce=int, validators=[Optional()])


class TreatyDateForm(FlaskForm):
    treaty = SelectField("Treaty", choices=[(t.value, t.value) for t in Treaty])
    kind = SelectField("What", choices=[(k.value, k.label) for k in TREATY_KINDS])
    day = StringField(
        "Date",
        validators=[DataRequired()],
        description="2025-03-14, or 2025-03 / 2025 while only the month or the year is known.",
    )
    label = StringField(
        "Label",
        validators=[Length(max=300)],
        description="Shown in subscribed calendars; the same treaty, kind and label moves an existing date.",
    )
    source = StringField("Source", validators=[Length(max=500)], description="Where the date comes from.")


class RatificationForm(FlaskForm):
    # Not "treaty": the date form on the same page has that field (and its HTML id).
    party_to = SelectField("Treaty", choices=[(t.value, t.value) for t in Treaty])
    ratified = SelectField("Status", choices=[("yes", "ratified or acceded"), ("no", "not ratified")])
    note = StringField("Note", validators=[Length(max=500)], description="Reservations, signature, source.")
