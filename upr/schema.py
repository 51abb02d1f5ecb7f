"""Every table of the app, for Alembic and for tests: importing this module registers all models."""

from __future__ import annotations

import importlib

from crm.db import Base

# Each package's models module, in dependency order (crm first). A module that does not exist yet is a
# feature not written yet, not an error.
MODEL_MODULES = (
    "crm.models",
    "crm.recommendations.models",
    "crm.contacts.models",
    "crm.assessments.models",
    "upr_calendar.models",
    "outreach.models",
)

for _module in MODEL_MODULES:
    try:
        importlib.import_module(_module)
    except ModuleNotFoundError as error:
        if error.name != _module and not _module.startswith(f"{error.name}."):
            raise

metadata = Base.metadata
