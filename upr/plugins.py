"""Finding the optional parts each package contributes (views, commands, workloads, demo data, panels).

A module listed but not written yet is simply skipped; an import error *inside* a module is raised.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

BLUEPRINT_MODULES = (
    "crm.auth.views",
    "crm.reviews.views",
    "crm.recommendations.views",
    "crm.asks.views",
    "crm.contacts.views",
    "crm.teams.views",
    "crm.assessments.views",
    "crm.jobs.views",
    "upr_calendar.views",
    "outreach.views",
    "upr.dashboard",
)
CLI_MODULES = (
    "crm.auth.cli",
    "crm.recommendations.cli",
    "crm.contacts.cli",
    "crm.assessments.cli",
    "upr_calendar.cli",
    "outreach.cli",
)
DEMO_MODULES = (
    "crm.reviews.demo",
    "crm.recommendations.demo",
    "crm.asks.demo",
    "crm.contacts.demo",
    "crm.assessments.demo",
    "upr_calendar.demo",
    "outreach.demo",
)
DASHBOARD_MODULES = (
    "crm.reviews.dashboard",
    "crm.contacts.dashboard",
    "crm.assessments.dashboard",
    "upr_calendar.dashboard",
    "outreach.dashboard",
)


def optional_modules(names: tuple[str, ...]) -> Iterator[ModuleType]:
    for name in names:
        try:
            yield importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name is None or not (name == error.name or name.startswith(f"{error.name}.")):
                raise
