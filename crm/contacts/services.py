"""Organisations and contacts: create, edit, archive, postings and successors (merging: ``merging``).

Services stage changes on ``db.session`` and never commit; the view or command that called them does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select, update

from crm import dates
from crm.addresses import InvalidEmail, normalise_email
from crm.auth.models import User
from crm.contacts.models import (
    FORMS_OF_ADDRESS,
    Contact,
    Organisation,
    OrganisationKind,
    SafetyLevel,
    Succession,
    Task,
    TaskKind,
)
from crm.contacts.privacy import may_see_contact, neutral_reference
from crm.db import db, utcnow
from crm.teams.services import officer_for_organisation
from crm.text import LINE, NAME, NOTES, TextError, clean_text

SUCCESSOR_WARNING_DAYS = 60
# Postings that ended longer ago get no task: asking who took over a year later is not a to-do any more;
# the coverage page still lists every ended posting without a successor.
SUCCESSOR_RECENT_DAYS = 90
# The successor task falls due a fortnight before the diplomat leaves, while there is still time to ask.
SUCCESSOR_LEAD_DAYS = 14
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


# The documented limits of a contact's fields (README, "Security"): field -> (label, limit, multiline).
# The labels are the form's, in the reader's language, as the messages about a field name it.
CONTACT_TEXT: dict[str, tuple[LazyString, int, bool]] = {
    "full_name": (_l("Full name"), NAME, False),
    "title": (_l("Title"), NAME, False),
    "phone": (_l("Phone"), 60, False),
    "languages": (_l("Languages"), 100, False),
    "timezone": (_l("Time zone"), 64, False),
    "notes": (_l("Notes"), NOTES, True),
}
ORGANISATION_TEXT: dict[str, tuple[LazyString, int, bool]] = {
    "name": (_l("Name"), 250, False),
    "city": (_l("City"), 120, False),
    "website": (_l("Website"), LINE, False),
    "notes": (_l("Notes"), NOTES, True),
}


class ContactError(ValueError):
    """Input that cannot be saved, with one sentence saying why.

    ``hidden_holder`` is the contact already holding the e-mail address typed when the person asking may
    not see them: the message does not say so, and the caller records it for the admins.
    """

    def __init__(self, message: str, *, hidden_holder: int | None = None) -> None:
        super().__init__(message)
        self.hidden_holder = hidden_holder


def cleaned_texts(record: object, fields: dict[str, tuple[LazyString, int, bool]]) -> list[str]:
    """Check and clean ``record``'s text attributes in place; the problems found, one sentence each."""
    problems = []
    for name, (label, limit, multiline) in fields.items():
        try:
            setattr(record, name, clean_text(getattr(record, name), limit, str(label), multiline=multiline))
        except TextError as error:
            problems.append(str(error))
    return problems


def find_contact_by_email(address: str) -> Contact | None:
    return db.session.scalar(select(Contact).where(func.lower(Contact.email) == address.lower()))


@dataclass
class ContactFields:
    """What a person may type about a contact; ``validate`` turns it into clean values or one error."""

    organisation_id: int
    full_name: str
    title: str = ""
    form_of_address: str = ""
    family_name: str = ""
    email: str = ""
    phone: str = ""
    languages: str = "en"
    timezone: str = "UTC"
    posting_start: date | None = None
    posting_end: date | None = None
    safety_level: SafetyLevel = SafetyLevel.NORMAL
    owner_team_id: int | None = None
    notes: str = ""
    errors: list[str] = field(default_factory=list)

    def validate(self) -> list[str]:
        """Check and normalise every field in place; returns the problems found (empty when valid)."""
        problems = cleaned_texts(self, CONTACT_TEXT)
        if not self.full_name:
            problems.append(_("A contact needs a full name."))
        self.family_name = self.family_name.strip()
        if self.form_of_address not in ("", *FORMS_OF_ADDRESS):
            problems.append(
                _("Choose a form of address among %(forms)s, or none.", forms=", ".join(FORMS_OF_ADDRESS))
            )
        if self.email.strip():
            try:
                self.email = normalise_email(self.email)
            except InvalidEmail as error:
                problems.append(str(error))
        else:
            self.email = ""
        tags = [tag.strip() for tag in re.split(r"[;,]", self.languages) if tag.strip()]
        bad_tags = [tag for tag in tags if not LANGUAGE_TAG.match(tag)]
        if bad_tags:
            problems.append(
                _("Not a language tag: %(tags)s (write e.g. en; fr; zh-Hans).", tags=", ".join(bad_tags))
            )
        self.languages = ";".join(tags) or "en"
        self.timezone = self.timezone.strip() or "UTC"
        try:
            dates.zone(self.timezone)
        except dates.UnknownZone as error:
            problems.append(str(error))
        if self.posting_start and self.posting_end and self.posting_end < self.posting_start:
            problems.append(
                _(
                    "The posting ends (%(end)s) before it starts (%(start)s).",
                    end=self.posting_end,
                    start=self.posting_start,
                )
            )
        self.errors = problems
        return problems


def address_problem(email: str, contact: Contact | None, asker: User | None) -> tuple[str, int | None]:
    """Why ``email`` cannot be ``contact``'s (another contact holds it), and that holder when ``asker`` may
    not see them: then the message names nobody, since naming them would tell that they exist."""
    holder = find_contact_by_email(email) if email else None
    if holder is None or holder is contact:
        return "", None
    if may_see_contact(asker, holder):
        return _("%(email)s already belongs to contact #%(number)s.", email=email, number=holder.id), None
    unusable = _(
        "%(email)s is an address that cannot be used here; use another, or ask an administrator.", email=email
    )
    return unusable, holder.id


