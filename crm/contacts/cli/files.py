"""``upr import contacts`` and ``upr export contacts``: CSV and vCard in, CSV and XLSX out.

Exports hold no at-risk contact: the query runs without a viewer, which hides them.
"""

from __future__ import annotations

from pathlib import Path

import click
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
            raise click.ClickException(f"There is no team called {team_name!r}.")
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
            record_refused_address(None, holder, f"import of {file.name}")
        db.session.commit()
        for line in failed.report.errors:
            click.echo(line, err=True)
        raise click.ClickException(f"{file.name}: {failed}") from None
    except (ContactError, UnicodeDecodeError) as error:
        db.session.rollback()
        raise click.ClickException(f"{file.name}: {error}") from None
    if dry_run:
        db.session.rollback()
        click.echo(f"Dry run: {report.rows} rows are valid; {report.created} contacts would be added.")
        return
    db.session.commit()
    click.echo(
        f"Imported {report.created} contacts from {file.name}; "
        f"{report.organisations_created} new organisations."
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
    click.echo(f"Wrote {count} contacts to {output}{' (masked)' if mask else ''}.")
