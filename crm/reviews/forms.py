"""The form for a review's dates, and reading it into the changes the service applies."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from crm.dates import DateError, parse_day
from crm.reviews.services import ReviewChanges, ReviewEditError

T = TypeVar("T")
# Named here so that pybabel finds them; they are translated when a value is refused.
WORKING_GROUP_SESSION = _l(
    "The Working Group session must be a positive whole number, for example 45; %(value)s is not."
)
HRC_SESSION = _l("The HRC session must be a positive whole number, for example 45; %(value)s is not.")


class ReviewForm(FlaskForm):
    session = StringField(
        _l("Working Group session"),
        validators=[Optional(), Length(max=10)],
        description=_l("The UPR Working Group session number, e.g. 45 for China's review in January 2024."),
    )
    review_date = StringField(
        _l("Review date"),
        validators=[Optional(), Length(max=20)],
        description=_l(
            "The day of the interactive dialogue in Geneva. YYYY-MM-DD, for example 2024-01-23. Leave empty "
            "if not known yet. Every derived deadline (submission, pre-session, mid-term report, next "
            "review) moves with it."
        ),
    )
    outcome_session = StringField(
        _l("HRC outcome session"),
        validators=[Optional(), Length(max=10)],
        description=_l("The Human Rights Council session that adopts the outcome, e.g. 56."),
    )
    outcome_adopted_on = StringField(
        _l("Outcome adopted on"),
        validators=[Optional(), Length(max=20)],
        description=_l(
            "The day the Council adopted the outcome. YYYY-MM-DD, for example 2024-01-23. Leave empty if "
            "not known yet."
        ),
    )
    team_id = SelectField(
        _l("Owning team"),
        coerce=int,
        description=_l("Its members see the review's deadlines in their calendars."),
    )
    notes = TextAreaField(
        _l("Notes"),
        validators=[Optional(), Length(max=5000)],
        description=_l("Where the dates come from. Shown only inside the app."),
    )


def _positive(message: LazyString) -> Callable[[str], int]:
    """A parser of session numbers; ``message`` names the refused value as ``%(value)s``."""

    def parse(value: str) -> int:
        if not value.isdigit() or int(value) == 0:
            raise DateError(str(message) % {"value": repr(value)})
        return int(value)

    return parse


def _read(form: ReviewForm, name: str, parse: Callable[[str], T], errors: dict[str, str]) -> T | None:
    """A field's value, ``None`` when empty; a value that cannot be read is noted in ``errors``."""
    text = (getattr(form, name).data or "").strip()
    if not text:
        return None
    try:
        return parse(text)
    except DateError as problem:
        errors[name] = str(problem)
        return None


def parse_changes(form: ReviewForm) -> ReviewChanges:
    """The form's values, or ``ReviewEditError`` naming every field that cannot be read."""
    errors: dict[str, str] = {}
    changes = ReviewChanges(
        session=_read(form, "session", _positive(WORKING_GROUP_SESSION), errors),
        review_date=_read(form, "review_date", parse_day, errors),
        outcome_session=_read(form, "outcome_session", _positive(HRC_SESSION), errors),
        outcome_adopted_on=_read(form, "outcome_adopted_on", parse_day, errors),
        team_id=form.team_id.data or None,
        notes=(form.notes.data or "").strip(),
    )
    if errors:
        raise ReviewEditError(errors)
    return changes
