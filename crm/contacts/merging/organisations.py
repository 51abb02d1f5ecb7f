"""Merging two organisations: the preview, the merge (people, assignments and mandates move) and its undo."""

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
)
from crm.contacts.models import AgencyMandate, Contact, MergeKind, Organisation, RecordMerge
from crm.contacts.services import ContactError
from crm.db import db
from crm.models import Review
from crm.teams.models import Assignment, Team
from crm.teams.services import AssignmentError, assign, counts_for, unassign

# The blanks of the kept organisation that the duplicate's values fill.
ORGANISATION_FIELDS = ("state_code", "city", "email", "website")


def _check_organisations(keep: Organisation, duplicate: Organisation) -> None:
    if keep.id == duplicate.id:
        raise ContactError(_("An organisation cannot be merged into itself."))
    if keep.state_code and duplicate.state_code and keep.state_code != duplicate.state_code:
        raise ContactError(
            _(
                "%(kept)s and %(duplicate)s belong to different states; they are not duplicates.",
                kept=keep.name,
                duplicate=duplicate.name,
            )
        )
    for record in (keep, duplicate):
        if record.merged_into_id is not None:
            raise ContactError(_("%(name)s was already merged into another organisation.", name=record.name))
        if record.archived_at is not None:
            raise ContactError(_("%(name)s is archived: bring it back before merging.", name=record.name))


def _organisation_fills(keep: Organisation, duplicate: Organisation) -> dict[str, Any]:
    after: dict[str, Any] = {
        name: getattr(duplicate, name)
        for name in ORGANISATION_FIELDS
        if not getattr(keep, name) and getattr(duplicate, name)
    }
    if duplicate.notes and duplicate.notes != keep.notes:
        after["notes"] = "\n".join(filter(None, [keep.notes, duplicate.notes]))
    return after


def _assignment_plan(
    keep: Organisation, duplicate: Organisation
) -> tuple[list[Assignment], list[Assignment]]:
    """The duplicate's assignments that move to ``keep``, and those given back because ``keep`` is held
    for the same review (one owner per organisation per review)."""
    moving: list[Assignment] = []
    dropped: list[Assignment] = []
    for assignment in db.session.scalars(
        select(Assignment).where(Assignment.organisation_id == duplicate.id)
    ):
        held = db.session.scalar(
            select(Assignment.id).where(Assignment.organisation_id == keep.id, counts_for(assignment.review))
        )
        (moving if held is None else dropped).append(assignment)
    return moving, dropped


def _people(organisation: Organisation) -> list[Contact]:
    return list(db.session.scalars(select(Contact).where(Contact.organisation_id == organisation.id)))


def _review_of(assignment: Assignment) -> str:
    return assignment.review.code if assignment.review else _("every review")


def preview_organisation_merge(keep: Organisation, duplicate: Organisation) -> MergePreview:
    _check_organisations(keep, duplicate)
    preview = MergePreview()
    preview.moves.append(
        ngettext(
            "%(num)d person (with their history) move to %(name)s",
            "%(num)d persons (with their history) move to %(name)s",
            len(_people(duplicate)),
            name=keep.name,
        )
    )
    moving, dropped = _assignment_plan(keep, duplicate)
    if moving:
        held = ", ".join(
            _("%(officer)s (%(review)s)", officer=a.officer.display_name, review=_review_of(a))
            for a in moving
        )
        preview.moves.append(
            ngettext(
                "%(num)d assignment move: %(assignments)s",
                "%(num)d assignments move: %(assignments)s",
                len(moving),
                assignments=held,
            )
        )
    for a in dropped:
        preview.warnings.append(
            _(
                "%(kept)s is already held for %(review)s, so %(officer)s's assignment of %(duplicate)s is "
                "given back (recorded in the history).",
                kept=keep.name,
                review=_review_of(a),
                officer=a.officer.display_name,
                duplicate=duplicate.name,
            )
        )
    mandates = db.session.scalars(
        select(AgencyMandate).where(AgencyMandate.organisation_id == duplicate.id)
    ).all()
    if mandates:
        preview.moves.append(ngettext("%(num)d mandate move", "%(num)d mandates move", len(mandates)))
    for name, value in _organisation_fills(keep, duplicate).items():
        preview.fills.append(
            _("its notes are added to the notes")
            if name == "notes"
            else _("%(field)s: %(value)s", field=FIELD_LABELS[name], value=value)
        )
    preview.moves.append(
        ngettext(
            "%(name)s is archived as merged, not deleted: the merge can be undone for %(num)d day",
            "%(name)s is archived as merged, not deleted: the merge can be undone for %(num)d days",
            UNDO_DAYS,
            name=duplicate.name,
        )
    )
    return preview


