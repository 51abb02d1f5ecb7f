"""The dashboard panel: what falls due in the next 90 days."""

from __future__ import annotations

from datetime import date, timedelta

from crm.panels import Panel
from upr_calendar.agenda import agenda

HORIZON_DAYS = 90


def panels() -> list[Panel]:
    today = date.today()  # noqa: DTZ011  # "upcoming" is relative to the reader's calendar day
    items = agenda(today, today + timedelta(days=HORIZON_DAYS))
    return [
        Panel("Upcoming deadlines (next 90 days)", "calendar/panel.html", {"items": items[:15]}, order=20)
    ]
