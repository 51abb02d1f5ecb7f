"""The contacts area's commands: records, imports and exports, and who to brief."""

from __future__ import annotations

import click

from crm.contacts.cli.briefing import briefing_basis_command, who_to_brief
from crm.contacts.cli.erasure import erase_contact_command
from crm.contacts.cli.files import export_contacts_command, import_contacts_command
from crm.contacts.cli.merges import (
    merge_command,
    merge_organisations_command,
    unmerge_command,
    unmerge_organisations_command,
)
from crm.contacts.cli.records import contacts_group, organisations_group


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    cli.add_command(who_to_brief)
    cli.add_command(briefing_basis_command)
    contacts_group.add_command(erase_contact_command)
    contacts_group.add_command(merge_command)
    contacts_group.add_command(unmerge_command)
    organisations_group.add_command(merge_organisations_command)
    organisations_group.add_command(unmerge_organisations_command)
    cli.add_command(contacts_group)
    cli.add_command(organisations_group)
    import_group.add_command(import_contacts_command)
    export_group.add_command(export_contacts_command)
