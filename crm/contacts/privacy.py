"""The at-risk rule: who may see a person facing reprisals, and what leaves the app about them.

A contact is at risk when their ``safety_level`` is ``at_risk``. This module is the one place that says so,
in SQL (:func:`at_risk_clause`) and in Python (:func:`is_at_risk`), and every path by which data leaves the
app goes through it:

- pages and commands list only what :func:`visible_contacts_clause` keeps for the person asking: at-risk
  people are seen by admins and by the officers and coordinators of the team holding them;
- the e-mail address and phone number of a *sensitive* (or at-risk) person are shown only to admins and to
  members of the team holding them (:func:`may_see_details`, :func:`details_visible_clause`);
- exports, calendar feeds, campaign e-mail and scripts ask as nobody (``viewer=None``), which never
  includes an at-risk person (:func:`shareable_clause`);
- where a record must still mention one (a follow-up task in a feed, a successor task's title), it uses a
  neutral wording instead of a name or a role that could identify them (:data:`PROTECTED_TITLE`,
  :func:`neutral_reference`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, not_, or_, true

from crm.auth.models import Role, User
from crm.contacts.models import Contact, SafetyLevel, Task, TaskKind
from crm.dates import format_day, format_long_day

# Viewers read, but never the records of people facing reprisals.
AT_RISK_ROLES = (Role.OFFICER, Role.COORDINATOR)
PROTECTED_TITLE = "Follow-up with a protected contact (details in the app)"  # i18n: fixed (see task_title)


def is_at_risk(contact: Contact) -> bool:
    return contact.safety_level is SafetyLevel.AT_RISK


def at_risk_clause() -> ColumnElement[bool]:
    return Contact.safety_level == SafetyLevel.AT_RISK


def shareable_clause() -> ColumnElement[bool]:
    """Contacts whose data may leave the app (exports, feeds, e-mail to third parties): nobody at risk."""
    return not_(at_risk_clause())


def may_see_contact(user: User | None, contact: Contact) -> bool:
    """True when ``user`` may see ``contact``; an at-risk contact only by admins and their team's officers."""
    if not is_at_risk(contact):
        return True
    if user is None or not user.is_authenticated:
        return False
    if user.role is Role.ADMIN:
        return True
    return (
        user.role in AT_RISK_ROLES
        and contact.owner_team_id is not None
        and contact.owner_team_id in user.team_ids
    )


def visible_contacts_clause(user: User | None) -> ColumnElement[bool]:
    """A WHERE clause keeping only the contacts ``user`` may see (``None``: scripts, exports, feeds)."""
    if user is None:
        return shareable_clause()
    if user.role is Role.ADMIN:
        return true()
    if user.role not in AT_RISK_ROLES or not user.team_ids:
        return shareable_clause()
    return or_(shareable_clause(), Contact.owner_team_id.in_(sorted(user.team_ids)))


def may_see_details(user: User | None, contact: Contact) -> bool:
    """True when ``user`` may read ``contact``'s e-mail address and phone number.

    Everyone who sees a contact sees a normal one's; a sensitive or at-risk person's only admins and the
    members of the team holding them (exports and scripts, asking as nobody, never).
    """
    if contact.safety_level is SafetyLevel.NORMAL:
        return True
    if user is None or not user.is_authenticated or not may_see_contact(user, contact):
        return False
    if user.role is Role.ADMIN:
        return True
    return contact.owner_team_id is not None and contact.owner_team_id in user.team_ids


def details_visible_clause(user: User | None) -> ColumnElement[bool]:
    """A WHERE clause keeping the contacts whose e-mail and phone ``user`` may read (to search by them)."""
    normal = Contact.safety_level == SafetyLevel.NORMAL
    if user is None:
        return normal
    if user.role is Role.ADMIN:
        return true()
    if not user.team_ids:
        return normal
    return or_(normal, Contact.owner_team_id.in_(sorted(user.team_ids)))


def may_edit_contact(user: User, contact: Contact) -> bool:
    """Admins edit everyone; officers and coordinators the contacts of their teams (and unowned ones).

    Editing shows the e-mail and phone, so a sensitive contact is edited only by those who may read them.
    """
    if not may_see_details(user, contact) or user.role is Role.VIEWER:
        return False
    return user.role is Role.ADMIN or contact.owner_team_id is None or contact.owner_team_id in user.team_ids


def neutral_reference(contact: Contact) -> str:
    """How text that may leave the app refers to ``contact`` without naming them.

    The job title says whom without naming, except for people at risk, whose role at a small organisation
    could identify them.
    """
    if is_at_risk(contact):
        return "a protected contact"  # i18n: fixed (stored task titles are written once, by the sweep)
    return f"the {contact.title}" if contact.title else "a contact"


def task_title(task: Task) -> str:
    """A task's title as pages and calendar feeds show it, in the reader's language.

    A task about an at-risk person reads neutrally. The follow-ups and successor tasks the app writes are
    worded when they are read, so that each reader has them in their own language; their stored title
    (English, naming no one) is what they said when written. A task someone typed says what they typed.
    """
    contact = task.contact
    if contact is not None and is_at_risk(contact):
        return str(_("Follow-up with a protected contact (details in the app)"))
    interaction = task.interaction
    if task.kind is TaskKind.FOLLOW_UP and interaction is not None:
        return str(
            _(
                "Follow up the %(kind)s of %(day)s",
                kind=interaction.kind.label,
                day=format_day(interaction.occurred_at.date()),
            )
        )
    if task.kind is TaskKind.SUCCESSOR and contact is not None and contact.posting_end is not None:
        values = {"organisation": contact.organisation.name, "day": format_long_day(contact.posting_end)}
        if contact.title:
            return str(
                _(
                    "Ask who succeeds the %(title)s at %(organisation)s (posting ends %(day)s)",
                    title=contact.title,
                    **values,
                )
            )
        return str(_("Ask who succeeds a contact at %(organisation)s (posting ends %(day)s)", **values))
    return task.title
