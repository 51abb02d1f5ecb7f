"""Working hours: mail reaches a contact between 09:00 and 17:00 on their own clock."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from crm import dates

WORK_START = time(9, 0)
WORK_END = time(17, 0)
SATURDAY = 5


def zone(name: str) -> ZoneInfo:
    """The recipient's zone; UTC if the stored name no longer reads (zones are checked when saved, and an
    unreadable one must not stop the message: it then goes out within UTC working hours)."""
    try:
        return dates.zone(name)
    except dates.UnknownZone:
        return ZoneInfo("UTC")


def next_working_time(at: datetime, timezone: str, *, weekdays_only: bool = True) -> datetime:
    """``at`` when it is within working hours in ``timezone``, else the next window's start (in UTC)."""
    local = at.astimezone(zone(timezone))
    for _ in range(8):
        workday = not weekdays_only or local.weekday() < SATURDAY
        if workday and WORK_START <= local.time() < WORK_END:
            return local.astimezone(UTC)
        if workday and local.time() < WORK_START:
            local = local.replace(hour=WORK_START.hour, minute=0, second=0, microsecond=0)
            continue
        # Past the window (or not a working day): try the next morning, on that day's wall clock.
        next_day = (local + timedelta(days=1)).date()
        local = datetime.combine(next_day, WORK_START, local.tzinfo)
    return local.astimezone(UTC)
