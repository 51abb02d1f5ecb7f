"""Sensitive dates (anniversaries, holidays a contact names) and the check run when a meeting is planned."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from crm import dates
from crm.db import db
from upr_calendar.models import SensitiveDate
from upr_calendar.translate import _

NEAR_DAYS = 3


def _occurrence(sensitive: SensitiveDate, year: int) -> date:
    if not sensitive.yearly:
        return sensitive.on
    # 29 February is remembered on 28 February in other years.
    day = min(sensitive.on.day, 28) if sensitive.on.month == 2 and year % 4 else sensitive.on.day
    return date(year, sensitive.on.month, day)


def sensitive_near(
    first: date, last: date, state_code: str | None = None, known: list[SensitiveDate] | None = None
) -> list[str]:
    """Labels of sensitive dates within ``NEAR_DAYS`` of the span, e.g. "4 June: Tiananmen anniversary".

    ``known`` saves a query per meeting when the caller checks many (the agenda loads them once)."""
    candidates = list_sensitive_dates() if known is None else known
    low, high = first - timedelta(days=NEAR_DAYS), last + timedelta(days=NEAR_DAYS)
    found = []
    for sensitive in candidates:
        if state_code is not None and sensitive.state_code not in (None, state_code):
            continue
        for year in range(low.year, high.year + 1):
            on = _occurrence(sensitive, year)
            if low <= on <= high:
                found.append(_("%(day)s: %(label)s", day=dates.format_long_day(on), label=sensitive.label))
    return found


def add_sensitive_date(
    on: date, label: str, *, yearly: bool = True, state_code: str | None = None, contact_id: int | None = None
) -> SensitiveDate:
    if not label.strip():
        raise ValueError(_("Say what the date is (for example, an anniversary)."))
    row = SensitiveDate(
        on=on, label=label.strip(), yearly=yearly, state_code=state_code, contact_id=contact_id
    )
    db.session.add(row)
    return row


def list_sensitive_dates() -> list[SensitiveDate]:
    return list(db.session.scalars(select(SensitiveDate).order_by(SensitiveDate.on)))