def save_contact(
    fields: ContactFields,
    contact: Contact | None = None,
    *,
    today: date | None = None,
    asker: User | None = None,
) -> Contact:
    """Create or update a contact from ``fields`` for ``asker`` (None: a script, which sees no one at risk);
    raises ``ContactError`` on bad input."""
    problems = fields.validate()
    if db.session.get(Organisation, fields.organisation_id) is None:
        problems.append(_("Choose the organisation the person works at."))
    taken, hidden_holder = address_problem(fields.email, contact, asker)
    if taken:
        problems.append(taken)
    if problems:
        raise ContactError(" ".join(problems), hidden_holder=hidden_holder)
    if contact is None:
        contact = Contact(organisation_id=fields.organisation_id, full_name=fields.full_name)
        db.session.add(contact)
    for name in (
        "organisation_id", "full_name", "title", "form_of_address", "family_name", "phone", "languages",
        "timezone", "posting_start", "posting_end", "safety_level", "owner_team_id", "notes",
    ):  # fmt: skip
        setattr(contact, name, getattr(fields, name))
    contact.email = fields.email or None
    db.session.flush()
    ensure_successor_task(contact, today or dates.today())
    return contact


def save_organisation(
    *,
    name: str,
    kind: OrganisationKind,
    state_code: str | None,
    city: str = "",
    email: str = "",
    website: str = "",
    notes: str = "",
    organisation: Organisation | None = None,
) -> Organisation:
    texts = _OrganisationTexts(name, city, website, notes)
    problems = cleaned_texts(texts, ORGANISATION_TEXT)
    if problems:
        raise ContactError(" ".join(problems))
    if not texts.name:
        raise ContactError(_("An organisation needs a name."))
    try:
        clean_email = normalise_email(email) if email.strip() else None
    except InvalidEmail as error:
        raise ContactError(str(error)) from None
    if organisation is None:
        organisation = Organisation(name=texts.name, kind=kind)
        db.session.add(organisation)
    organisation.name, organisation.kind, organisation.state_code = texts.name, kind, state_code or None
    organisation.city, organisation.email = texts.city, clean_email
    organisation.website, organisation.notes = texts.website, texts.notes
    db.session.flush()
    return organisation


@dataclass
class _OrganisationTexts:
    name: str
    city: str
    website: str
    notes: str


def set_archived(record: Contact | Organisation, archived: bool) -> None:
    """Archive (hide from lists and mapping) or bring back; nothing is deleted, so it can be undone.

    A merged duplicate is archived by its merge: it comes back by undoing the merge, with what moved.
    """
    if not archived and record.merged_into_id is not None:
        raise ContactError(_("This record was merged into another one: undo the merge to bring it back."))
    record.archived_at = (record.archived_at or utcnow()) if archived else None


def ensure_successor_task(contact: Contact, today: date) -> Task | None:
    """A "successor" task when a posting ends within 60 days or ended within the last 90, unless a successor
    is known."""
    end = contact.posting_end
    if end is None or contact.archived_at is not None or not _in_successor_window(end, today):
        return None
    if db.session.get(Succession, contact.id) is not None:
        return None
    existing = db.session.scalar(
        select(Task).where(Task.contact_id == contact.id, Task.kind == TaskKind.SUCCESSOR)
    )
    if existing is not None:
        return existing
    # No name in the title: tasks reach calendar feeds.
    who = neutral_reference(contact)
    task = Task(
        title=f"Ask who succeeds {who} at {contact.organisation.name} (posting ends {end:%-d %B %Y})",
        kind=TaskKind.SUCCESSOR,
        due_on=max(today, end - timedelta(days=SUCCESSOR_LEAD_DAYS)),
        team_id=contact.owner_team_id,
        contact_id=contact.id,
        assignee_id=_assigned_officer(contact),
    )
    db.session.add(task)
    return task


def _assigned_officer(contact: Contact) -> int | None:
    if contact.owner_team_id is None:
        return None
    return officer_for_organisation(contact.owner_team_id, contact.organisation)


def _in_successor_window(end: date, today: date) -> bool:
    return (
        today - timedelta(days=SUCCESSOR_RECENT_DAYS) <= end <= today + timedelta(days=SUCCESSOR_WARNING_DAYS)
    )


def plan_successor_tasks(today: date) -> int:
    """Create the successor tasks that are due; returns how many were added."""
    query = select(Contact).where(
        Contact.archived_at.is_(None),
        Contact.posting_end.is_not(None),
        Contact.posting_end <= today + timedelta(days=SUCCESSOR_WARNING_DAYS),
        Contact.posting_end >= today - timedelta(days=SUCCESSOR_RECENT_DAYS),
        Contact.id.not_in(select(Succession.contact_id)),
        Contact.id.not_in(
            select(Task.contact_id).where(Task.kind == TaskKind.SUCCESSOR, Task.contact_id.is_not(None))
        ),
    )
    return sum(ensure_successor_task(contact, today) is not None for contact in db.session.scalars(query))


def record_successor(contact: Contact, successor: Contact, user: User | None) -> Succession:
    """Link the person who took over; the predecessor's interactions stay with them and the organisation."""
    if successor.id == contact.id:
        raise ContactError(_("A contact cannot succeed themselves."))
    succession = db.session.get(Succession, contact.id)
    if succession is None:
        succession = Succession(contact_id=contact.id, successor_id=successor.id)
        db.session.add(succession)
    succession.successor_id = successor.id
    succession.recorded_by_id = user.id if user else None
    succession.recorded_at = utcnow()
    now: datetime = utcnow()
    db.session.execute(
        update(Task)
        .where(Task.contact_id == contact.id, Task.kind == TaskKind.SUCCESSOR, Task.done_at.is_(None))
        .values(done_at=now)
    )
    db.session.flush()
    return succession
