"""What every part of the calendar hands on: agenda items, the error its services raise, the UID domain."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

UID_DOMAIN = "upr-outreach"


@dataclass(frozen=True)
class AgendaItem:
    """One thing in the calendar. All-day items have ``date`` start/end, ``end`` exclusive (as in iCal);
    timed ones have aware datetimes in the zone they happen in. ``url`` is a path in the app."""

    uid: str
    kind: str
    title: str
    start: date | datetime
    end: date | datetime
    all_day: bool
    review_id: int | None
    user_ids: list[int]
    remind_days_before: list[int]
    url: str
    status: str = "confirmed"
    description: str = ""
    sequence: int = 0
    team_id: int | None = None
    warnings: tuple[str, ...] = field(default=())

    @property
    def day(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start


class CalendarError(ValueError):
    """Bad input to a calendar service; the message is shown to the person as is."""
