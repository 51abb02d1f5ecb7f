"""Treaty bodies: which treaties a state is party to, their dates, and the ones that share a UPR theme."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from crm import dates
from crm.db import db
from crm.models import Recommendation, Review, Theme, recommendation_themes
from upr_calendar.items import CalendarError
from upr_calendar.models import (
    TREATY_KINDS,
    DatePrecision,
    DeadlineKind,
    Treaty,
    TreatyEvent,
    TreatyRatification,
)
from upr_calendar.rule_texts import described
from upr_calendar.rules import treaties_for_themes, treaty_themes
from upr_calendar.translate import _
from upr_calendar.wording import month_title

TREATY_RULES_FILE = Path(__file__).resolve().parents[1] / "data" / "treaty_rules.csv"
TREATY_ALIASES = {"ICCPR": Treaty.CCPR, "ICESCR": Treaty.CESCR, "ICERD": Treaty.CERD, "ICRMW": Treaty.CMW}
KIND_ALIASES = {
    "report_due": DeadlineKind.TREATY_REPORT_DUE,
    "session": DeadlineKind.TREATY_SESSION,
    "review": DeadlineKind.TREATY_SESSION,
    "loi": DeadlineKind.LIST_OF_ISSUES,
}
TREATY_REMINDERS = {
    DeadlineKind.NGO_SUBMISSION: [30, 7],
    DeadlineKind.LIST_OF_ISSUES: [30],
    DeadlineKind.TREATY_REPORT_DUE: [30],
    DeadlineKind.TREATY_SESSION: [14],
}


@dataclass(frozen=True)
class FuzzyDate:
    on: date
    precision: DatePrecision

    @classmethod
    def parse(cls, value: str) -> FuzzyDate:
        """``2025-03-14``, ``2025-03`` (a month) or ``2025`` (a year); anything else is refused."""
        text = value.strip()
        try:
            if len(text) == 10:
                return cls(date.fromisoformat(text), DatePrecision.DAY)
            if len(text) == 7:
                return cls(date.fromisoformat(f"{text}-01"), DatePrecision.MONTH)
            if len(text) == 4:
                return cls(date(int(text), 1, 1), DatePrecision.YEAR)
        except ValueError:
            pass
        raise CalendarError(_("%(value)s is not a date: use 2025-03-14, 2025-03 or 2025.", value=repr(value)))

    def describe(self) -> str:
        """As much of the date as is known, in the reader's language: "14 March 2025", "March 2025"."""
        if self.precision is DatePrecision.DAY:
            return dates.format_long_day(self.on)
        if self.precision is DatePrecision.MONTH:
            return month_title(self.on)
        return str(self.on.year)


def treaty_named(name: str) -> Treaty:
    key = name.strip().upper()
    if key in TREATY_ALIASES:
        return TREATY_ALIASES[key]
    try:
        return Treaty(key)
    except ValueError:
        raise CalendarError(
            _(
                "Unknown treaty %(name)s: use one of %(treaties)s.",
                name=repr(name),
                treaties=", ".join(Treaty),
            )
        ) from None


def kind_named(name: str) -> DeadlineKind:
    key = name.strip().lower()
    kind = KIND_ALIASES.get(key) or next((k for k in DeadlineKind if k.value == key), None)
    if kind is None or kind not in TREATY_KINDS:
        raise CalendarError(_("Unknown treaty-body date kind %(name)s.", name=repr(name)))
    return kind


def load_treaty_file(state_code: str, path: Path) -> tuple[int, int]:
    """Ratifications and dates from a JSON list of {treaty, ratified, ratification_note, events: [...]}.

    Idempotent: an event is found again by (treaty, kind, label) and moved if its date changed. A file that
    cannot be read raises ``CalendarError`` naming the entry; the caller rolls back what was staged.
    """
    try:
        entries = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CalendarError(
            _("%(file)s is not a UTF-8 JSON file (%(error)s).", file=path.name, error=error)
        ) from None
    if not isinstance(entries, list):
        raise CalendarError(
            _("%(file)s must hold a list of treaties, like data/demo/treaty-bodies.json.", file=path.name)
        )
    ratifications = events = 0
    for number, entry in enumerate(entries, start=1):
        try:
            treaty = treaty_named(str(entry["treaty"]))
            note = str(entry.get("ratification_note") or "")
            ratifications += set_ratification(state_code, treaty, bool(entry.get("ratified")), note)
            for item in entry.get("events") or []:
                events += upsert_treaty_event(
                    state_code,
                    treaty,
                    kind_named(str(item["kind"])),
                    FuzzyDate.parse(str(item["date"])),
                    label=str(item.get("label") or ""),
                    source=str(item.get("source") or ""),
                )
        except KeyError as missing:
            key = repr(missing.args[0])
            message = _(
                "Entry %(number)s of %(file)s has no %(key)s.", number=number, file=path.name, key=key
            )
            raise CalendarError(message) from None
        except (TypeError, AttributeError):
            message = _(
                "Entry %(number)s of %(file)s is not shaped like a treaty entry.",
                number=number,
                file=path.name,
            )
            raise CalendarError(message) from None
        except CalendarError as problem:
            message = _(
                "Entry %(number)s of %(file)s: %(problem)s", number=number, file=path.name, problem=problem
            )
            raise CalendarError(message) from None
    return ratifications, events


