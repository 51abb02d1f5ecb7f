"""Every table of the app, for Alembic and for tests: importing this module registers all models."""

from __future__ import annotations

import crm.asks.models
import crm.assessments.models
import crm.auth.models
import crm.contacts.models
import crm.jobs.models
import crm.models
import crm.recommendations.models
import crm.teams.models
import outreach.models
import upr_calendar.models
from crm.db import Base

# Each area's models, in layer order; naming them here is what registers their tables on ``Base``.
MODEL_MODULES = (
    crm.models,
    crm.auth.models,
    crm.teams.models,
    crm.contacts.models,
    crm.recommendations.models,
    crm.asks.models,
    crm.assessments.models,
    crm.jobs.models,
    upr_calendar.models,
    outreach.models,
)

metadata = Base.metadata
