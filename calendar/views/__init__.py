"""The calendar blueprint: the agenda and month, a review's deadlines, visits, treaty bodies, feeds.

Each module adds its routes to ``bp`` (``blueprint.py``) when imported; importing the package imports all.
"""

from upr_calendar.views import agenda, deadlines, event_summary, feeds, sensitive_dates, treaties, visits
from upr_calendar.views.blueprint import bp

__all__ = ["agenda", "bp", "deadlines", "event_summary", "feeds", "sensitive_dates", "treaties", "visits"]
