"""Agenda items as iCalendar (RFC 5545) that Thunderbird (ical.js), Outlook and Apple Calendar read alike.

The text is written directly rather than through ``icalendar``'s object model: a feed of thousands of
events is a hot path (the ical-export benchmark), and the VTIMEZONEs need a form ical.js reads correctly.
``icalendar``'s ``add_missing_timezones`` writes several instants on one RDATE line and ical.js reads only
the first (see the engineering notes), so each zone is written here with one observance per transition,
no RDATE at all.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from crm import dates
from upr_calendar.items import AgendaItem

PRODID = "-//UPR Outreach//Deadline calendar//EN"
REFRESH = "PT1H"
_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"})


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, every kind of line break as ``\\n``."""
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_ESCAPES)


def fold(line: str) -> str:
    """Fold a content line at 75 octets without cutting a UTF-8 character in two."""
    if len(line) <= 75 and line.isascii():
        return line
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1  # never split inside a multi-byte character
        parts.append(data[start:end].decode("utf-8"))
        start, limit = end, 74  # continuation lines start with a space
    return "\r\n ".join(parts)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _is_ambiguous(local: datetime) -> bool:
    """True in the repeated hour when clocks go back: a TZID wall time there names two instants."""
    return local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset()


def _moment(name: str, value: date | datetime, zones: set[str]) -> str:
    if not isinstance(value, datetime):
        return f"{name};VALUE=DATE:{value:%Y%m%d}"
    zone = getattr(value.tzinfo, "key", None)
    if zone is None or zone == "UTC" or _is_ambiguous(value):
        return f"{name}:{_utc(value)}"
    zones.add(zone)
    return f"{name};TZID={zone}:{value:%Y%m%dT%H%M%S}"


def _offset(delta: timedelta | None) -> str:
    seconds = int((delta or timedelta()).total_seconds())
    sign = "-" if seconds < 0 else "+"
    hours, rest = divmod(abs(seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{sign}{hours:02d}{minutes:02d}" + (f"{secs:02d}" if secs else "")


def _transitions(
    zone: ZoneInfo, first: datetime, last: datetime
) -> list[tuple[datetime, timedelta, timedelta]]:
    """(instant, offset before, offset after) of every change of UTC offset between two instants."""
    found = []
    step = timedelta(days=1)
    moment = first
    before = moment.astimezone(zone).utcoffset() or timedelta()
    while moment < last:
        later = moment + step
        after = later.astimezone(zone).utcoffset() or timedelta()
        if after != before:
            low, high = moment, later
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if (middle.astimezone(zone).utcoffset() or timedelta()) == before:
                    low = middle
                else:
                    high = middle
            found.append((high.replace(microsecond=0), before, after))
            before = after
        moment = later
    return found


@cache
def vtimezone(name: str, first_year: int, last_year: int) -> str:
    """A VTIMEZONE for the years given: the offset in force at the start, then each transition."""
    zone = dates.zone(name)
    first = datetime(first_year, 1, 1, tzinfo=UTC)
    last = datetime(last_year + 1, 1, 1, tzinfo=UTC)
    initial = first.astimezone(zone)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]

    def observance(onset: datetime, before: timedelta, after: timedelta, label: str | None) -> None:
        kind = "DAYLIGHT" if onset.astimezone(zone).dst() else "STANDARD"
        local_onset = (onset + before).replace(tzinfo=None)  # RFC 5545: the onset in the old offset
        lines.extend(
            [
                f"BEGIN:{kind}",
                f"DTSTART:{local_onset:%Y%m%dT%H%M%S}",
                f"TZOFFSETFROM:{_offset(before)}",
                f"TZOFFSETTO:{_offset(after)}",
                *([f"TZNAME:{label}"] if label else []),
                f"END:{kind}",
            ]
        )

    start_offset = initial.utcoffset() or timedelta()
    observance(first, start_offset, start_offset, initial.tzname())
    for onset, before, after in _transitions(zone, first, last):
        observance(onset, before, after, onset.astimezone(zone).tzname())
    lines.append("END:VTIMEZONE")
    return "\r\n".join(lines)


def _event(item: AgendaItem, stamp: str, base_url: str, zones: set[str]) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{item.uid}",
        f"DTSTAMP:{stamp}",
        f"SEQUENCE:{item.sequence}",
        _moment("DTSTART", item.start, zones),
        _moment("DTEND", item.end, zones),
        fold(f"SUMMARY:{escape_text(item.title)}"),
    ]
    if item.description:
        lines.append(fold(f"DESCRIPTION:{escape_text(item.description)}"))
    lines += [
        fold(f"URL:{base_url}{item.url}"),
        f"CATEGORIES:{item.kind.upper()}",
        f"STATUS:{'CANCELLED' if item.status == 'cancelled' else 'CONFIRMED'}",
        f"TRANSP:{'TRANSPARENT' if item.all_day else 'OPAQUE'}",
    ]
    if item.status != "cancelled":
        reminder = fold(f"DESCRIPTION:{escape_text(item.title)}")
        for days in item.remind_days_before:
            lines += ["BEGIN:VALARM", "ACTION:DISPLAY", reminder, f"TRIGGER:-P{days}D", "END:VALARM"]
    lines.append("END:VEVENT")
    return lines


def build_calendar(
    items: Iterable[AgendaItem],
    name: str,
    *,
    base_url: str = "",
    now: datetime | None = None,
    description: str = "",
) -> str:
    """The whole VCALENDAR as text with CRLF line ends, ready to serve as ``text/calendar``; ``description``
    (what the calendar holds and leaves out) is shown by the apps that read ``X-WR-CALDESC``."""
    stamp = _utc(now or datetime.now(UTC))
    base = base_url.rstrip("/")
    zones: set[str] = set()
    body: list[str] = []
    years: list[int] = []
    for item in items:
        body += _event(item, stamp, base, zones)
        if not item.all_day:
            years += [item.start.year, item.end.year]
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        fold(f"X-WR-CALNAME:{escape_text(name)}"),
        *([fold(f"X-WR-CALDESC:{escape_text(description)}")] if description else []),
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    timezones = [vtimezone(zone, min(years) - 1, max(years) + 1) for zone in sorted(zones)]
    return "\r\n".join([*head, *timezones, *body, "END:VCALENDAR"]) + "\r\n"
