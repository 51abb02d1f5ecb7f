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

from flask_babel import gettext as _
from flask_babel import ngettext

from crm.recommendations.rows import ParsedRow

# ``progress(done, total)``; ``total`` is None while the file has not been counted.
Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Problem:
    row: int | None
    message: str

    def __str__(self) -> str:
        ending = "" if self.message.endswith((".", "?", "。", "？")) else _(".")
        if self.row:
            return str(
                _("Row %(row)s: %(problem)s%(ending)s", row=self.row, problem=self.message, ending=ending)
            )
        return f"{self.message}{ending}"


class Merge(NamedTuple):
    """Row ``row`` repeats the recommendation first seen on ``into_row`` and adds ``added`` states to it.

    A named tuple: a whole export makes tens of thousands of them, and a tuple is the cheapest to make.
    """

    row: int
    into_row: int
    review_code: str
    label: str  # the recommendation's number; empty when it has none (matched by its wording)
    added: tuple[str, ...]

    def __str__(self) -> str:
        if self.added:
            return str(
                _(
                    "Row %(row)s: same recommendation as row %(into)s (%(label)s); merged, adds %(states)s.",
                    row=self.row,
                    into=self.into_row,
                    label=self.label or _("same wording"),
                    states=", ".join(self.added),
                )
            )
        return str(
            _(
                "Row %(row)s: same recommendation as row %(into)s (%(label)s); merged, adds no new state.",
                row=self.row,
                into=self.into_row,
                label=self.label or _("same wording"),
            )
        )


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
        counts = {"added": self.added, "updated": self.updated, "unchanged": self.unchanged}
        if self.merged:
            return str(
                _(
                    "%(added)s added, %(updated)s updated, %(unchanged)s unchanged, "
                    "%(merged)s repeated rows merged",
                    merged=self.merged,
                    **counts,
                )
            )
        return str(_("%(added)s added, %(updated)s updated, %(unchanged)s unchanged", **counts))


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
        counts = {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
        }
        if self.duplicates:
            return str(
                _(
                    "%(added)s added, %(updated)s updated, %(unchanged)s unchanged, %(skipped)s skipped, "
                    "%(merged)s repeated rows merged into the recommendation they repeat",
                    merged=self.duplicates,
                    **counts,
                )
            )
        return str(
            _("%(added)s added, %(updated)s updated, %(unchanged)s unchanged, %(skipped)s skipped", **counts)
        )

    def accounting(self) -> list[str]:
        """One line for each kind of row that is not simply stored, so that every row is accounted for."""
        lines = []
        filled = self._total("numbers_filled")
        if filled:
            lines.append(
                ngettext(
                    "%(num)d recommendation already held without a number gets its number from this file.",
                    "%(num)d recommendations already held without a number get theirs from this file.",
                    filled,
                )
            )
        unknown = self._total("unknown_states")
        if unknown:
            lines.append(
                ngettext(
                    "%(num)d recommendation names no recommending state: the file gives it as unknown.",
                    "%(num)d recommendations name no recommending state: the file gives it as unknown.",
                    unknown,
                )
            )
        if self.other_reviews:
            shown = ", ".join(f"{code}: {count}" for code, count in sorted(self.other_reviews.items()))
            lines.append(
                ngettext(
                    "%(num)d row of other reviews left out (%(reviews)s).",
                    "%(num)d rows of other reviews left out (%(reviews)s).",
                    sum(self.other_reviews.values()),
                    reviews=shown[:300],
                )
            )
        if self.other_bodies:
            lines.append(
                ngettext(
                    "%(num)d row of treaty bodies or special procedures left out: not UPR recommendations.",
                    "%(num)d rows of treaty bodies or special procedures left out: not UPR recommendations.",
                    self.other_bodies,
                )
            )
        if self.headings:
            lines.append(
                ngettext(
                    "%(num)d section heading (Theme: ...) read as a heading.",
                    "%(num)d section headings (Theme: ...) read as headings.",
                    self.headings,
                )
            )
        return lines
