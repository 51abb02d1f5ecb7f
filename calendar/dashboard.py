"""The dashboard panel: what falls due in the next 90 days."""

from __future__ import annotations

from datetime import timedelta

from crm import dates
from crm.panels import Panel
from upr_calendar.agenda import agenda
from upr_calendar.translate import _

HORIZON_DAYS = 90


def panels() -> list[Panel]:
    today = dates.today()
    items = agenda(today, today + timedelta(days=HORIZON_DAYS))
    return [
        Panel(_("Upcoming deadlines (next 90 days)"), "calendar/panel.html", {"items": items[:15]}, order=20)
    ]
