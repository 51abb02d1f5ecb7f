"""Days, time zones, and dates and numbers as people type and read them.

"Today" is the UTC calendar day (:func:`today`), wherever the server runs and whoever asks. Moments are
stored and shown in UTC too, so "has this deadline passed?", a feed's window and a log of sends agree
around midnight. Time zones are IANA names, read by :func:`zone`, which answers a wrong name with
:class:`UnknownZone`.

Reading: one clear sentence for a date that cannot be read or does not exist. Writing: one form for every
page (the ``day``, ``long_day`` and ``instant`` template filters), so a date reads the same in a table, a
sentence and a log of sends.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, format_skeleton, format_time, get_month_names
from babel.numbers import format_decimal
from flask_babel import gettext as _

from crm.i18n import SOURCE_LANGUAGE, current_language, locale_for


class DateError(ValueError):
    """A date that cannot be read or does not exist; the message says which and how to write it."""


class UnknownZone(ValueError):
    """A time-zone name that is not an IANA name; the message says how to write one."""


def today() -> date:
    """The app's day: the calendar day in UTC now (see the module's note)."""
    return datetime.now(UTC).date()


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` ("Europe/Zurich"; Geneva has no zone of its own)."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        message = _(
            "%(name)s is not a time zone: use an IANA name such as Europe/Zurich.", name=repr(name.strip())
        )
        raise UnknownZone(message) from None


def start_of_day(day: date) -> datetime:
    """00:00 UTC on ``day``: where an all-day date begins when compared with moments."""
    return datetime.combine(day, datetime.min.time(), UTC)


def month_grid(year: int, month: int) -> list[list[date]]:
    """Six weeks of seven days, Monday first, covering the month (as a wall calendar prints it)."""
    first = date(year, month, 1)
    grid_start = first - timedelta(days=first.weekday())
    return [[grid_start + timedelta(days=7 * week + day) for day in range(7)] for week in range(6)]


def parse_day(text: str) -> date:
    """An ISO date (2025-06-30); "2025-06-31" gets "There is no 31 June 2025." rather than a bare error."""
    value = text.strip()
    parts = value.split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise DateError(
            _("%(value)s is not a date: write it as YYYY-MM-DD, for example 2025-06-30.", value=repr(value))
        )
    year, month, day = (int(part) for part in parts)
    if not 1 <= month <= 12:
        raise DateError(_("There is no month %(month)s in %(value)s.", month=month, value=value))
    try:
        return date(year, month, day)
    except ValueError:
        month_name = get_month_names("wide", locale=locale_for(current_language()))[month]
        raise DateError(
            _("There is no %(day)s %(month)s %(year)s.", day=day, month=month_name, year=year)
        ) from None


def format_day(value: date | None) -> str:
    """ "18 Jul 2023" (in Chinese "2023年7月18日"), for tables and lists; a dash when there is no date."""
    if value is None:
        return "—"
    language = current_language()
    if language == SOURCE_LANGUAGE:
        return value.strftime("%-d %b %Y")
    return format_skeleton("yMMMd", value, locale=locale_for(language))


def format_long_day(value: date | None) -> str:
    """ "18 July 2023" ("18 juillet 2023"), for sentences; a dash when there is no date."""
    if value is None:
        return "—"
    language = current_language()
    if language == SOURCE_LANGUAGE:
        return value.strftime("%-d %B %Y")
    return format_date(value, format="long", locale=locale_for(language))


def format_instant(value: datetime | None, *, seconds: bool = False) -> str:
    """ "23 Nov 2026, 10:00 UTC": a moment, always in UTC so that people in Geneva and Beijing agree."""
    if value is None:
        return "—"
    moment = value.astimezone(UTC)
    language = current_language()
    if language == SOURCE_LANGUAGE:
        return moment.strftime("%-d %b %Y, %H:%M:%S UTC" if seconds else "%-d %b %Y, %H:%M UTC")
    locale = locale_for(language)
    day = format_skeleton("yMMMd", moment, locale=locale)
    clock = format_time(moment, "HH:mm:ss" if seconds else "HH:mm", tzinfo=UTC, locale=locale)
    # The locale's own way of joining a day and a time ("{1}, {0}", "{1} {0}").
    return f"{str(locale.datetime_formats['medium']).format(clock, day)} UTC"


def format_number(value: float | None) -> str:
    """ "12,345" ("12 345" in French): counts and figures as the reader's language groups digits."""
    if value is None:
        return "—"
    return format_decimal(value, locale=locale_for(current_language()))
