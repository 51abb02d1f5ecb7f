"""Forms for visits, official dates, sensitive dates and treaty bodies; services give the precise errors."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from upr_calendar.models import EVENT_KIND_LABELS, KIND_LABELS, REVIEW_KINDS, TREATY_KINDS, EventKind, Treaty

DATE_HELP = _l("YYYY-MM-DD, for example 2025-06-30.")


class EventForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(k.value, EVENT_KIND_LABELS[k]) for k in EventKind])
    title = StringField(
        _l("Title"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("Shown in every subscribed calendar: never name a person at risk here."),
    )
    day = StringField(_l("Date"), validators=[DataRequired()], description=DATE_HELP)
    start_time = StringField(
        _l("Starts at"), validators=[DataRequired()], description=_l("Local time, HH:MM (24-hour).")
    )
    end_day = StringField(
        _l("End date"), validators=[Optional()], description=_l("Leave empty if it ends the same day.")
    )
    end_time = StringField(
        _l("Ends at"), validators=[DataRequired()], description=_l("Local time, HH:MM (24-hour).")
    )
    timezone = StringField(
        _l("Time zone"),
        default="Europe/Zurich",
        validators=[DataRequired()],
        description=_l(
            "Where it happens: Europe/Zurich (Geneva), Asia/Shanghai (Beijing), America/New_York."
        ),
    )
    location = StringField(_l("Place"), validators=[Optional(), Length(max=300)])
    description = TextAreaField(_l("Notes"), validators=[Optional()])
    briefing_days_before = IntegerField(
        _l("Send the briefing … days before"),
        validators=[Optional(), NumberRange(min=1, max=365)],
        description=_l("Adds a “send the briefing” deadline, e.g. 21 for three weeks before."),
    )
    organisation_id = SelectField(
        _l("Organisation"),
        coerce=int,
        validators=[Optional()],
        description=_l("The mission, ministry or body you meet."),
    )
    contact_ids = SelectMultipleField(
        _l("People you meet"),
        coerce=int,
        validators=[Optional()],
        description=_l("Kept in the app only: names never go into calendar feeds or reminder e-mails."),
    )
    review_id = SelectField(_l("Review"), coerce=int, validators=[Optional()])
    team_id = SelectField(
        _l("Team"),
        coerce=int,
        validators=[Optional()],
        description=_l("Its members get the reminder e-mails."),
    )
    cancelled = BooleanField(
        _l("Cancelled"), description=_l("Calendars show it as cancelled instead of deleting it.")
    )


class OfficialDateForm(FlaskForm):
    kind = SelectField(_l("Deadline"), choices=[(k.value, KIND_LABELS[k]) for k in REVIEW_KINDS])
    day = StringField(
        _l("Official date"),
        validators=[Optional()],
        description=_l(
            "YYYY-MM-DD, for example 2025-06-30. To go back to the derived date, remove the official one "
            "beside it."
        ),
    )
    source = StringField(
        _l("Source"), validators=[Optional(), Length(max=500)], description=_l("Where the date comes from.")
    )


class SensitiveDateForm(FlaskForm):
    day = StringField(_l("Date"), validators=[DataRequired()], description=DATE_HELP)
    label = StringField(
        _l("What it is"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("For example, an anniversary or a holiday a contact mentioned."),
    )
    yearly = BooleanField(_l("Every year"), default=True)
    state_code = StringField(
        _l("State (ISO code)"), validators=[Optional(), Length(max=3)], description=_l("Optional, e.g. CHN.")
    )


class FeedForm(FlaskForm):
    scope = SelectField(
        _l("Calendar of"),
        choices=[("user", _l("My deadlines")), ("team", _l("A team")), ("review", _l("A review"))],
        description=_l(
            "A review's feed holds every milestone of it, past ones included; yours and a team's hold the "
            "last 90 days and the next five years."
        ),
    )
    team_id = SelectField(_l("Team"), coerce=int, validators=[Optional()])
    review_id = SelectField(_l("Review"), coerce=int, validators=[Optional()])


class TreatyDateForm(FlaskForm):
    treaty = SelectField(_l("Treaty"), choices=[(t.value, t.value) for t in Treaty])
    kind = SelectField(_l("What"), choices=[(k.value, KIND_LABELS[k]) for k in TREATY_KINDS])
    day = StringField(
        _l("Date"),
        validators=[DataRequired()],
        description=_l("2025-03-14, or 2025-03 / 2025 while only the month or the year is known."),
    )
    label = StringField(
        _l("Label"),
        validators=[Length(max=300)],
        description=_l(
            "Shown in subscribed calendars; the same treaty, kind and label moves an existing date."
        ),
    )
    source = StringField(
        _l("Source"), validators=[Length(max=500)], description=_l("Where the date comes from.")
    )


class RatificationForm(FlaskForm):
    # Not "treaty": the date form on the same page has that field (and its HTML id).
    party_to = SelectField(_l("Treaty"), choices=[(t.value, t.value) for t in Treaty])
    ratified = SelectField(
        _l("Status"), choices=[("yes", _l("ratified or acceded")), ("no", _l("not ratified"))]
    )
    note = StringField(
        _l("Note"), validators=[Length(max=500)], description=_l("Reservations, signature, source.")
    )
