"""Merging duplicates, deliberately and reversibly: a preview of what moves, the merge, and its undo.

The duplicate is never deleted: it is archived with ``merged_into_id`` set, and a ``RecordMerge`` keeps
the ids of what moved and the kept record's values before its blanks were filled. Undoing (within
``UNDO_DAYS``) moves back what is still where the merge put it and restores the values nobody has
changed since.
"""

from __future__ import annotations

import json
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext

from crm.auth.models import User
from crm.contacts.merging.organisations import (
    merge_organisations,
    preview_organisation_merge,
    undo_organisation_merge,
)
from crm.contacts.merging.people import merge_contacts, merge_label, preview_contact_merge, undo_contact_merge
from crm.contacts.merging.records import UNDO_DAYS, MergePreview, merges_into, undo_deadline, undoable
from crm.contacts.models import Contact, MergeKind, Organisation, RecordMerge
from crm.contacts.services import ContactError
from crm.dates import format_long_day
from crm.db import db, utcnow

__all__ = [
    "UNDO_DAYS",
    "MergePreview",
    "merge_contacts",
    "merge_label",
    "merge_organisations",
    "merges_into",
    "preview_contact_merge",
    "preview_organisation_merge",
    "undo_deadline",
    "undo_merge",
    "undoable",
]


def undo_merge(merge: RecordMerge, by: User | None = None, now: datetime | None = None) -> list[str]:
    """Reverse a merge; returns what stayed as it is because someone changed it after the merge."""
    now = now or utcnow()
    if merge.undone_at is not None:
        raise ContactError(
            _(
                "Merge #%(number)s was already undone on %(day)s.",
                number=merge.id,
                day=format_long_day(merge.undone_at),
            )
        )
    if now > undo_deadline(merge):
        raise ContactError(
            ngettext(
                "Merge #%(number)s is more than %(num)d day old; it can no longer be undone "
                "(edit the records by hand instead).",
                "Merge #%(number)s is more than %(num)d days old; it can no longer be undone "
                "(edit the records by hand instead).",
                UNDO_DAYS,
                number=merge.id,
            )
        )
    keep: Contact | Organisation | None = (
        db.session.get(Contact, merge.keep_id)
        if merge.kind is MergeKind.CONTACT
        else db.session.get(Organisation, merge.keep_id)
    )
    if keep is not None and keep.merged_into_id is not None:
        raise ContactError(_("The kept record was itself merged since: undo that later merge first."))
    moved = json.loads(merge.moved)
    if merge.kind is MergeKind.CONTACT:
        kept = undo_contact_merge(merge, moved)
    else:
        kept = undo_organisation_merge(merge, moved, by)
    merge.undone_at = now
    merge.undone_by_id = by.id if by else None
    db.session.flush()
    return kept
