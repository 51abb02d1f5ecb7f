"""Reading dates people type: one clear sentence for a date that cannot be read or does not exist."""

from __future__ import annotations

from datetime import date

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


class DateError(ValueError):
    """A date that cannot be read or does not exist; the message says which and how to write it."""


def parse_day(text: str) -> date:
    """An ISO date (2025-06-30); "2025-06-31" gets "There is no 31 June 2025." rather than a bare error."""
    value = text.strip()
    parts = value.split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        raise DateError(f"{value!r} is not a date: write it as YYYY-MM-DD, for example 2025-06-30.")
    year, month, day = (int(part) for part in parts)
    if not 1 <= month <= 12:
        raise DateError(f"There is no month {month} in {value}.")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f"There is no {day} {MONTHS[month - 1]} {year}.") from None
