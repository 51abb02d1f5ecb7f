"""What every merge shares: the record of it, the preview it shows, the undo's deadline and bookkeeping."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from crm.auth.models import User
from crm.contacts.models import Contact, MergeKind, Organisation, RecordMerge
from crm.db import db, utcnow

UNDO_DAYS = 30
# The fields a merge fills in, as sentences about it name them ("posting end: 2027-08-31").
FIELD_LABELS = {
    "title": _l("title"),
    "phone": _l("phone"),
    "posting_start": _l("posting start"),
    "posting_end": _l("posting end"),
    "owner_team_id": _l("team"),
    "safety_level": _l("safety level"),
    "opt_out": _l("opt-out"),
    "notes": _l("notes"),
    "email": _l("e-mail"),
    "state_code": _l("state"),
    "city": _l("city"),
    "website": _l("website"),
}


@dataclass
class MergePreview:
    """What a merge would do, in sentences a person can check before confirming."""

    moves: list[str] = field(default_factory=list)
    fills: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def shown(value: Any) -> str:
    return "" if value is None else str(value)


def jsonable(values: dict[str, Any]) -> dict[str, Any]:
    return {
        name: value.isoformat() if hasattr(value, "isoformat") else value for name, value in values.items()
    }


def record_merge(
    kind: MergeKind,
    keep: Contact | Organisation,
    duplicate: Contact | Organisation,
    after: dict[str, Any],
    *,
    by: User | None,
    moved: dict[str, Any],
) -> RecordMerge:
    """Fill the kept record's blanks (``after``), archive the duplicate as merged, and keep what the undo
    needs: ``moved`` (ids of what moved) and the kept record's values before and after."""
    before = {name: getattr(keep, name) for name in after}
    for name, value in after.items():
        setattr(keep, name, value)
    duplicate.archived_at = utcnow()
    duplicate.merged_into_id = keep.id
    record = RecordMerge(
        kind=kind,
        keep_id=keep.id,
        duplicate_id=duplicate.id,
        merged_by_id=by.id if by else None,
        moved=json.dumps({**moved, "before": jsonable(before), "after": jsonable(after)}),
    )
    db.session.add(record)
    db.session.flush()
    return record


def typed(model: type[Contact] | type[Organisation], name: str, value: Any) -> Any:
    """A value read back from the merge's JSON, as the column holds it (dates, enums)."""
    python_type = getattr(model, name).type.python_type
    if value is None or isinstance(value, python_type):
        return value
    if issubclass(python_type, enum.Enum):
        return python_type(value)
    if issubclass(python_type, date):
        return python_type.fromisoformat(value)
    return value


def restore_fields(record: Contact | Organisation, moved: dict[str, Any]) -> list[str]:
    """Put back the values the merge changed, unless someone changed them since; returns those kept."""
    kept = []
    for name, after in moved["after"].items():
        current = getattr(record, name)
        current = current.isoformat() if hasattr(current, "isoformat") else current
        if current != after:
            kept.append(name)
            continue
        setattr(record, name, typed(type(record), name, moved["before"][name]))
    return kept


def field_labels(names: list[str]) -> list[str]:
    """Fields as a sentence for people names them, in the reader's language."""
    return [str(FIELD_LABELS.get(name, name)) for name in names]


def undo_deadline(merge: RecordMerge) -> datetime:
    return merge.merged_at + timedelta(days=UNDO_DAYS)


def undoable(merge: RecordMerge, now: datetime | None = None) -> bool:
    return merge.undone_at is None and (now or utcnow()) <= undo_deadline(merge)


def merges_into(kind: MergeKind, record_id: int) -> list[RecordMerge]:
    """Merges that folded something into, or this record into something, newest first (not undone)."""
    query = (
        select(RecordMerge)
        .where(
            RecordMerge.kind == kind,
            (RecordMerge.keep_id == record_id) | (RecordMerge.duplicate_id == record_id),
            RecordMerge.undone_at.is_(None),
        )
        .order_by(RecordMerge.merged_at.desc())
    )
    return list(db.session.scalars(query))