def merge_organisations(keep: Organisation, duplicate: Organisation, by: User | None = None) -> RecordMerge:
    """Fold ``duplicate`` into ``keep``: its people (with their history), assignments and mandates move."""
    _check_organisations(keep, duplicate)
    people = [c.id for c in _people(duplicate)]
    db.session.execute(update(Contact).where(Contact.id.in_(people)).values(organisation_id=keep.id))
    moving, dropped = _assignment_plan(keep, duplicate)
    dropped_rows = [
        {"team_id": a.team_id, "officer_id": a.officer_id, "review_id": a.review_id} for a in dropped
    ]
    for assignment in dropped:
        unassign(assignment, by, f"{duplicate.name} was merged into {keep.name}")
    for assignment in moving:
        assignment.organisation_id = keep.id
    moved_mandates, dropped_mandates = [], []
    for mandate in db.session.scalars(
        select(AgencyMandate).where(AgencyMandate.organisation_id == duplicate.id)
    ):
        covered = db.session.scalar(
            select(AgencyMandate.id).where(
                AgencyMandate.organisation_id == keep.id,
                AgencyMandate.theme_id.is_(None)
                if mandate.theme_id is None
                else AgencyMandate.theme_id == mandate.theme_id,
            )
        )
        if covered is None:
            mandate.organisation_id = keep.id
            moved_mandates.append(mandate.id)
        else:
            dropped_mandates.append(mandate.theme_id)
            db.session.delete(mandate)
    record = record_merge(
        MergeKind.ORGANISATION,
        keep,
        duplicate,
        _organisation_fills(keep, duplicate),
        by=by,
        moved={
            "contacts": people,
            "assignments": [a.id for a in moving],
            "dropped_assignments": dropped_rows,
            "mandates": moved_mandates,
            "dropped_mandates": dropped_mandates,
        },
    )
    db.session.expire(keep, ["contacts"])
    db.session.expire(duplicate, ["contacts"])
    return record


def undo_organisation_merge(merge: RecordMerge, moved: dict[str, Any], by: User | None) -> list[str]:
    keep = db.session.get(Organisation, merge.keep_id)
    duplicate = db.session.get(Organisation, merge.duplicate_id)
    if keep is None or duplicate is None:
        raise ContactError(_("One of the two organisations no longer exists; the merge cannot be undone."))
    db.session.execute(
        update(Contact)
        .where(Contact.id.in_(moved["contacts"]), Contact.organisation_id == keep.id)
        .values(organisation_id=duplicate.id)
    )
    db.session.execute(
        update(Assignment)
        .where(Assignment.id.in_(moved["assignments"]), Assignment.organisation_id == keep.id)
        .values(organisation_id=duplicate.id)
    )
    db.session.execute(
        update(AgencyMandate)
        .where(AgencyMandate.id.in_(moved["mandates"]), AgencyMandate.organisation_id == keep.id)
        .values(organisation_id=duplicate.id)
    )
    for theme_id in moved["dropped_mandates"]:
        db.session.add(AgencyMandate(organisation_id=duplicate.id, theme_id=theme_id))
    kept = field_labels(restore_fields(keep, moved))
    duplicate.archived_at = None
    duplicate.merged_into_id = None
    db.session.flush()
    for row in moved["dropped_assignments"]:
        team, officer = db.session.get(Team, row["team_id"]), db.session.get(User, row["officer_id"])
        review = db.session.get(Review, row["review_id"]) if row["review_id"] else None
        try:
            if team is None or officer is None:
                raise AssignmentError("gone")  # i18n: fixed (caught just below, never shown)
            assign(team, officer, organisation=duplicate, review=review, by=by)
        except AssignmentError:
            who = officer.display_name if officer else _("a former officer")
            kept.append(_("the assignment of %(name)s to %(officer)s", name=duplicate.name, officer=who))
    db.session.expire(keep, ["contacts"])
    db.session.expire(duplicate, ["contacts"])
    return kept
