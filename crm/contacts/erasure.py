"""Erasing a contact for good, for a person who asks (or whose safety needs it): nothing of them is kept.

The row goes with every field; interactions only with them go, shared ones lose the link (and their name
in the summary); their tasks, successions, sensitive dates and audit entries go. Higher layers hold copies
too (the outbox, held recipients): they register an erasure step (:func:`register_erasure_step`), as the
calendar's deadline actions are registered, so this module never imports them. What remains is one audit
entry: "contact #N erased by X on date". SQLite overwrites deleted rows (``secure_delete``, ``crm.db``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from flask.sansio.app import App
from sqlalchemy import delete, func, or_, select

from crm.auth.models import User
from crm.contacts.audit import record_event
from crm.contacts.models import (
    AuditLog,
    Contact,
    Interaction,
    Succession,
    Task,
    interaction_contacts,
)
from crm.db import db, utcnow

ErasureStep = Callable[[Contact], int]
_EXTENSION = "upr.contact_erasure_steps"
ERASED_MARK = "[erased]"


@dataclass(frozen=True)
class ErasurePlan:
    """What erasing a contact removes, for the confirmation page."""

    interactions_deleted: int
    interactions_unlinked: int
    tasks: int


def register_erasure_step(app: App, step: ErasureStep) -> None:
    """Add a step run when a contact is erased (``step(contact)`` stages deletions, returns a count)."""
    steps: list[ErasureStep] = app.extensions.setdefault(_EXTENSION, [])
    steps.append(step)


def _interaction_ids(contact: Contact) -> tuple[list[int], list[int]]:
    """The interactions with only this contact, and those shared with others."""
    others = (
        select(func.count())
        .where(interaction_contacts.c.interaction_id == Interaction.id)
        .where(interaction_contacts.c.contact_id != contact.id)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Interaction.id, others).where(Interaction.contacts.any(Contact.id == contact.id))
    ).all()
    return [i for i, shared in rows if not shared], [i for i, shared in rows if shared]


def plan_erasure(contact: Contact) -> ErasurePlan:
    alone, shared = _interaction_ids(contact)
    tasks = db.session.scalar(select(func.count()).where(Task.contact_id == contact.id)) or 0
    return ErasurePlan(len(alone), len(shared), tasks)


def erase_contact(contact: Contact, by: User) -> str:
    """Stage the erasure of ``contact`` by ``by`` (an admin); returns the audit entry's text."""
    contact_id, name = contact.id, contact.full_name
    for step in current_app.extensions.get(_EXTENSION, []):
        step(contact)
    alone, shared = _interaction_ids(contact)
    pattern = re.compile(re.escape(name), re.IGNORECASE) if name.strip() else None
    for interaction in db.session.scalars(select(Interaction).where(Interaction.id.in_(shared))):
        interaction.contacts = [c for c in interaction.contacts if c.id != contact_id]
        if pattern is not None:
            interaction.summary = pattern.sub(ERASED_MARK, interaction.summary)
            interaction.outcome = pattern.sub(ERASED_MARK, interaction.outcome)
    db.session.flush()
    db.session.execute(delete(Task).where(or_(Task.contact_id == contact_id, Task.interaction_id.in_(alone))))
    db.session.execute(delete(Interaction).where(Interaction.id.in_(alone)))
    db.session.execute(
        delete(Succession).where(
            or_(Succession.contact_id == contact_id, Succession.successor_id == contact_id)
        )
    )
    db.session.execute(delete(AuditLog).where(AuditLog.contact_id == contact_id))
    db.session.delete(contact)
    db.session.flush()
    # The audit log's own line, in one language for every admin and script that reads it.
    text = f"Contact #{contact_id} erased by {by.email} on {utcnow():%Y-%m-%d}."  # i18n: fixed
    record_event(by, "contact erased", text)
    return text
