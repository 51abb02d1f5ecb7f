"""Importing recommendations from an export file into a review: checked first, then written all at once.

The file is streamed: the first pass checks every row and counts what would change; only when it found no
problem (or the caller accepts skipping the bad rows) is anything written. The rows to write (new or
changed ones) are kept from the first pass up to ``KEPT_ROWS``, so a usual export is read and parsed once;
a larger file is read a second time instead, so memory stays bounded whatever the file's size. The caller
commits (a CLI command or a view), as everywhere else.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path

from sqlalchemy import delete, insert

from crm.bulk import collector_paused
from crm.db import db
from crm.models import (
    Recommendation,
    RecommendingState,
    Review,
    recommendation_themes,
)
from crm.recommendations.classify import classify
from crm.recommendations.layouts import HEADER_SEARCH_ROWS, HeaderError, Layout, find_layout
from crm.recommendations.links import link_similar
from crm.recommendations.models import ResponseChange
from crm.recommendations.parsing import ParsedRow, RowParser, RowProblem
from crm.recommendations.readers import ImportFileError, TableSource, open_table
from crm.recommendations.report import ImportReport, Problem, Progress
from crm.recommendations.stored import StoredRow, load_stored
from crm.recommendations.themes import ThemeMap, default_theme_map
from crm.recommendations.writing import BulkInserter
from crm.reviews.services import ReviewCode, ReviewNotFound, find_review, get_or_create_review
from crm.states import StateResolver

BATCH = 2_000
PROGRESS_EVERY = 1_000
# Parsed rows kept between checking and writing: about 60 MB for a 100,000-row export.
KEPT_ROWS = 150_000

__all__ = ["ImportFileError", "ImportReport", "Problem", "Progress", "import_recommendations"]


def import_recommendations(
    path: Path,
    review_code: str,
    *,
    file_format: str = "auto",
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    preview_rows: int = 0,
    display_name: str | None = None,
) -> ImportReport:
    """Check ``path`` and, unless ``dry_run`` or a row is invalid (without ``skip_invalid``), stage it.

    ``progress(done, total)`` is called while checking (``total`` is None: the file is not counted first)
    and again while writing (``total`` is then the number of rows). Raises ``ImportFileError`` when the
    file as a whole is unusable; row problems are listed in the report instead.
    """
    name = display_name or path.name
    source = open_table(path, name)
    layout = _layout(source, file_format, mapping)
    try:
        parsed_code = ReviewCode.parse(review_code)
    except ValueError as error:
        raise ImportFileError(str(error)) from None
    resolver = StateResolver.from_database()
    if parsed_code.state_code not in resolver.display_names:
        raise ImportFileError(
            f"{parsed_code.state_code} is not the alpha-3 code of a UN member or observer state"
        )
    review = find_review(str(parsed_code))
    importer = _Importer(layout, RowParser(layout, resolver, parsed_code.state_code), default_theme_map())
    existing = load_stored(review) if review else {}
    report = ImportReport(name, str(parsed_code), layout.format.label)
    with collector_paused():
        invalid, kept = importer.check(
            source=source, existing=existing, report=report, progress=progress, preview_rows=preview_rows
        )
    if dry_run or (report.problem_count and not skip_invalid):
        return report
    if review is None:
        try:
            review = get_or_create_review(str(parsed_code))
        except ReviewNotFound as error:
            raise ImportFileError(str(error)) from None
    with collector_paused():
        importer.write(
            rows=importer.rows(source) if kept is None else kept,
            review=review,
            existing=existing,
            invalid=invalid,
            report=report,
            progress=progress,
            file_name=name,
        )
    report.links = link_similar(review)
    report.written = True
    return report


def _layout(source: TableSource, file_format: str, mapping: Mapping[str, str] | None) -> Layout:
    first_rows = list(islice(source.rows(), HEADER_SEARCH_ROWS))
    if not any(any(cell.strip() for cell in cells) for _, cells in first_rows):
        raise ImportFileError(f"{source.path.name} has no rows")
    try:
        return find_layout(first_rows, file_format, mapping)
    except HeaderError as error:
        raise ImportFileError(str(error).rstrip(".")) from None


class _Importer:
    def __init__(self, layout: Layout, parser: RowParser, theme_map: ThemeMap) -> None:
        self.layout = layout
        self.parser = parser
        self.theme_map = theme_map
        self._inserter: BulkInserter | None = None

    def rows(self, source: TableSource) -> Iterator[tuple[int, ParsedRow | RowProblem]]:
        for number, cells in source.rows():
            if number <= self.layout.header_row or not "".join(cells).strip():
                continue
            if cells == self.layout.header:
                continue  # a DOCX matrix repeats its header on every table
            try:
                yield number, self.parser.parse(number, self.layout.record(cells))
            except RowProblem as problem:
                yield number, problem

    def target_themes(self, row: ParsedRow, current: StoredRow | None) -> tuple[str, ...]:
        if row.themes:
            return tuple(sorted(row.themes))
        if current is not None and current.themes:
            return current.themes
        return tuple(sorted(self.theme_map.themes_for(row.text)))

    def changes(self, row: ParsedRow, current: StoredRow) -> dict[str, object]:
        """The columns ``row`` would change; fields the file has no column for are left alone."""
        wanted: dict[str, object] = {
            "text": row.text,
            "response": row.response,
            "response_raw": row.response_raw,
        }
        for name in ("response_source", "affected_persons", "source_note"):
            if getattr(row, name) is not None:
                wanted[name] = getattr(row, name)
        changed = {key: value for key, value in wanted.items() if getattr(current, key) != value}
        if row.action_category not in {None, current.action_category} and not current.set_by_person:
            changed["action_category"] = row.action_category
        if row.codes != current.codes:
            changed["codes"] = row.codes
        themes = self.target_themes(row, current)
        if themes != current.themes:
            changed["themes"] = themes
        return changed

    def check(
        self,
        *,
        source: TableSource,
        existing: dict[str, StoredRow],
        report: ImportReport,
        progress: Progress | None,
        preview_rows: int,
    ) -> tuple[set[int], list[tuple[int, ParsedRow]] | None]:
        """First pass: every problem, and the counts the write would produce.

        Returns the invalid rows' numbers and the rows to write, or None for those when there were too many
        to keep (the file is then read again).
        """
        seen: dict[str, tuple[int, int]] = {}
        invalid: set[int] = set()
        kept: list[tuple[int, ParsedRow]] | None = []
        for number, outcome in self.rows(source):
            report.rows += 1
            if progress and report.rows % PROGRESS_EVERY == 0:
                progress(report.rows, None)
            if isinstance(outcome, RowProblem):
                invalid.add(number)
                report.skipped += 1
                report.add_problem(Problem(number, str(outcome)))
                continue
            key = outcome.key
            first = seen.get(key)
            if first is not None:
                if first[1] == hash(outcome.text):
                    report.duplicates += 1
                    continue
                invalid.add(number)
                report.skipped += 1
                report.add_problem(
                    Problem(
                        number,
                        f"number {outcome.number} is already used on row {first[0]} for a different text",
                    )
                )
                continue
            seen[key] = (number, hash(outcome.text))
            if len(report.preview) < preview_rows:
                report.preview.append(outcome)
            current = existing.get(key)
            if current is None:
                report.added += 1
            elif self.changes(outcome, current):
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            if kept is not None:
                kept.append((number, outcome))
                if len(kept) > KEPT_ROWS:
                    kept = None
        if report.rows == 0:
            report.add_problem(Problem(None, "The file has a header row but no recommendations"))
        return invalid, kept

    def write(
        self,
        *,
        rows: Iterable[tuple[int, ParsedRow | RowProblem]],
        review: Review,
        existing: dict[str, StoredRow],
        invalid: set[int],
        report: ImportReport,
        progress: Progress | None,
        file_name: str,
    ) -> None:
        """Insert new rows in batches, update changed ones, keep earlier responses."""
        inserter = self._inserter = BulkInserter(review.id)
        written: set[str] = set()
        batch: list[tuple[ParsedRow, int, tuple[str, ...]]] = []
        sort_key = 0
        done = 0
        for number, outcome in rows:
            done += 1
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, report.rows)
            if number in invalid or isinstance(outcome, RowProblem):
                continue
            key = outcome.key
            if key in written:
                continue
            written.add(key)
            current = existing.get(key)
            if current is None:
                # An unnumbered row sorts with the numbered one before it, keeping the file's order.
                sort_key = outcome.sort_key or sort_key
                batch.append((outcome, sort_key, self.target_themes(outcome, None)))
                if len(batch) >= BATCH:
                    inserter.insert(batch)
                    batch = []
                continue
            changed = self.changes(outcome, current)
            if changed:
                report.response_changes += self._update(current, outcome, changed, file_name)
        if batch:
            inserter.insert(batch)
        if progress:
            progress(report.rows, report.rows)

    def _update(self, current: StoredRow, row: ParsedRow, changed: dict[str, object], file_name: str) -> int:
        """Apply ``changed`` to the stored recommendation; returns 1 when its response changed."""
        rec = db.session.get_one(Recommendation, current.id)
        response_changed = "response" in changed or "response_raw" in changed
        if response_changed:
            db.session.add(
                ResponseChange(
                    recommendation_id=rec.id,
                    previous_response=rec.response,
                    previous_response_raw=rec.response_raw,
                    new_response=row.response,
                    new_response_raw=row.response_raw,
                    source=file_name,
                )
            )
        codes = changed.pop("codes", None)
        themes = changed.pop("themes", None)
        for name, value in changed.items():
            setattr(rec, name, value)
        if "text" in changed:
            signals = classify(row.text)
            rec.is_time_bound, rec.is_specific_action = signals.is_time_bound, signals.is_specific_action
            rec.is_measurable, rec.is_continue_form = signals.is_measurable, signals.is_continue_form
            if not rec.action_category_set_by_person and row.action_category is None:
                rec.action_category = signals.action_category
        # Replaced with plain statements: the ORM would insert the new (recommendation, state) keys before
        # deleting the old ones and trip over the primary key.
        if isinstance(codes, tuple):
            db.session.execute(delete(RecommendingState).where(RecommendingState.recommendation_id == rec.id))
            db.session.execute(
                insert(RecommendingState),
                [{"recommendation_id": rec.id, "state_code": c, "position": i} for i, c in enumerate(codes)],
            )
        if isinstance(themes, tuple):
            db.session.execute(
                delete(recommendation_themes).where(recommendation_themes.c.recommendation_id == rec.id)
            )
            if themes:
                db.session.execute(
                    insert(recommendation_themes),
                    [{"recommendation_id": rec.id, "theme_id": self._theme(name)} for name in themes],
                )
        db.session.expire(rec, ["recommending", "themes"])
        return int(response_changed)

    def _theme(self, name: str) -> int:
        assert self._inserter is not None, "themes are resolved while writing"
        return self._inserter.theme_id(name)
