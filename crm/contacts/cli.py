"""``upr import contacts``, ``upr export contacts``, ``upr who-to-brief``, ``upr briefing-basis`` and friends.

Scripts see no at-risk contact: every query here runs without a viewer, which hides them.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import click
from sqlalchemy import select

from crm.contacts.cli_records import contacts_group, organisations_group
from crm.contacts.exporting import CONTACT_COLUMNS, contact_rows
from crm.contacts.importing import ImportFailed, import_contacts
from crm.contacts.mapping import briefing_basis, contacts_for_recommendation
from crm.contacts.models import Contact, OrganisationKind
from crm.contacts.privacy import is_at_risk, visible_contacts_clause
from crm.contacts.services import ContactError, find_contact_by_email
from crm.db import db
from crm.models import Recommendation
from crm.reviews.services import ReviewNotFound, get_review
from crm.tabular import UnsupportedFormat, safe_cell, write_table
from crm.teams.models import Team

FORMAT = click.Choice(["table", "csv", "json"])
WHO_COLUMNS = (
    "rank",
    "name",
    "title",
    "organisation",
    "kind",
    "state",
    "email",
    "languages",
    "last_contacted",
    "reasons",
)
BASIS_COLUMNS = ("number", "text", "response", "status", "recommending_states")


def emit(columns: Sequence[str], rows: list[dict[str, object]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[safe_cell(_cell(row[c])) for c in columns] for row in rows])
    else:
        widths = {c: max([len(c), *(min(len(_cell(row[c])), 60) for row in rows)]) for c in columns}
        click.echo("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
        for row in rows:
            click.echo("  ".join(_cell(row[c])[:60].ljust(widths[c]) for c in columns).rstrip())


def _cell(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _find_recommendation(review_code: str, number: str) -> Recommendation:
    try:
        review = get_review(review_code)
    except (ReviewNotFound, ValueError) as error:
        raise click.ClickException(str(error)) from None
    found = db.session.scalar(
        select(Recommendation).where(Recommendation.review_id == review.id, Recommendation.number == number)
    )
    if found is None:
        raise click.ClickException(f"{review.code} has no recommendation numbered {number}.")
    return found


@click.command("who-to-brief")
@click.argument("review_code")
@click.argument("number")
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True, help="Output format.")
@click.option(
    "--language", default="en", show_default=True, help="Briefing language, to rank speakers first."
)
def who_to_brief(review_code: str, number: str, fmt: str, language: str) -> None:
    """People to brief about recommendation NUMBER of REVIEW_CODE (e.g. CHN-3 28.83), most relevant first."""
    recommendation = _find_recommendation(review_code, number)
    rows: list[dict[str, object]] = [
        {
            "rank": rank,
            "name": r.contact.full_name,
            "title": r.contact.title,
            "organisation": r.contact.organisation.name,
            "kind": r.kind.value,
            "state": r.state_code,
            "email": r.contact.email or "",
            "languages": r.contact.languages,
            "last_contacted": r.last_contacted_at.isoformat() if r.last_contacted_at else None,
            "reasons": list(r.reasons),
        }
        for rank, r in enumerate(contacts_for_recommendation(recommendation, language=language), start=1)
    ]
    emit(WHO_COLUMNS, rows, fmt)


@click.command("briefing-basis")
@click.argument("email")
@click.option("--review", "review_code", required=True, help="The review, e.g. CHN-3.")
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True, help="Output format.")
def briefing_basis_command(email: str, review_code: str, fmt: str) -> None:
    """What the state of the contact at EMAIL recommended in the review, with responses and implementation."""
    try:
        review = get_review(review_code)
    except (ReviewNotFound, ValueError) as error:
        raise click.ClickException(str(error)) from None
    contact = find_contact_by_email(email)
    if contact is None or is_at_risk(contact):
        # At-risk people are answered exactly like unknown ones: a script must not learn they exist.
        raise click.ClickException(f"No contact has the e-mail address {email}.")
    emit(BASIS_COLUMNS, [item.as_dict() for item in briefing_basis(contact, review)], fmt)


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


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    cli.add_command(who_to_brief)
    cli.add_command(briefing_basis_command)
    cli.add_command(contacts_group)
    cli.add_command(organisations_group)
    import_group.add_command(import_contacts_command)
    export_group.add_command(export_contacts_command)
