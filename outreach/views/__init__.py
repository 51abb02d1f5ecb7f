"""The outreach blueprint: campaigns, briefing templates, the Outbox, planned reminders and unsubscribing.

Each module adds its routes to ``bp`` (``blueprint.py``) when imported; importing the package imports all.
"""

from outreach.views import campaigns, drafts, outbox, planned, signatures, templates, unsubscribe
from outreach.views.blueprint import bp

__all__ = ["bp", "campaigns", "drafts", "outbox", "planned", "signatures", "templates", "unsubscribe"]