def upsert_treaty_event(
    state_code: str, treaty: Treaty, kind: DeadlineKind, when: FuzzyDate, *, label: str, source: str
) -> int:
    """Add or move one treaty-body date; returns 1 if something was added or changed."""
    row = db.session.scalar(
        select(TreatyEvent).where(
            TreatyEvent.state_code == state_code,
            TreatyEvent.treaty == treaty,
            TreatyEvent.kind == kind,
            TreatyEvent.label == label,
        )
    )
    if row is None:
        db.session.add(
            TreatyEvent(
                state_code=state_code,
                treaty=treaty,
                kind=kind,
                on=when.on,
                precision=when.precision,
                label=label,
                source=source,
                sequence=0,
            )
        )
        return 1
    if (row.on, row.precision, row.source) == (when.on, when.precision, source):
        return 0
    row.on, row.precision, row.source = when.on, when.precision, source
    row.sequence += 1
    return 1


@dataclass(frozen=True)
class DerivedTreatyDate:
    """A treaty-body date nobody has entered, estimated from another one by ``data/treaty_rules.csv``."""

    treaty: Treaty
    kind: DeadlineKind
    on: date
    session: TreatyEvent
    description: str


def derived_ngo_deadlines(events: list[TreatyEvent]) -> list[DerivedTreatyDate]:
    """An estimated NGO deadline before each session known to the day that has no NGO date entered for it.

    An NGO date entered for the same treaty between the session and twice the rule's lead time before it
    (12 weeks for a six-week rule) belongs to that session and replaces the estimate.
    """
    derived = []
    for rule in _treaty_rules():
        for session in events:
            if session.kind is not rule.relative_to or session.precision is not DatePrecision.DAY:
                continue
            estimate = session.on + timedelta(days=rule.days)
            belongs_from = session.on + timedelta(days=2 * rule.days)
            entered = any(
                other.treaty is session.treaty
                and other.kind is rule.kind
                and belongs_from <= other.on <= session.on
                for other in events
            )
            if not entered:
                derived.append(
                    DerivedTreatyDate(
                        session.treaty, rule.kind, estimate, session, described(rule.description)
                    )
                )
    return sorted(derived, key=lambda item: item.on)


@dataclass(frozen=True)
class _TreatyRule:
    kind: DeadlineKind
    relative_to: DeadlineKind
    days: int
    description: str


@lru_cache(maxsize=1)
def _treaty_rules() -> tuple[_TreatyRule, ...]:
    with TREATY_RULES_FILE.open(encoding="utf-8", newline="") as handle:
        return tuple(
            _TreatyRule(
                DeadlineKind(row["kind"]),
                DeadlineKind(row["relative_to"]),
                int(row["days"]),
                row["description"],
            )
            for row in csv.DictReader(handle)
        )


def set_ratification(state_code: str, treaty: Treaty, ratified: bool, note: str) -> bool:
    """Record whether ``state_code`` is party to ``treaty``; True when the row is new."""
    row = db.session.scalar(
        select(TreatyRatification).where(
            TreatyRatification.state_code == state_code, TreatyRatification.treaty == treaty
        )
    )
    added = row is None
    if row is None:
        row = TreatyRatification(state_code=state_code, treaty=treaty)
        db.session.add(row)
    row.ratified, row.note = ratified, note.strip()
    return added


def ratifications(state_code: str) -> list[TreatyRatification]:
    return list(
        db.session.scalars(
            select(TreatyRatification)
            .where(TreatyRatification.state_code == state_code)
            .order_by(TreatyRatification.treaty)
        )
    )


def review_themes(review_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(Theme.name)
            .join(recommendation_themes, recommendation_themes.c.theme_id == Theme.id)
            .join(Recommendation, Recommendation.id == recommendation_themes.c.recommendation_id)
            .where(Recommendation.review_id == review_id)
            .distinct()
        )
    )


def dual_use_events(review: Review) -> list[tuple[TreatyEvent, tuple[str, ...]]]:
    """Treaty-body dates for the review's state on treaties sharing its themes, with the shared themes:
    one report can serve both the UPR and that committee."""
    themes = review_themes(review.id)
    treaties = treaties_for_themes(themes)
    if not treaties:
        return []
    rows = db.session.scalars(
        select(TreatyEvent)
        .where(TreatyEvent.state_code == review.state_code, TreatyEvent.treaty.in_(treaties))
        .order_by(TreatyEvent.on)
    )
    lowered = [name.casefold() for name in themes]
    return [
        (
            row,
            tuple(
                t
                for t in treaty_themes()[row.treaty]
                if any(t.casefold() in w or w in t.casefold() for w in lowered)
            ),
        )
        for row in rows
    ]
