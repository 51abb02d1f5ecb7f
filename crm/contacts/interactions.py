"""The interaction log: meetings, e-mails, calls and events, and the follow-up tasks they create."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from crm.auth.models import User
from crm.contacts.models import Contact, Interaction, InteractionKind, Task, TaskKind
from crm.contacts.services import ContactError
from crm.db import db
from crm.models import Recommendation
from crm.text import NOTES, TextError, clean_text


def save_interaction(
    *,
    officer: User,
    kind: InteractionKind,
    occurred_at: datetime,
    contacts: list[Contact],
    recommendations: list[Recommendation] | None = None,
    summary: str = "",
    outcome: str = "",
    follow_up_on: date | None = None,
    interaction: Interaction | None = None,
    origin: str | None = None,
) -> Interaction:
    """Create or update an interaction; a follow-up date becomes (or moves) the officer's follow-up task."""
    if occurred_at.tzinfo is None:
        raise ContactError(_("Give the time of the interaction with its time zone."))
    if not contacts:
        raise ContactError(_("Name at least one contact the interaction was with."))
    if follow_up_on is not None and follow_up_on < occurred_at.date():
        raise ContactError(
            _("The follow-up date %(day)s is before the interaction itself.", day=follow_up_on)
        )
    try:
        summary = clean_text(summary, NOTES, _("Summary"), multiline=True)
        outcome = clean_text(outcome, NOTES, _("Outcome"), multiline=True)
    except TextError as error:
        raise ContactError(str(error)) from None
    if interaction is None:
        interaction = Interaction(officer=officer, kind=kind, occurred_at=occurred_at)
        db.session.add(interaction)
    interaction.officer, interaction.kind, interaction.occurred_at = officer, kind, occurred_at
    interaction.contacts = list(dict.fromkeys(contacts))
    interaction.recommendations = list(dict.fromkeys(recommendations or []))
    interaction.summary, interaction.outcome, interaction.follow_up_on = summary, outcome, follow_up_on
    if origin is not None:
        interaction.origin = origin or None
    db.session.flush()
    sync_follow_up_task(interaction)
    return interaction


def sync_follow_up_task(interaction: Interaction) -> Task | None:
    """Keep exactly one open follow-up task per interaction with a follow-up date."""
    task = db.session.scalar(
        select(Task).where(Task.interaction_id == interaction.id, Task.kind == TaskKind.FOLLOW_UP)
    )
    if interaction.follow_up_on is None:
        if task is not None and task.done_at is None:
            db.session.delete(task)
        return None
    if task is None:
        task = Task(kind=TaskKind.FOLLOW_UP, interaction_id=interaction.id, due_on=interaction.follow_up_on)
        db.session.add(task)
    # The title names no one: tasks reach calendar feeds, and a person in the meeting may be at risk.
    task.title = f"Follow up the {interaction.kind.value} of {interaction.occurred_at:%Y-%m-%d}"
    task.due_on = interaction.follow_up_on
    task.assignee_id = interaction.officer_id
    task.team_id = next((c.owner_team_id for c in interaction.contacts if c.owner_team_id), None)
    task.contact_id = interaction.contacts[0].id if len(interaction.contacts) == 1 else None
    db.session.flush()
    return task


def interactions_following(origin: str) -> list[Interaction]:
    """The interactions logged after what ``origin`` names (e.g. ``calendar-event:12``), latest first."""
    query = select(Interaction).where(Interaction.origin == origin).order_by(Interaction.occurred_at.desc())
    return list(db.session.scalars(query))


def interactions_with(contact: Contact) -> list[Interaction]:
    query = (
        select(Interaction)
        .where(Interaction.contacts.any(Contact.id == contact.id))
        .order_by(Interaction.occurred_at.desc())
    )
    return list(db.session.scalars(query))
