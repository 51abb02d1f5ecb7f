"""Which rows are the same recommendation, and which stored recommendation each one is: no state is lost.

Within a review a recommendation is its paragraph number when the file has one, otherwise its wording
(case, spacing and a final full stop ignored). UPR Info writes one row per recommending state, so rows
with the same wording are one recommendation made by all of their states. The same number with another
wording is an error naming both rows. Against what the review already holds, a numbered row also finds an
unnumbered recommendation of the same wording (a matrix imported after a UPR Info export fills in the
numbers instead of doubling them), and an unnumbered row a numbered one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _

from crm.recommendations.parsing import MAX_CACHED
from crm.recommendations.report import ImportReport, Merge, Problem, ReviewReport
from crm.recommendations.rows import ParsedRow
from crm.recommendations.stored import StoredRow
from crm.recommendations.themes import ThemeMap


@dataclass(slots=True, init=False)
class Entry:
    """One recommendation of the file: its first row, with what later rows of it added."""

    row: ParsedRow
    current: StoredRow | None = None
    # Matched across kinds of identity (a number to a wording): states are then added, never replaced.
    filled: bool = False
    changes: dict[str, object] = field(default_factory=dict)

    # Written out rather than generated, as ``ParsedRow``'s is: one is made for every recommendation.
    def __init__(
        self,
        row: ParsedRow,
        current: StoredRow | None = None,
        filled: bool = False,
        changes: dict[str, object] | None = None,
    ) -> None:
        self.row = row
        self.current = current
        self.filled = filled
        self.changes = {} if changes is None else changes


@dataclass
class ReviewBatch:
    """The rows of one review, gathered in the checking pass and matched against what it holds."""

    code: str
    report: ReviewReport
    stored: dict[str, StoredRow]
    entries: dict[str, Entry] = field(default_factory=dict)

    def add(self, row: ParsedRow, report: ImportReport) -> Entry | None:
        """Take ``row`` as a new recommendation or merge it into the one it repeats; returns the entry it
        went to, None if refused."""
        key = row.key
        entry = self.entries.get(key)
        if entry is None:
            entry = self.entries[key] = Entry(row)
            self.report.rows += 1
            return entry
        first = entry.row
        if row.number is not None and row.wording_key != first.wording_key:
            report.add_problem(
                Problem(
                    row.row,
                    _(
                        "number %(number)s is already used on row %(first)s for a different text",
                        number=row.number,
                        first=first.row,
                    ),
                )
            )
            return None
        if row.response != first.response:
            report.add_problem(
                Problem(
                    row.row,
                    _(
                        "same recommendation as row %(first)s, but the response is %(there)s there and "
                        "%(here)s here; correct one of them",
                        first=first.row,
                        there=repr(first.response_raw),
                        here=repr(row.response_raw),
                    ),
                )
            )
            return None
        if row.themes != first.themes:
            first.themes = tuple(dict.fromkeys((*first.themes, *row.themes)))
        if first.action_category is None:
            first.action_category = row.action_category
        self.add_states(entry, row.row, row.codes, report)
        return entry

    def add_states(self, entry: Entry, row: int, codes: tuple[str, ...], report: ImportReport) -> None:
        """Merge row ``row``, the same recommendation as ``entry`` in all but its states ``codes``, into it.

        What else a row merged into ``entry`` adds (its themes, a category) it has added by then, so a row
        repeating one that was taken into ``entry`` need add only its states.
        """
        first = entry.row
        added = tuple(code for code in codes if code not in first.codes)
        report.merges.append(Merge(row, first.row, self.code, first.number or "", added))
        first.codes += added
        self.report.rows += 1
        self.report.merged += 1

    def match(self, changes_of: ChangesOf) -> None:
        """Pair each recommendation with what the review holds and count what the import would do."""
        if not self.stored:
            # A review that holds nothing (yet): every recommendation is new.
            self.report.added += len(self.entries)
            self.report.unknown_states += sum(not entry.row.codes for entry in self.entries.values())
            return
        by_wording: dict[str, StoredRow] = {}
        for stored_row in self.stored.values():
            by_wording.setdefault(stored_row.wording_key, stored_row)
        claimed: set[int] = set()
        for key, entry in self.entries.items():
            row = entry.row
            current: StoredRow | None = self.stored.get(key)
            if current is None or current.id in claimed:
                other = by_wording.get(row.wording_key)
                current = None
                if other is not None and other.id not in claimed and (row.number is None or not other.number):
                    current, entry.filled = other, True
            if not row.codes:
                self.report.unknown_states += 1
            if current is None:
                self.report.added += 1
                continue
            claimed.add(current.id)
            entry.current = current
            entry.changes = changes_of(entry)
            if entry.filled and "number" in entry.changes:
                self.report.numbers_filled += 1
            if entry.changes:
                self.report.updated += 1
            else:
                self.report.unchanged += 1

    def new_rows(self) -> list[ParsedRow]:
        return [entry.row for entry in self.entries.values() if entry.current is None]

    def changed(self) -> list[Entry]:
        return [entry for entry in self.entries.values() if entry.current is not None and entry.changes]


class ChangesOf:
    """The columns an entry would change on its stored recommendation (a callable, given the theme map)."""

    def __init__(self, target_themes: TargetThemes) -> None:
        self.target_themes = target_themes

    def __call__(self, entry: Entry) -> dict[str, object]:
        row, current = entry.row, entry.current
        assert current is not None
        wanted: dict[str, object] = {
            "text": row.text,
            "response": row.response,
            "response_raw": row.response_raw,
        }
        for name in ("response_source", "affected_persons", "sdgs", "source_note"):
            if getattr(row, name) is not None:
                wanted[name] = getattr(row, name)
        if entry.filled:
            # The same recommendation under its other identity: keep the stored wording and states, add ours.
            wanted = {"number": row.number or current.number} if row.number and not current.number else {}
        changed = {key: value for key, value in wanted.items() if getattr(current, key) != value}
        if row.action_category not in {None, current.action_category} and not current.set_by_person:
            changed["action_category"] = row.action_category
        codes = (
            (*current.codes, *(c for c in row.codes if c not in current.codes)) if entry.filled else row.codes
        )
        if codes != current.codes:
            changed["codes"] = codes
        themes = self.target_themes(row, current)
        if entry.filled:
            themes = tuple(sorted({*current.themes, *row.themes}))
        if themes != current.themes:
            changed["themes"] = themes
        return changed


class TargetThemes:
    """The themes a row ends with: the file's, else those already held, else inferred from the wording."""

    def __init__(self, theme_map: ThemeMap) -> None:
        self.theme_map = theme_map
        # The file's theme cells repeat: each distinct one is sorted once.
        self._sorted: dict[tuple[str, ...], tuple[str, ...]] = {}

    def __call__(self, row: ParsedRow, current: StoredRow | None) -> tuple[str, ...]:
        if row.themes:
            found = self._sorted.get(row.themes)
            if found is None:
                found = tuple(sorted(row.themes))
                if len(self._sorted) < MAX_CACHED:
                    self._sorted[row.themes] = found
            return found
        if current is not None and current.themes:
            return current.themes
        return tuple(sorted(self.theme_map.themes_for(row.text)))
