"""The rules engine: a review's deadlines derived from its date with offsets kept as data.

The offsets live in ``data/deadline_rules.csv`` (kind, months, days, reminders, what to do, which way an
estimate moves to a working day, and the basis of the rule) so a coordinator can correct them without a
release; nothing here touches the database.

An estimate stands for a real date that is not known yet, so it must never fall after it: a deadline
errs early. Estimates land on working days of the UN in Geneva: a deadline moves to the working day
before, a meeting to the working day after; neither falls on a weekend or in the year-end closure of the
UN Office at Geneva, from 24 December to 1 January.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from upr_calendar.models import DeadlineKind, Treaty
from upr_calendar.translate import _

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
RULES_FILE = DATA_DIR / "deadline_rules.csv"
THEMES_FILE = DATA_DIR / "treaty_themes.csv"


@dataclass(frozen=True)
class DeadlineRule:
    """``months`` then ``days`` added to the review date (negative: before it)."""

    kind: DeadlineKind
    months: int
    days: int
    remind_days_before: tuple[int, ...]
    action: str
    description: str
    later: bool = False
    basis: str = ""

    def apply(self, review_date: date) -> date:
        return working_day(add_months(review_date, self.months) + timedelta(days=self.days), later=self.later)


@dataclass(frozen=True)
class Deadline:
    """One deadline of a review: both dates stay visible, the official one wins."""

    kind: DeadlineKind
    derived: date | None
    official: date | None
    sequence: int
    rule: DeadlineRule | None

    @property
    def effective(self) -> date | None:
        return self.official or self.derived

    @property
    def overridden(self) -> bool:
        return self.official is not None and self.derived is not None and self.official != self.derived


class RulesError(ValueError):
    """The rules file is malformed; the message names the line."""


# The UN Office at Geneva's year-end closure, inclusive: (month, day) to (month, day).
CLOSURE_STARTS = (12, 24)
CLOSURE_ENDS = (1, 1)
SATURDAY = 5
MOVES = {"earlier": False, "later": True}


def in_closure(day: date) -> bool:
    return (day.month, day.day) >= CLOSURE_STARTS or (day.month, day.day) <= CLOSURE_ENDS


def working_day(day: date, *, later: bool) -> date:
    """``day``, or the nearest working day before it (after it when ``later``): no weekend, no closure."""
    step = timedelta(days=1 if later else -1)
    while day.weekday() >= SATURDAY or in_closure(day):
        day += step
    return day


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, or the month's last day if it has no such day (31 Aug - 6 → 28 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    first_of_next = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last_day))


def parse_rules(path: Path) -> dict[DeadlineKind, DeadlineRule]:
    rules: dict[DeadlineKind, DeadlineRule] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            try:
                kind = DeadlineKind(row["kind"].strip())
                reminders = tuple(int(part) for part in row["remind_days_before"].split(";") if part.strip())
                rules[kind] = DeadlineRule(
                    kind=kind,
                    months=int(row["months"]),
                    days=int(row["days"]),
                    remind_days_before=reminders,
                    action=row["action"].strip(),
                    description=row["description"].strip(),
                    later=MOVES[row["moves"].strip()],
                    basis=row["basis"].strip(),
                )
            except (KeyError, ValueError, AttributeError) as error:
                message = _("%(file)s line %(line)s: %(error)s", file=path.name, line=line, error=error)
                raise RulesError(message) from error
    return rules


@cache
def load_rules() -> dict[DeadlineKind, DeadlineRule]:
    return parse_rules(RULES_FILE)


@cache
def treaty_themes() -> dict[Treaty, tuple[str, ...]]:
    """Which themes each treaty body covers, for reports that can serve the UPR and a treaty body."""
    themes: dict[Treaty, list[str]] = {}
    with THEMES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            themes.setdefault(Treaty(row["treaty"].strip()), []).append(row["theme"].strip())
    return {treaty: tuple(names) for treaty, names in themes.items()}


def treaties_for_themes(theme_names: set[str]) -> set[Treaty]:
    """Treaties whose themes match any of the given theme names (case-insensitive, either way round)."""
    wanted = [name.casefold() for name in theme_names]
    return {
        treaty
        for treaty, names in treaty_themes().items()
        if any(t.casefold() in w or w in t.casefold() for t in names for w in wanted)
    }
