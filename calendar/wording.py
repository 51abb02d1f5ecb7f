"""Dates as the calendar writes them in the reader's language, beyond the day forms of ``crm.dates``.

The month grid's title, weekday and month names, the agenda's day headings, yearly dates without a year
and a visit's local start. English keeps the forms the pages have always had; other languages take
Babel's (CLDR) patterns for ``crm.i18n.current_language()``. The grid starts on Monday, as
``crm.dates.month_grid`` builds it: every language of the app starts its week on Monday (CLDR's first day
for en_GB, zh_Hans_CN, fr and es), so the column headings follow the grid rather than the locale.

Registered as template filters on the calendar's blueprint (``register_filters``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from babel.dates import format_date, format_skeleton, format_time, get_day_names, get_month_names
from flask import Blueprint

from crm.i18n import SOURCE_LANGUAGE, current_language, locale_for


def _locale_or_english() -> str | None:
    """None in English (the app's own forms), else the language whose Babel patterns to use."""
    language = current_language()
    return None if language == SOURCE_LANGUAGE else language


def weekday_names() -> list[str]:
    """The grid's column headings, Monday first: "Mon" … "Sun", "lun." … "dim.", "周一" … "周日"."""
    names = get_day_names("abbreviated", context="stand-alone", locale=locale_for(current_language()))
    return [str(names[weekday]) for weekday in range(7)]


def _written(day: date, english: str, skeleton: str) -> str:
    """``day`` as strftime's ``english`` writes it in English, else as Babel's ``skeleton`` does."""
    language = _locale_or_english()
    if language is None:
        return day.strftime(english)
    return format_skeleton(skeleton, day, locale=locale_for(language))


def month_title(day: date) -> str:
    """ "June 2025", "juin 2025", "2025年6月": a month page's title."""
    return _written(day, "%B %Y", "yMMMM")


def month_name(day: date) -> str:
    """ "June", "juin", "六月": the month alone, as the links to the previous and next month name it."""
    language = _locale_or_english()
    if language is None:
        return day.strftime("%B")
    return str(get_month_names("wide", context="stand-alone", locale=locale_for(language))[day.month])


def weekday_day(day: date) -> str:
    """ "Wednesday 4 June 2025", "mercredi 4 juin 2025", "2025年6月4日星期三": an agenda day's heading."""
    language = _locale_or_english()
    if language is None:
        return day.strftime("%A %-d %B %Y")
    return format_date(day, format="full", locale=locale_for(language))


def yearly_day(day: date) -> str:
    """ "4 June", "4 juin", "6月4日": a date that comes back every year, written without its year."""
    return _written(day, "%-d %B", "MMMMd")


def day_month(day: date) -> str:
    """ "4 Jun", "4 juin", "6月4日": a day in the next weeks, where the year goes without saying."""
    return _written(day, "%-d %b", "MMMd")


def local_start(moment: datetime, *, short: bool = False) -> str:
    """A visit's start as the clock reads where it happens: "Wednesday 4 June 2025, 14:30" (``short``:
    "Wed 4 Jun 2025, 14:30"), "mercredi 4 juin 2025, 14:30", "2025年6月4日星期三 14:30"."""
    language = _locale_or_english()
    if language is None:
        return moment.strftime("%a %-d %b %Y, %H:%M" if short else "%A %-d %B %Y, %H:%M")
    locale = locale_for(language)
    day = format_skeleton("yMMMEd", moment, locale=locale) if short else format_date(moment, "full", locale)
    clock = format_time(moment, "HH:mm", tzinfo=moment.tzinfo, locale=locale)
    # The locale's own way of joining a day and a time ("{1}, {0}", "{1} {0}").
    return str(locale.datetime_formats["medium"]).format(clock, day)


FILTERS: dict[str, Callable[..., str]] = {
    "month_title": month_title,
    "month_name": month_name,
    "weekday_day": weekday_day,
    "yearly_day": yearly_day,
    "day_month": day_month,
    "local_start": local_start,
}


def register_filters(blueprint: Blueprint) -> None:
    for name, function in FILTERS.items():
        blueprint.add_app_template_filter(function, name)
    blueprint.add_app_template_global(weekday_names, "weekday_names")
