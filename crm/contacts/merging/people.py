"""Merging two contacts: the preview, the merge (the duplicate is archived, not deleted) and its undo."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update

from crm.auth.models import User
from crm.contacts.merging.records import (
    FIELD_LABELS,
    UNDO_DAYS,
    MergePreview,
    field_labels,
    record_merge,
    restore_fields,
    shown,
)
from crm.contacts.models import Contact, Interaction, MergeKind, RecordMerge, SafetyLevel, Succession, Task
from crm.contacts.references import contact_references
from crm.contacts.services import ContactError
from crm.db import db

SAFETY_ORDER = [SafetyLevel.NORMAL, SafetyLevel.SENSITIVE, SafetyLevel.AT_RISK]
# The blanks of the kept contact that the duplicate's values fill.
CONTACT_FIELDS = ("title", "phone", "posting_start", "posting_end", "owner_team_id")


def _check_contacts(keep: Contact, duplicate: Contact) -> None:
    if keep.id == duplicate.id:
        raise ContactError(_("A contact cannot be merged into itself."))
    for record in (keep, duplicate):
        if record.merged_into_id is not None:
            raise ContactError(_("%(name)s was already merged into another contact.", name=record.full_name))
        if record.archived_at is not None:
            raise ContactError(
                _("%(name)s is archived: bring them back before merging.", name=record.full_name)
            )


def _interactions_of(contact: Contact) -> list[Interaction]:
    query = select(Interaction).where(Interaction.contacts.any(Contact.id == contact.id))
    return list(db.session.scalars(query.order_by(Interaction.occurred_at)))


def _tasks_of(contact: Contact) -> list[Task]:
    return list(db.session.scalars(select(Task).where(Task.contact_id == contact.id)))


def _contact_fills(keep: Contact, duplicate: Contact) -> dict[str, Any]:
    """The kept contact's new values: blanks filled from the duplicate, stricter safety, notes joined."""
    after: dict[str, Any] = {
        name: getattr(duplicate, name)
        for name in CONTACT_FIELDS
        if not getattr(keep, name) and getattr(duplicate, name)
    }
    # The stricter safety level wins: merging must never expose someone.
    safety = max(keep.safety_level, duplicate.safety_level, key=SAFETY_ORDER.index)
    if safety is not keep.safety_level:
        after["safety_level"] = safety
    if duplicate.opt_out and not keep.opt_out:
        after["opt_out"] = True
    extra = [duplicate.notes] if duplicate.notes and duplicate.notes not in keep.notes else []
    if duplicate.email and keep.email:
        extra.append(_also_wrote_from(duplicate.email))
    if extra:
        after["notes"] = "\n".join(filter(None, [keep.notes, *extra]))
    return after


def _also_wrote_from(email: str) -> str:
    # The note stays in the record: it is written in the language of whoever merges.
    return str(_("Also wrote from %(email)s.", email=email))


def merge_label(contact: Contact, other: Contact) -> str:
    """The name, with the address when both people have the same name (the usual duplicate)."""
    if contact.full_name.casefold() == other.full_name.casefold():
        either = contact.email or _("contact #%(number)s", number=contact.id)
        return str(_("%(name)s (%(address)s)", name=contact.full_name, address=either))
    return contact.full_name


def _describe_fills(preview: MergePreview, keep: Contact, duplicate: Contact) -> None:
    """The kept contact's blanks the duplicate fills, and the changes that protect someone, in words."""
    kept, merged = merge_label(keep, duplicate), merge_label(duplicate, keep)
    for name, value in _contact_fills(keep, duplicate).items():
        if name == "notes":
            if duplicate.notes and duplicate.notes not in keep.notes:
                preview.fills.append(_("notes: %(name)s's notes are added", name=merged))
            if duplicate.email and keep.email:
                preview.fills.append(_("notes: “%(note)s”", note=_also_wrote_from(duplicate.email)))
        elif name == "owner_team_id":
            team = duplicate.owner_team.name if duplicate.owner_team else value
            preview.fills.append(_("%(field)s: %(value)s", field=FIELD_LABELS[name], value=team))
        elif name == "safety_level":
            preview.warnings.append(
                _("The stricter safety level wins: %(name)s becomes %(level)s.", name=kept, level=value.label)
            )
        elif name == "opt_out":
            preview.warnings.append(
                _("%(merged)s opted out of e-mail, so %(kept)s will be too.", merged=merged, kept=kept)
            )
        else:
            preview.fills.append(_("%(field)s: %(value)s", field=FIELD_LABELS[name], value=shown(value)))
    if duplicate.email and not keep.email:
        preview.fills.append(_("%(field)s: %(value)s", field=FIELD_LABELS["email"], value=duplicate.email))


