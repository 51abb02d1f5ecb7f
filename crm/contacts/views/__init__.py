"""The contacts blueprint: contacts, organisations, interactions, who to brief, coverage and the audit log.

Each module adds its routes to ``bp`` (``blueprint.py``) when imported; importing the package imports all.
"""

from crm.contacts.views import (
    audit,
    contacts,
    coverage,
    erasure,
    interactions,
    merges,
    organisations,
    who_to_brief,
)
from crm.contacts.views.blueprint import bp

__all__ = [
    "audit",
    "bp",
    "contacts",
    "coverage",
    "erasure",
    "interactions",
    "merges",
    "organisations",
    "who_to_brief",
]
