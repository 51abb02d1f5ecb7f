"""Forms for organisations, contacts and interactions, with help text for every field."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DateTimeLocalField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from crm.contacts.models import (
    FORMS_OF_ADDRESS,
    INTERACTION_KIND_LABELS,
    ORGANISATION_KIND_LABELS,
    SAFETY_LABELS,
)
from crm.dates import format_number
from crm.text import NOTES

SAFETY_HELP = _l(
    "At risk: the person faces reprisals if exposed. Only admins and your team's officers will see them; "
    "they never appear in exports, feeds or e-mails to others."
)
# The limit of free text, in the reader's digits ("10,000", "10 000"), so built when the form is shown.
NOTES_HELP = LazyString(lambda: _("At most %(count)s characters.", count=format_number(NOTES)))


class OrganisationForm(FlaskForm):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=250)],
        description=_l("As the organisation writes it."),
    )
    kind = SelectField(
        _l("Kind"),
        choices=[(k.value, label) for k, label in ORGANISATION_KIND_LABELS.items()],
        description=_l("Missions, embassies and ministries are mapped to their state's recommendations."),
    )
    state = StringField(
        _l("State"),
        validators=[Length(max=120)],
        description=_l("Name or alpha-3 code (e.g. Sweden or SWE); empty for UN bodies and NGOs."),
    )
    city = StringField(
        _l("City"),
        validators=[Length(max=120)],
        description=_l("An embassy counts for a review when it sits in that state's capital."),
    )
    email = StringField(
        _l("E-mail"), validators=[Length(max=254)], description=_l("The general address, if any.")
    )
    website = StringField(_l("Website"), validators=[Length(max=500)])
    notes = TextAreaField(
        _l("Notes"),
        validators=[Length(max=NOTES)],
        description=LazyString(
            lambda: _(
                "Visible to everyone who can see the organisation. At most %(count)s characters.",
                count=format_number(NOTES),
            )
        ),
    )


class ContactForm(FlaskForm):
    organisation_id = SelectField(
        _l("Organisation"), coerce=int, description=_l("Where the person works now.")
    )
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    title = StringField(
        _l("Title"),
        validators=[Length(max=200)],
        description=_l("Their role; human-rights portfolios rank first."),
    )
    form_of_address = SelectField(
        _l("Form of address"),
        choices=[("", _l("— none: greet them by their full name —")), *((f, f) for f in FORMS_OF_ADDRESS)],
        default="",
        description=_l(
            "How briefings greet them: “Dear Ms Favre,”, “Your Excellency,”; in French “Madame,”."
        ),
    )
    family_name = StringField(
        _l("Family name"),
        validators=[Length(max=120)],
        description=_l("The name after Ms, Mr or Dr (Wang for Wang Yi); empty: the full name's last word."),
    )
    email = StringField(
        _l("E-mail"),
        validators=[Length(max=254)],
        description=_l("Checked for form; internationalised addresses are fine."),
    )
    phone = StringField(_l("Phone"), validators=[Length(max=60)])
    languages = StringField(
        _l("Languages"),
        default="en",
        validators=[Length(max=100)],
        description=_l("Language tags, preferred first, separated by ';' (e.g. fr;en)."),
    )
    timezone = StringField(
        _l("Time zone"),
        default="UTC",
        validators=[Length(max=64)],
        description=_l("IANA name, e.g. Europe/Zurich or Asia/Shanghai."),
    )
    posting_start = DateField(
        _l("Posting starts"), validators=[Optional()], description=_l("When they took up this post.")
    )
    posting_end = DateField(
        _l("Posting ends"),
        validators=[Optional()],
        description=_l(
            "Sixty days before (and up to ninety days after), a task asks who their successor is."
        ),
    )
    safety_level = SelectField(
        _l("Safety"),
        choices=[(s.value, label) for s, label in SAFETY_LABELS.items()],
        description=SAFETY_HELP,
    )
    owner_team_id = SelectField(
        _l("Team"), coerce=int, description=_l("The team that holds this contact and may edit it.")
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=NOTES)], description=NOTES_HELP)


class InteractionForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in INTERACTION_KIND_LABELS.items()])
    occurred_at = DateTimeLocalField(
        _l("When"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired()],
        description=_l("Local time in the zone below."),
    )
    timezone = StringField(
        _l("Time zone"), default="Europe/Zurich", validators=[DataRequired(), Length(max=64)]
    )
    contact_ids = SelectMultipleField(
        _l("Contacts"), coerce=int, validators=[DataRequired()], description=_l("Everyone who took part.")
    )
    recommendations = StringField(
        _l("Recommendations discussed"),
        validators=[Length(max=2000)],
        description=_l("Review and numbers, e.g. CHN-3 28.83, 28.176 (separated by commas)."),
    )
    summary = TextAreaField(_l("Summary"), validators=[Length(max=NOTES)], description=NOTES_HELP)
    outcome = TextAreaField(
        _l("Outcome"),
        validators=[Length(max=NOTES)],
        description=LazyString(
            lambda: _(
                "What was agreed or promised. At most %(count)s characters.", count=format_number(NOTES)
            )
        ),
    )
    follow_up_on = DateField(
        _l("Follow up on"), validators=[Optional()], description=_l("Becomes a task on your calendar.")
    )
    # What the interaction followed, e.g. "calendar-event:12" (``crm.contacts.origins``).
    origin = HiddenField(validators=[Optional(), Length(max=80)])
