"""Rows for contact exports, with masking of personal data for material shared outside the team.

Callers pass only contacts that may leave the app: never an at-risk one. A sensitive contact's e-mail and
phone are written only when the ``viewer`` may read them (never for a script, which asks as nobody).
"""

from __future__ import annotations

from collections.abc import Iterable

from crm.auth.models import User
from crm.contacts.models import Contact
from crm.contacts.privacy import is_at_risk, may_see_details

CONTACT_COLUMNS = (
    "full_name", "title", "organisation", "organisation_kind", "state", "email", "phone", "languages",
    "posting_start", "posting_end", "notes",
)  # fmt: skip


def initials(name: str) -> str:
    return "".join(f"{part[0]}." for part in name.replace("-", " ").split() if part)


def contact_rows(
    contacts: Iterable[Contact], *, mask: bool = False, viewer: User | None = None
) -> list[list[object]]:
    """One row per contact; ``mask`` turns names to initials and drops e-mail, phone and free-text notes."""
    rows: list[list[object]] = []
    for contact in contacts:
        if is_at_risk(contact):
            continue
        organisation = contact.organisation
        hide_details = mask or not may_see_details(viewer, contact)
        rows.append(
            [
                initials(contact.full_name) if mask else contact.full_name,
                contact.title,
                organisation.name,
                organisation.kind.value,
                organisation.state_code or "",
                "" if hide_details else contact.email or "",
                "" if hide_details else contact.phone,
                contact.languages,
                contact.posting_start.isoformat() if contact.posting_start else "",
                contact.posting_end.isoformat() if contact.posting_end else "",
                "" if mask else contact.notes,
            ]
        )
    return rows
