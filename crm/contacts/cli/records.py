"""``upr contacts add|edit|archive|successor-tasks`` and ``upr organisations add|edit|archive``
(merging is in :mod:`crm.contacts.cli.merges`).

People are found by e-mail address; an at-risk person is answered like an unknown one, so a script never
learns they exist. Organisations are found by exact name, or by ``#id`` when duplicates share one.
"""

from __future__ import annotations

from typing import Any

import click
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from crm import dates
from crm.contacts.audit import record_refused_address
from crm.contacts.models import Contact, Organisation, OrganisationKind
from crm.contacts.privacy import is_at_risk
from crm.contacts.services import (
    ContactError,
    ContactFields,
    find_contact_by_email,
    plan_successor_tasks,
    save_contact,
    save_organisation,
    set_archived,
)
from crm.db import db
from crm.states import StateResolver, UnknownState

EDITABLE = ("full_name", "title", "phone", "languages", "timezone", "posting_start", "posting_end", "notes")


def contact_named(email: str) -> Contact:
    contact = find_contact_by_email(email)
    if contact is None or is_at_risk(contact):
        raise click.ClickException(_("No contact has the e-mail address %(email)s.", email=email))
    return contact


def organisation_named(reference: str) -> Organisation:
    """The organisation named ``reference`` (any case), or numbered by it when written ``#12``."""
    if reference.startswith("#") and reference[1:].isdigit():
        by_id = db.session.get(Organisation, int(reference[1:]))
        if by_id is None:
            raise click.ClickException(_("No organisation has the number %(number)s.", number=reference))
        return by_id
    found = list(
        db.session.scalars(
            select(Organisation)
            # A merged duplicate keeps its name; it is reached by its #number (or unmerged) instead.
            .where(func.lower(Organisation.name) == reference.lower(), Organisation.merged_into_id.is_(None))
            .order_by(Organisation.id)
        )
    )
    if not found:
        raise click.ClickException(
            _("No organisation has the name %(name)s; give the exact name of one.", name=repr(reference))
        )
    if len(found) > 1:
        numbers = ", ".join(f"#{organisation.id}" for organisation in found)
        raise click.ClickException(
            _(
                "Several organisations have the name %(name)s (%(numbers)s); give one's #number.",
                name=repr(reference),
                numbers=numbers,
            )
        )
    return found[0]


def _archive(record: Contact | Organisation, *, undo: bool) -> None:
    try:
        set_archived(record, not undo)
    except ContactError as error:
        command = f"upr {type(record).__name__.lower()}s unmerge"
        raise click.ClickException(_("%(error)s (%(command)s)", error=error, command=command)) from None
    db.session.commit()
    click.echo(_archived_message(record, undo=undo))


def _archived_message(record: Contact | Organisation, *, undo: bool) -> str:
    if isinstance(record, Contact):
        if undo:
            return str(_("Contact #%(number)s is back.", number=record.id))
        return str(_("Contact #%(number)s archived.", number=record.id))
    if undo:
        return str(_("Organisation #%(number)s is back.", number=record.id))
    return str(_("Organisation #%(number)s archived.", number=record.id))


def _fields_from(contact: Contact) -> ContactFields:
    return ContactFields(
        organisation_id=contact.organisation_id,
        full_name=contact.full_name,
        title=contact.title,
        email=contact.email or "",
        phone=contact.phone,
        languages=contact.languages,
        timezone=contact.timezone,
        posting_start=contact.posting_start,
        posting_end=contact.posting_end,
        safety_level=contact.safety_level,
        owner_team_id=contact.owner_team_id,
        notes=contact.notes,
    )


def _save(fields: ContactFields, contact: Contact | None) -> Contact:
    try:
        saved = save_contact(fields, contact)
    except ContactError as error:
        db.session.rollback()
        if error.hidden_holder is not None:
            record_refused_address(None, error.hidden_holder, "upr contacts")
            db.session.commit()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    return saved


