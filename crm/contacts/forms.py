"""Forms for organisations, contacts and interactions, with help text for every field."""

from __future__ import annotations

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

from crm.contacts.models import FORMS_OF_ADDRESS, InteractionKind, OrganisationKind, SafetyLevel
from crm.text import NOTES

NOTES_HELP = f"At most {NOTES:,} characters."

SAFETY_HELP = (
    "At risk: the person faces reprisals if exposed. Only admins and your team's officers will see them; "
    "they never appear in exports, feeds or e-mails to others."
)


class OrganisationForm(FlaskForm):
    name = StringField(
        "Name", validators=[DataRequired(), Length(max=250)], description="As the organisation writes it."
    )
    kind = SelectField(
        "Kind",
        choices=[(k.value, k.label) for k in OrganisationKind],
        description="Missions, embassies and ministries are mapped to their state's recommendations.",
    )
    state = StringField(
        "State",
        validators=[Length(max=120)],
        description="Name or alpha-3 code (e.g. Sweden or SWE); empty for UN bodies and NGOs.",
    )
    city = StringField(
        "City",
        validators=[Length(max=120)],
        description="An embassy counts for a review when it sits in that state's capital.",
    )
    email = StringField("E-mail", validators=[Length(max=254)], description="The general address, if any.")
    website = StringField("Website", validators=[Length(max=500)])
    notes = TextAreaField(
        "Notes",
        validators=[Length(max=NOTES)],
        description=f"Visible to everyone who can see the organisation. {NOTES_HELP}",
    )


class ContactForm(FlaskForm):
    organisation_id = SelectField("Organisation", coerce=int, description="Where the person works now.")
    full_name = StringField("Full name", validators=[DataRequired(), Length(max=200)])
    title = StringField(
        "Title", validators=[Length(max=200)], description="Their role; human-rights portfolios rank first."
    )
    form_of_address = SelectField(
        "Form of address",
        choices=[("", "— none: greet them by their full name —"), *((f, f) for f in FORMS_OF_ADDRESS)],
        default="",
        description="How briefings greet them: “Dear Ms Favre,”, “Your Excellency,”; in French “Madame,”.",
    )
    family_name = StringField(
        "Family name",
        validators=[Length(max=120)],
        description="The name after Ms, Mr or Dr (Wang for Wang Yi); empty: the full name's last word.",
    )
    email = StringField(
        "E-mail",
        validators=[Length(max=254)],
        description="Checked for form; internationalised addresses are fine.",
    )
    phone = StringField("Phone", validators=[Length(max=60)])
    languages = StringField(
        "Languages",
        default="en",
        validators=[Length(max=100)],
        description="Language tags, preferred first, separated by ';' (e.g. fr;en).",
    )
    timezone = StringField(
        "Time zone",
        default="UTC",
        validators=[Length(max=64)],
        description="IANA name, e.g. Europe/Zurich or Asia/Shanghai.",
    )
    posting_start = DateField(
        "Posting starts", validators=[Optional()], description="When they took up this post."
    )
    posting_end = DateField(
        "Posting ends",
        validators=[Optional()],
        description="Sixty days before (and up to ninety days after), a task asks who their successor is.",
    )
    safety_level = SelectField(
        "Safety", choices=[(s.value, s.value.replace("_", " ")) for s in SafetyLevel], description=SAFETY_HELP
    )
    owner_team_id = SelectField(
        "Team", coerce=int, description="The team that holds this contact and may edit it."
    )
    notes = TextAreaField("Notes", validators=[Length(max=NOTES)], description=NOTES_HELP)


class InteractionForm(FlaskForm):
    kind = SelectField("Kind", choices=[(k.value, k.value) for k in InteractionKind])
    occurred_at = DateTimeLocalField(
        "When",
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired()],
        description="Local time in the zone below.",
    )
    timezone = StringField("Time zone", default="Europe/Zurich", validators=[DataRequired(), Length(max=64)])
    contact_ids = SelectMultipleField(
        "Contacts", coerce=int, validators=[DataRequired()], description="Everyone who took part."
    )
    recommendations = StringField(
        "Recommendations discussed",
        validators=[Length(max=2000)],
        description="Review and numbers, e.g. CHN-3 28.83, 28.176 (separated by commas).",
    )
    summary = TextAreaField("Summary", validators=[Length(max=NOTES)], description=NOTES_HELP)
    outcome = TextAreaField(
        "Outcome", validators=[Length(max=NOTES)], description=f"What was agreed or promised. {NOTES_HELP}"
    )
    follow_up_on = DateField(
        "Follow up on", validators=[Optional()], description="Becomes a task on your calendar."
    )
    # What the interaction followed, e.g. "calendar-event:12" (``crm.contacts.origins``).
    origin = HiddenField(validators=[Optional(), Length(max=80)])
