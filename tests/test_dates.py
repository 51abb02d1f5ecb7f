"""Dates read the same on every page: one form for days, one for moments, always said in UTC."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, render_template_string

from crm.dates import format_day, format_instant, format_long_day


def test_days_and_moments_have_one_form_each() -> None:
    assert format_day(date(2023, 7, 18)) == "18 Jul 2023"
    assert format_long_day(date(2024, 1, 23)) == "23 January 2024"
    assert format_day(None) == format_long_day(None) == format_instant(None) == "—"
    # A send recorded at 09:05 in Geneva (winter) is 08:05 UTC, whatever zone the value carries.
    geneva = datetime(2026, 11, 23, 9, 5, 7, tzinfo=ZoneInfo("Europe/Zurich"))
    assert format_instant(geneva) == "23 Nov 2026, 08:05 UTC"
    assert format_instant(geneva, seconds=True) == "23 Nov 2026, 08:05:07 UTC"


def test_the_filters_are_there_for_every_template(app: Flask) -> None:
    with app.test_request_context():
        shown = render_template_string(
            "{{ day | day }} / {{ day | long_day }} / {{ moment | instant }}",
            day=date(2018, 11, 6),
            moment=datetime(2024, 1, 23, 10, 0, tzinfo=ZoneInfo("UTC")),
        )
    assert shown == "6 Nov 2018 / 6 November 2018 / 23 Jan 2024, 10:00 UTC"