def preview_contact_merge(keep: Contact, duplicate: Contact) -> MergePreview:
    _check_contacts(keep, duplicate)
    kept, merged = merge_label(keep, duplicate), merge_label(duplicate, keep)
    preview = MergePreview()
    shared = {i.id for i in _interactions_of(keep)}
    theirs = _interactions_of(duplicate)
    moving = [i for i in theirs if i.id not in shared]
    both = len(theirs) - len(moving)
    if both:
        preview.moves.append(
            ngettext(
                "%(num)d interaction move to %(name)s (%(others)s already include both)",
                "%(num)d interactions move to %(name)s (%(others)s already include both)",
                len(moving),
                name=kept,
                others=ngettext("%(num)d other", "%(num)d others", both),
            )
        )
    else:
        preview.moves.append(
            ngettext(
                "%(num)d interaction move to %(name)s",
                "%(num)d interactions move to %(name)s",
                len(moving),
                name=kept,
            )
        )
    for references in contact_references():
        count = references.count(duplicate.id, keep.id)
        if count:
            # ``noun`` is the registering area's word for its records, in English until it translates it.
            preview.moves.append(
                ngettext(
                    "%(num)d %(noun)s move to %(name)s",
                    "%(num)d %(noun)ss move to %(name)s",
                    count,
                    noun=references.noun,
                    name=kept,
                )
            )
    tasks = _tasks_of(duplicate)
    if tasks:
        still_open = len([t for t in tasks if t.done_at is None])
        preview.moves.append(
            ngettext(
                "%(num)d task move (%(open)s still open)",
                "%(num)d tasks move (%(open)s still open)",
                len(tasks),
                open=still_open,
            )
        )
    successors = db.session.scalars(select(Succession).where(Succession.successor_id == duplicate.id)).all()
    if successors:
        preview.moves.append(
            ngettext(
                "%(name)s becomes the recorded successor in %(num)d posting",
                "%(name)s becomes the recorded successor in %(num)d postings",
                len(successors),
                name=kept,
            )
        )
    own = db.session.get(Succession, duplicate.id)
    if own is not None and db.session.get(Succession, keep.id) is None and own.successor_id != keep.id:
        preview.moves.append(
            _("%(merged)s's recorded successor is copied to %(kept)s", merged=merged, kept=kept)
        )
    _describe_fills(preview, keep, duplicate)
    preview.moves.append(
        ngettext(
            "%(name)s is archived as merged, not deleted: the merge can be undone for %(num)d day",
            "%(name)s is archived as merged, not deleted: the merge can be undone for %(num)d days",
            UNDO_DAYS,
            name=merged,
        )
    )
    return preview


def merge_contacts(keep: Contact, duplicate: Contact, by: User | None = None) -> RecordMerge:
    """Fold ``duplicate`` into ``keep``: both people's interactions and tasks stay with ``keep``."""
    _check_contacts(keep, duplicate)
    shared = {i.id for i in _interactions_of(keep)}
    moved_interactions, shared_interactions = [], []
    for interaction in _interactions_of(duplicate):
        interaction.contacts.remove(duplicate)
        if interaction.id in shared:
            shared_interactions.append(interaction.id)
        else:
            interaction.contacts.append(keep)
            moved_interactions.append(interaction.id)
    tasks = [t.id for t in _tasks_of(duplicate)]
    db.session.execute(update(Task).where(Task.id.in_(tasks)).values(contact_id=keep.id))
    successor_of = list(
        db.session.scalars(select(Succession.contact_id).where(Succession.successor_id == duplicate.id))
    )
    db.session.execute(
        update(Succession).where(Succession.contact_id.in_(successor_of)).values(successor_id=keep.id)
    )
    own = db.session.get(Succession, duplicate.id)
    copied_successor = None
    if own is not None and db.session.get(Succession, keep.id) is None and own.successor_id != keep.id:
        db.session.add(Succession(contact_id=keep.id, successor_id=own.successor_id))
        copied_successor = own.successor_id
    after = _contact_fills(keep, duplicate)
    if duplicate.email and not keep.email:
        after["email"], duplicate.email = duplicate.email, None
        db.session.flush()  # the address is unique: free it before the kept contact takes it
    record = record_merge(
        MergeKind.CONTACT,
        keep,
        duplicate,
        after,
        by=by,
        moved={
            "interactions": moved_interactions,
            "shared_interactions": shared_interactions,
            "tasks": tasks,
            "successor_of": successor_of,
            "copied_successor": copied_successor,
            "references": {refs.key: refs.move(duplicate.id, keep.id) for refs in contact_references()},
        },
    )
    return record


def undo_contact_merge(merge: RecordMerge, moved: dict[str, Any]) -> list[str]:
    keep = db.session.get(Contact, merge.keep_id)
    duplicate = db.session.get(Contact, merge.duplicate_id)
    if keep is None or duplicate is None:
        raise ContactError(_("One of the two contacts no longer exists; the merge cannot be undone."))
    for interaction in db.session.scalars(
        select(Interaction).where(Interaction.id.in_(moved["interactions"]))
    ):
        if keep in interaction.contacts:
            interaction.contacts.remove(keep)
        interaction.contacts.append(duplicate)
    for interaction in db.session.scalars(
        select(Interaction).where(Interaction.id.in_(moved["shared_interactions"]))
    ):
        if duplicate not in interaction.contacts:
            interaction.contacts.append(duplicate)
    db.session.execute(
        update(Task)
        .where(Task.id.in_(moved["tasks"]), Task.contact_id == keep.id)
        .values(contact_id=duplicate.id)
    )
    db.session.execute(
        update(Succession)
        .where(Succession.contact_id.in_(moved["successor_of"]), Succession.successor_id == keep.id)
        .values(successor_id=duplicate.id)
    )
    for references in contact_references():
        if references.key in moved.get("references", {}):
            references.restore(keep.id, duplicate.id, moved["references"][references.key])
    copied = db.session.get(Succession, keep.id)
    if (
        moved["copied_successor"] is not None
        and copied is not None
        and copied.successor_id == moved["copied_successor"]
    ):
        db.session.delete(copied)
    email = moved["after"].get("email")
    kept = restore_fields(keep, moved)
    if email and "email" not in kept:
        db.session.flush()  # the kept contact has let go of the address
        duplicate.email = email
    duplicate.archived_at = None
    duplicate.merged_into_id = None
    return field_labels(kept)
