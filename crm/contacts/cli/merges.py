"""``upr contacts merge|unmerge`` and ``upr organisations merge|unmerge``: a preview of what moves, a
question, and an undo for 30 days.

An at-risk person is answered like an unknown one, as everywhere on the command line.
"""

from __future__ import annotations

from collections.abc import Callable

import click
from flask_babel import gettext as _

from crm.contacts.cli.records import contact_named, organisation_named
from crm.contacts.merging import (
    MergePreview,
    merge_contacts,
    merge_organisations,
    preview_contact_merge,
    preview_organisation_merge,
    undo_deadline,
    undo_merge,
)
from crm.contacts.models import Contact, MergeKind, RecordMerge
from crm.contacts.privacy import is_at_risk
from crm.contacts.services import ContactError
from crm.dates import format_long_day
from crm.db import db


def _merge(
    preview: Callable[[], MergePreview], merge: Callable[[], RecordMerge], question: str, yes: bool
) -> None:
    """Show what moves, ask (unless ``--yes``), merge, and say how to undo it."""
    try:
        shown = preview()
    except ContactError as error:
        raise click.ClickException(str(error)) from None
    for line in shown.moves + [_("fills in %(fill)s", fill=fill) for fill in shown.fills] + shown.warnings:
        click.echo(f"- {line}")
    if not yes:
        click.confirm(question, abort=True)
    try:
        record = merge()
    except ContactError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    command = "contacts" if record.kind is MergeKind.CONTACT else "organisations"
    click.echo(
        _(
            "Merged (merge #%(number)s). Undo until %(day)s with: %(command)s",
            number=record.id,
            day=format_long_day(undo_deadline(record)),
            command=f"upr {command} unmerge {record.id}",
        )
    )


def _unmerge(merge_id: int, kind: MergeKind) -> None:
    record = db.session.get(RecordMerge, merge_id)
    if record is None or record.kind is not kind:
        raise click.ClickException(_no_merge(kind, merge_id))
    if kind is MergeKind.CONTACT:
        # An at-risk person is answered like an unknown one, as everywhere on the command line.
        for contact_id in (record.keep_id, record.duplicate_id):
            found = db.session.get(Contact, contact_id)
            if found is not None and is_at_risk(found):
                raise click.ClickException(_no_merge(kind, merge_id))
    try:
        unchanged = undo_merge(record)
    except ContactError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(_("Merge #%(number)s undone: the two records are separate again.", number=merge_id))
    if unchanged:
        click.echo(_("Changed since the merge, so left as it is: %(fields)s.", fields=", ".join(unchanged)))


def _no_merge(kind: MergeKind, merge_id: int) -> str:
    if kind is MergeKind.CONTACT:
        return str(_("There is no contact merge #%(number)s.", number=merge_id))
    return str(_("There is no organisation merge #%(number)s.", number=merge_id))


@click.command("merge")
@click.argument("keep_email")
@click.argument("duplicate_email")
@click.option("--yes", is_flag=True, help="Merge without asking (the preview is still printed).")
def merge_command(keep_email: str, duplicate_email: str, yes: bool) -> None:
    """Fold the contact at DUPLICATE_EMAIL into KEEP_EMAIL, keeping the interactions of both.

    Prints what moves and asks first; the duplicate is archived, not deleted, and `upr contacts unmerge`
    undoes the merge for 30 days.
    """
    keep, duplicate = contact_named(keep_email), contact_named(duplicate_email)
    _merge(
        lambda: preview_contact_merge(keep, duplicate),
        lambda: merge_contacts(keep, duplicate),
        _(
            "Merge %(duplicate)s <%(duplicate_email)s> into %(kept)s <%(kept_email)s>?",
            duplicate=duplicate.full_name,
            duplicate_email=duplicate_email,
            kept=keep.full_name,
            kept_email=keep_email,
        ),
        yes,
    )


@click.command("unmerge")
@click.argument("merge_id", type=int)
def unmerge_command(merge_id: int) -> None:
    """Undo contact merge MERGE_ID (printed by `upr contacts merge`), within 30 days."""
    _unmerge(merge_id, MergeKind.CONTACT)


@click.command("merge")
@click.argument("keep")
@click.argument("duplicate")
@click.option("--yes", is_flag=True, help="Merge without asking (the preview is still printed).")
def merge_organisations_command(keep: str, duplicate: str, yes: bool) -> None:
    """Fold DUPLICATE into KEEP: its people (with their history), assignments and mandates move.

    Prints what moves and asks first; `upr organisations unmerge` undoes it for 30 days.
    """
    kept, merged = organisation_named(keep), organisation_named(duplicate)
    _merge(
        lambda: preview_organisation_merge(kept, merged),
        lambda: merge_organisations(kept, merged),
        _(
            "Merge %(duplicate)s (#%(duplicate_number)s) into %(kept)s (#%(kept_number)s)?",
            duplicate=merged.name,
            duplicate_number=merged.id,
            kept=kept.name,
            kept_number=kept.id,
        ),
        yes,
    )


@click.command("unmerge")
@click.argument("merge_id", type=int)
def unmerge_organisations_command(merge_id: int) -> None:
    """Undo organisation merge MERGE_ID (printed by `upr organisations merge`), within 30 days."""
    _unmerge(merge_id, MergeKind.ORGANISATION)
