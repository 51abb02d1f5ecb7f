"""Where the areas plug into the edge: their blueprints, commands, demo loaders and dashboard panels.

Plain imports, so a part that is listed but missing fails at start-up instead of leaving a silent gap.
They sit inside functions so that importing the edge (``upr --help``) does not load every area. Lists are
in layer order: crm's areas, then the calendar, then outreach.
"""

from __future__ import annotations

from collections.abc import Callable

import click
from flask import Blueprint

from crm.panels import Panel

CommandRegistrar = Callable[[click.Group, click.Group, click.Group], None]
DemoLoader = Callable[[], list[str]]
PanelProvider = Callable[[], list[Panel]]


def blueprints() -> list[Blueprint]:
    from crm.asks.views import bp as asks
    from crm.assessments.views import bp as assessments
    from crm.auth.views import bp as auth
    from crm.contacts.views import bp as contacts
    from crm.jobs.views import bp as jobs
    from crm.recommendations.views import bp as recommendations
    from crm.reviews.views import bp as reviews
    from crm.teams.views import bp as teams
    from outreach.views import bp as outreach
    from upr.dashboard import bp as dashboard
    from upr_calendar.views import bp as calendar

    crm_areas = [auth, reviews, recommendations, asks, contacts, teams, assessments, jobs]
    return [*crm_areas, calendar, outreach, dashboard]


def command_registrars() -> list[CommandRegistrar]:
    from crm.assessments.cli import register as assessments
    from crm.auth.cli import register as auth
    from crm.contacts.cli import register as contacts
    from crm.recommendations.cli import register as recommendations
    from crm.reviews.cli import register as reviews
    from crm.teams.cli import register as teams
    from outreach.cli import register as outreach
    from upr_calendar.cli import register as calendar

    return [auth, reviews, recommendations, contacts, teams, assessments, calendar, outreach]


def demo_loaders() -> list[DemoLoader]:
    """Each area's idempotent demo loader, in the order their data builds on each other."""
    from crm.asks.demo import load_demo as asks
    from crm.contacts.demo import load_demo as contacts
    from crm.recommendations.demo import load_demo as recommendations
    from crm.reviews.demo import load_demo as reviews
    from outreach.demo import load_demo as outreach
    from upr_calendar.demo import load_demo as calendar

    return [reviews, recommendations, asks, contacts, calendar, outreach]


def panel_providers() -> list[PanelProvider]:
    from crm.assessments.dashboard import panels as assessments
    from crm.contacts.dashboard import panels as contacts
    from crm.reviews.dashboard import panels as reviews
    from outreach.dashboard import panels as outreach
    from upr_calendar.dashboard import panels as calendar

    return [reviews, contacts, assessments, calendar, outreach]
