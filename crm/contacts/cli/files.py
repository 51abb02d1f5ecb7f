"""``upr import contacts`` and ``upr export contacts``: CSV and vCard in, CSV and XLSX out.

Exports hold no at-risk contact: the query runs without a viewer, which hides them.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _
from sqlalchemy import select

from crm.contacts.audit import record_refused_address
from crm.contacts.exporting import CONTACT_COLUMNS, contact_rows
from crm.contacts.importing import ImportFailed, import_contacts
from crm.contacts.models import Contact, OrganisationKind
from crm.contacts.privacy import visible_contacts_clause
from crm.contacts.services import ContactError
from crm.db import db
from crm.tabular import UnsupportedFormat, write_table
from crm.teams.models import Team


@click.command("contacts")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row and report, but write nothing.")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in OrganisationKind]),
    default=OrganisationKind.MISSION_GENEVA.value,
    show_default=True,
    help="Organisation kind for rows (or vCards) that do not say.",
)
@click.option("--state", help="State for rows or vCards that name none (name or alpha-3 code).")
@click.option("--team", "team_name", help="The team that will hold the imported contacts.")
def import_contacts_command(
    file: Path, dry_run: bool, kind: str, state: str | None, team_name: str | None
) -> None:
    """Import contacts from a CSV or vCard file; any bad row stops the whole import."""
    team_id = None
    if team_name:
        team = db.session.scalar(select(Team).where(Team.name == team_name))
        if team is None:
            raise click.ClickException(_("There is no team called %(team)s.", team=repr(team_name)))
        team_id = team.id
    try:
        report = import_contacts(
            file,
            dry_run=dry_run,
            default_kind=OrganisationKind(kind),
            default_state=state,
            owner_team_id=team_id,
        )
    except ImportFailed as failed:
        db.session.rollback()
        for holder in failed.report.refused_holders:
            record_refused_address(None, holder, f"import of {file.name}")  # i18n: fixed (audit detail)
        db.session.commit()
        for line in failed.report.errors:
            click.echo(line, err=True)
        raise click.ClickException(_("%(file)s: %(problem)s", file=file.name, problem=failed)) from None
    except (ContactError, UnicodeDecodeError) as error:
        db.session.rollback()
        raise click.ClickException(_("%(file)s: %(problem)s", file=file.name, problem=error)) from None
    if dry_run:
        db.session.rollback()
        click.echo(
            _(
                "Dry run: %(rows)s rows are valid; %(contacts)s contacts would be added.",
                rows=report.rows,
                contacts=report.created,
            )
        )
        return
    db.session.commit()
    click.echo(
        _(
            "Imported %(contacts)s contacts from %(file)s; %(organisations)s new organisations.",
            contacts=report.created,
            file=file.name,
            organisations=report.organisations_created,
        )
    )


@click.command("contacts")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--mask", is_flag=True, help="Initials instead of names; no e-mail, phone or notes.")
def export_contacts_command(output: Path, mask: bool) -> None:
    """Write every contact (never an at-risk one) to a .csv or .xlsx file."""
    query = select(Contact).where(Contact.archived_at.is_(None), visible_contacts_clause(None))
    try:
        count = write_table(
            output, CONTACT_COLUMNS, contact_rows(db.session.scalars(query), mask=mask), sheet="Contacts"
        )
    except UnsupportedFormat as error:
        raise click.ClickException(str(error)) from None
    if mask:
        click.echo(_("Wrote %(count)s contacts to %(file)s (masked).", count=count, file=output))
    else:
        click.echo(_("Wrote %(count)s contacts to %(file)s.", count=count, file=output))
