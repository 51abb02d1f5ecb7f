"""``upr contacts erase``: erase a contact for good, in an admin's name, after a confirmation."""

from __future__ import annotations

import click
from flask_babel import gettext as _

from crm.auth.models import Role
from crm.auth.services import find_user
from crm.contacts.erasure import erase_contact, plan_erasure
from crm.contacts.models import Contact
from crm.contacts.services import find_contact_by_email
from crm.db import db


@click.command("erase")
@click.argument("reference")
@click.option("--by", "admin_email", required=True, help="The admin who erases (named in the audit log).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (for scripts).")
def erase_contact_command(reference: str, admin_email: str, yes: bool) -> None:
    """Erase the contact with e-mail address REFERENCE (or number #N) for good; this cannot be undone.

    Every field, their interactions' links to them, their tasks and every copy of mail to them go; the
    audit log keeps one line: "contact #N erased by ADMIN on DATE".
    """
    admin = find_user(admin_email)
    if admin is None or admin.role is not Role.ADMIN or not admin.active:
        raise click.ClickException(
            _("%(email)s is not an active admin: only admins erase contacts.", email=admin_email)
        )
    contact = (
        db.session.get(Contact, int(reference[1:]))
        if reference.startswith("#") and reference[1:].isdigit()
        else find_contact_by_email(reference)
    )
    if contact is None:
        raise click.ClickException(_("No contact is %(reference)s.", reference=reference))
    plan = plan_erasure(contact)
    summary = _(
        "Contact #%(number)s (%(name)s): %(alone)s interactions with them alone and %(tasks)s tasks are "
        "deleted, %(shared)s shared ones lose the link.",
        number=contact.id,
        name=contact.full_name,
        alone=plan.interactions_deleted,
        tasks=plan.tasks,
        shared=plan.interactions_unlinked,
    )
    click.echo(summary)
    if not yes and not click.confirm(_("Erase this contact for good? This cannot be undone"), default=False):
        raise click.ClickException(_("Nothing was erased."))
    text = erase_contact(contact, admin)
    db.session.commit()
    db.reclaim_deleted_space()
    click.echo(text)
