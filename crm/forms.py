"""Forms for the core records."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

DATE_HELP = "YYYY-MM-DD, for example 2024-01-23. Leave empty if not known yet."


class ReviewForm(FlaskForm):  # type: ignore[misc]
    session = StringField(
        "Working Group session",
        validators=[Optional(), Length(max=10)],
        description="The UPR Working Group session number, e.g. 45 for China's review in January 2024.",
    )
    review_date = StringField(
        "Review date",
        validators=[Optional(), Length(max=20)],
        description=f"The day of the interactive dialogue in Geneva. {DATE_HELP} "
        "Every derived deadline (submission, pre-session, mid-term report, next review) moves with it.",
    )
    outcome_session = StringField(
        "HRC outcome session",
        validators=[Optional(), Length(max=10)],
        description="The Human Rights Council session that adopts the outcome, e.g. 56.",
    )
    outcome_adopted_on = StringField(
        "Outcome adopted on",
        validators=[Optional(), Length(max=20)],
        description=f"The day the Council adopted the outcome. {DATE_HELP}",
    )
    team_id = SelectField(
        "Owning team", coerce=int, description="Its members see the review's deadlines in their calendars."
    )
    notes = TextAreaField(
        "Notes",
        validators=[Optional(), Length(max=5000)],
        description="Where the dates come from. Shown only inside the app.",
    )