def contact_options(command: Any) -> Any:
    """The editable fields as options, shared by ``add`` and ``edit``."""
    options = [
        click.option("--name", "full_name", help="Full name."),
        click.option("--title", help="Their role, e.g. 'Counsellor, Human Rights'."),
        click.option("--phone", help="Phone number."),
        click.option("--languages", help="Language tags, preferred first, separated by ';'."),
        click.option("--timezone", help="IANA time zone, e.g. Europe/Zurich."),
        click.option("--posting-start", type=click.DateTime(["%Y-%m-%d"]), help="When the posting began."),
        click.option("--posting-end", type=click.DateTime(["%Y-%m-%d"]), help="When the posting ends."),
        click.option("--notes", help="Free text."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _apply(fields: ContactFields, values: dict[str, Any]) -> None:
    for name in EDITABLE:
        value = values.get(name)
        if value is not None:
            setattr(fields, name, value.date() if hasattr(value, "date") else value)


@click.group("contacts")
def contacts_group() -> None:
    """Add, edit, archive and merge contacts from scripts (at-risk people are never shown)."""


@contacts_group.command("add")
@click.argument("email")
@click.option("--organisation", required=True, help="The organisation's exact name.")
@contact_options
def add_contact(email: str, organisation: str, **values: Any) -> None:
    """Add the contact with address EMAIL."""
    if not values.get("full_name"):
        raise click.ClickException(_("Give the person's full name with --name."))
    fields = ContactFields(organisation_id=organisation_named(organisation).id, full_name="", email=email)
    _apply(fields, values)
    saved = _save(fields, None)
    click.echo(
        _(
            "Added contact #%(number)s at %(organisation)s.",
            number=saved.id,
            organisation=saved.organisation.name,
        )
    )


@contacts_group.command("edit")
@click.argument("email")
@click.option("--organisation", help="Move them to this organisation (exact name).")
@contact_options
def edit_contact(email: str, organisation: str | None, **values: Any) -> None:
    """Change the contact with address EMAIL; options not given stay as they are."""
    contact = contact_named(email)
    fields = _fields_from(contact)
    if organisation:
        fields.organisation_id = organisation_named(organisation).id
    _apply(fields, values)
    _save(fields, contact)
    click.echo(_("Saved contact #%(number)s.", number=contact.id))


@contacts_group.command("archive")
@click.argument("email")
@click.option("--undo", is_flag=True, help="Bring the contact back from the archive.")
def archive_contact(email: str, undo: bool) -> None:
    """Archive the contact with address EMAIL (hidden from lists and the mapping; nothing is deleted)."""
    _archive(contact_named(email), undo=undo)


@contacts_group.command("successor-tasks")
def successor_tasks_command() -> None:
    """A task for every posting that ends within 60 days or ended in the last 90, with no successor known."""
    added = plan_successor_tasks(dates.today())
    db.session.commit()
    click.echo(ngettext("%(num)d successor tasks added.", "%(num)d successor tasks added.", added))


@click.group("organisations")
def organisations_group() -> None:
    """Add, edit, archive and merge organisations from scripts (by exact name, or #number)."""


@organisations_group.command("add")
@click.argument("name")
@click.option("--kind", type=click.Choice([k.value for k in OrganisationKind]), required=True)
@click.option("--state", help="Name or alpha-3 code of the state (none for UN bodies and NGOs).")
@click.option("--city", default="", help="An embassy counts for a review when it sits in that capital.")
@click.option("--email", default="", help="The general address.")
def add_organisation(name: str, kind: str, state: str | None, city: str, email: str) -> None:
    """Add the organisation NAME."""
    try:
        code = StateResolver.from_database().resolve(state) if state else None
        saved = save_organisation(
            name=name, kind=OrganisationKind(kind), state_code=code, city=city, email=email
        )
    except (ContactError, UnknownState) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("Added organisation #%(number)s.", number=saved.id))


@organisations_group.command("edit")
@click.argument("organisation")
@click.option("--name", "new_name", help="A new name.")
@click.option("--kind", type=click.Choice([k.value for k in OrganisationKind]))
@click.option("--state", help="Name or alpha-3 code of the state; 'none' for no state.")
@click.option("--city", help="The city (an embassy counts for a review when it sits in that capital).")
@click.option("--email", help="The general address; '' for none.")
def edit_organisation(
    *,
    organisation: str,
    new_name: str | None,
    kind: str | None,
    state: str | None,
    city: str | None,
    email: str | None,
) -> None:
    """Change ORGANISATION (exact name or #number); options not given stay as they are."""
    found = organisation_named(organisation)
    try:
        if state is None:
            code = found.state_code
        else:
            code = None if state.strip().lower() == "none" else StateResolver.from_database().resolve(state)
        save_organisation(
            name=found.name if new_name is None else new_name,
            kind=found.kind if kind is None else OrganisationKind(kind),
            state_code=code,
            city=found.city if city is None else city,
            email=(found.email or "") if email is None else email,
            website=found.website,
            notes=found.notes,
            organisation=found,
        )
    except (ContactError, UnknownState) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("Saved organisation #%(number)s.", number=found.id))


@organisations_group.command("archive")
@click.argument("organisation")
@click.option("--undo", is_flag=True, help="Bring the organisation back from the archive.")
def archive_organisation(organisation: str, undo: bool) -> None:
    """Archive ORGANISATION (hidden from lists and the mapping; nothing is deleted)."""
    _archive(organisation_named(organisation), undo=undo)
