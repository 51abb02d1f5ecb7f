"""Who may see a contact: at-risk people only by admins and by the officers of the team holding them."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, true

from crm.auth.models import Role, User
from crm.contacts.models import Contact, SafetyLevel

# Viewers read, but never the records of people facing reprisals.
AT_RISK_ROLES = (Role.OFFICER, Role.COORDINATOR)


def may_see_contact(user: User | None, contact: Contact) -> bool:
    """True when ``user`` may see ``contact``; an at-risk contact only by admins and their team's officers."""
    if not contact.is_at_risk:
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
    not_at_risk = Contact.safety_level != SafetyLevel.AT_RISK
    if user is None:
        return not_at_risk
    if user.role is Role.ADMIN:
        return true()
    if user.role not in AT_RISK_ROLES or not user.team_ids:
        return not_at_risk
    return or_(not_at_risk, Contact.owner_team_id.in_(sorted(user.team_ids)))


def may_edit_contact(user: User, contact: Contact) -> bool:
    """Admins edit everyone; officers and coordinators the contacts of their teams (and unowned ones)."""
    if not may_see_contact(user, contact) or user.role is Role.VIEWER:
        return False
    return user.role is Role.ADMIN or contact.owner_team_id is None or contact.owner_team_id in user.team_ids
