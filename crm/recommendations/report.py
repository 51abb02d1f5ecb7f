"""What an import found and did, accounting for every row: stored, merged, left out or refused.

A file's report holds one report per review it touches (a UPR Info export may hold eighty), the rows
refused with their row numbers and reasons, the rows merged into a recommendation they repeat (and the
states they added), and the rows that belong elsewhere (other reviews, other UN bodies) or are headings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from crm.recommendations.parsing import ParsedRow

# ``progress(done, total)``; ``total`` is None while the file has not been counted.
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Problem:
    row: int | None
    message: str

    def __str__(self) -> str:
        ending = "" if self.message.endswith((".", "?")) else "."
        return f"Row {self.row}: {self.message}{ending}" if self.row else f"{self.message}{ending}"


class Merge(NamedTuple):
    """Row ``row`` repeats the recommendation first seen on ``into_row`` and adds ``added`` states to it.

    A named tuple: a whole export makes tens of thousands of them, and a tuple is the cheapest to make.
    """

    row: int
    into_row: int
    review_code: str
    label: str
    added: tuple[str, ...]

    def __str__(self) -> str:
        states = f"adds {', '.join(self.added)}" if self.added else "adds no new state"
        return f"Row {self.row}: same recommendation as row {self.into_row} ({self.label}); merged, {states}."


@dataclass
class ReviewReport:
    """What the import does to one review."""

    code: str
    exists: bool = True
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    merged: int = 0
    numbers_filled: int = 0
    unknown_states: int = 0
    response_changes: int = 0
    links: int = 0

    @property
    def summary(self) -> str:
        return f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged" + (
            f", {self.merged} repeated rows merged" if self.merged else ""
        )


@dataclass
class ImportReport:
    """The whole file's report; the counts are the sums over its reviews."""

    file_name: str
    review_code: str
    format_label: str = ""
    reviews: dict[str, ReviewReport] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    merges: list[Merge] = field(default_factory=list)
    other_reviews: Counter[str] = field(default_factory=Counter)
    other_bodies: int = 0
    headings: int = 0
    preview: list[ParsedRow] = field(default_factory=list)
    written: bool = False

    def add_problem(self, problem: Problem) -> None:
        self.problems.append(problem)

    def review(self, code: str) -> ReviewReport:
        found = self.reviews.get(code)
        if found is None:
            found = self.reviews[code] = ReviewReport(code)
        return found

    def _total(self, name: str) -> int:
        return sum(getattr(review, name) for review in self.reviews.values())

    @property
    def problem_count(self) -> int:
        return len(self.problems)

    @property
    def skipped(self) -> int:
        return len({problem.row for problem in self.problems if problem.row is not None})

    @property
    def rows(self) -> int:
        """Rows of recommendations this import takes (those of other reviews or bodies are not counted)."""
        return self._total("rows") + self.skipped

    @property
    def added(self) -> int:
        return self._total("added")

    @property
    def updated(self) -> int:
        return self._total("updated")

    @property
    def unchanged(self) -> int:
        return self._total("unchanged")

    @property
    def duplicates(self) -> int:
        return self._total("merged")

    @property
    def response_changes(self) -> int:
        return self._total("response_changes")

    @property
    def links(self) -> int:
        return self._total("links")

    @property
    def left_out(self) -> int:
        return sum(self.other_reviews.values()) + self.other_bodies

    @property
    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {self.skipped} skipped"
            + (
                f", {self.duplicates} repeated rows merged into the recommendation they repeat"
                if self.duplicates
                else ""
            )
        )

    def accounting(self) -> list[str]:
        """One line for each kind of row that is not simply stored, so that every row is accounted for."""
        lines = []
        filled = self._total("numbers_filled")
        if filled:
            lines.append(f"{filled} recommendations already held without a number get theirs from this file.")
        unknown = self._total("unknown_states")
        if unknown:
            lines.append(
                f"{unknown} recommendations name no recommending state: the file gives it as unknown."
            )
        if self.other_reviews:
            shown = ", ".join(f"{code}: {count}" for code, count in sorted(self.other_reviews.items()))
            lines.append(
                f"{sum(self.other_reviews.values())} rows of other reviews left out ({shown[:300]})."
            )
        if self.other_bodies:
            lines.append(
                f"{self.other_bodies} rows of treaty bodies or special procedures left out: not UPR "
                "recommendations."
            )
        if self.headings:
            lines.append(f"{self.headings} section headings (Theme: ...) read as headings.")
        return lines
