"""What an import found and did: counts, problems with their row numbers, a preview of the first rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from crm.recommendations.parsing import ParsedRow

# ``progress(done, total)``; ``total`` is None while the file has not been counted.
Progress = Callable[[int, int | None], None]
MAX_LISTED_PROBLEMS = 500


@dataclass(frozen=True)
class Problem:
    row: int | None
    message: str

    def __str__(self) -> str:
        ending = "" if self.message.endswith((".", "?")) else "."
        return f"Row {self.row}: {self.message}{ending}" if self.row else f"{self.message}{ending}"


@dataclass
class ImportReport:
    file_name: str
    review_code: str
    format_label: str = ""
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    duplicates: int = 0
    response_changes: int = 0
    links: int = 0
    problem_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    preview: list[ParsedRow] = field(default_factory=list)
    written: bool = False

    def add_problem(self, problem: Problem) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_LISTED_PROBLEMS:
            self.problems.append(problem)

    @property
    def summary(self) -> str:
        return (
            f"{self.added} added, {self.updated} updated, {self.unchanged} unchanged, {self.skipped} skipped"
            + (f", {self.duplicates} repeated rows ignored" if self.duplicates else "")
        )
