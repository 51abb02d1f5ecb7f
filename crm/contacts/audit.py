"""The audit log: every view or export of an at-risk person's record, and the security events admins need.

Security events (failed sign-ins and lock-outs, addresses that belong to a contact the asker may not
see, erasures) carry no contact's data: at most the contact's number, which admins can open.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.auth.models import User
from crm.contacts.models import AuditLog, Contact
from crm.contacts.privacy import is_at_risk
from crm.db import db


def record_access(user: User | None, action: str, contact: Contact, detail: str = "") -> None:
    """Stage an entry when ``contact`` is at risk; other people's records are not audited."""
    if is_at_risk(contact):
        db.session.add(
            AuditLog(user_id=user.id if user else None, action=action, contact_id=contact.id, detail=detail)
        )


def record_event(user: User | None, action: str, detail: str = "", contact_id: int | None = None) -> None:
    """Stage a security event; ``detail`` must not quote personal data (it is shown to every admin)."""
    db.session.add(
        AuditLog(user_id=user.id if user else None, action=action[:40], contact_id=contact_id, detail=detail)
    )


def record_refused_address(user: User | None, holder_id: int, where: str) -> None:
    """Stage, for the admins, that someone typed the address of a contact they may not see."""
    record_event(
        user,
        "address refused",
        f"{where}: the address typed belongs to this contact, whom the person asking may not see",
        contact_id=holder_id,
    )


def recent_entries(limit: int = 500) -> list[AuditLog]:
    query = (
        select(AuditLog)
        .options(selectinload(AuditLog.user), selectinload(AuditLog.contact))
        .order_by(AuditLog.at.desc(), AuditLog.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(query))
