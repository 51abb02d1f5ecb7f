"""Every table of the app, for Alembic and for tests: importing this module registers all models."""

from __future__ import annotations

from crm.db import Base
from upr.plugins import optional_modules

# Each package's models module, in dependency order (crm first).
MODEL_MODULES = (
    "crm.models",
    "crm.auth.models",
    "crm.teams.models",
    "crm.recommendations.models",
    "crm.asks.models",
    "crm.contacts.models",
    "crm.assessments.models",
    "crm.jobs.models",
    "upr_calendar.models",
    "outreach.models",
)

for _module in optional_modules(MODEL_MODULES):
    pass

metadata = Base.metadata
