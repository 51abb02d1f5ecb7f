"""Importing recommendations from an export file: checked first, then written all at once.

A file may hold one review (an OHCHR matrix, with ``--review``) or many (a UPR Info or UHRI export with
every State under Review of several sessions): each row goes to the review named by its State under
Review and the cycle of its session, ``ISO3-CYCLE``, and the reviews it needs are created. ``review_code``,
``state_under_review`` and ``session`` narrow the file down; rows they leave out are counted, not
listed as problems. The first pass checks every row and gathers the recommendations (rows with the same
wording merged, see ``identity``); only when it found no problem (or the caller accepts skipping the bad
rows) is anything written. The caller commits (a CLI command or a view), as everywhere else.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from itertools import islice
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext

from crm.bulk import collector_paused
from crm.recommendations.errors import ImportFileError
from crm.recommendations.identity import ChangesOf, Entry, ReviewBatch, TargetThemes
from crm.recommendations.layouts import HEADER_SEARCH_ROWS, HeaderError, Layout, find_layout
from crm.recommendations.links import CrossCycleLinks, Written
from crm.recommendations.parsing import LeftOut, Repeat, RowParser, RowProblem
from crm.recommendations.readers import TableSource, open_table
from crm.recommendations.report import ImportReport, Problem, Progress
from crm.recommendations.rows import ParsedRow
from crm.recommendations.stored import load_stored
from crm.recommendations.themes import default_theme_map
from crm.recommendations.writing import BATCH, BulkInserter, update_recommendation
from crm.reviews.services import (
    ReviewCode,
    find_review,
    find_reviews,
    get_or_create_reviews,
    refuse_new_review,
)
from crm.states import StateResolver, UnknownState
from crm.text import UNSIZED_COLUMN_LIMIT, printable

PROGRESS_EVERY = 1_000

__all__ = ["ImportFileError", "ImportReport", "Problem", "Progress", "import_recommendations"]


@dataclass(frozen=True)
class Wanted:
    """Which rows of the file this import takes: one review, one State under Review, one session."""

    review: ReviewCode | None = None
    state_code: str | None = None
    session: int | None = None

    def left_out(self, row: ParsedRow) -> str | None:
        """The review a row belongs to when this import does not take it (None: it is taken)."""
        if self.review is None and self.state_code is None and self.session is None:
            return None
        code = f"{row.state_code or '?'}-{row.cycle or '?'}"
        if self.review is not None and (
            (row.state_code or self.review.state_code) != self.review.state_code
            or (row.cycle or self.review.cycle) != self.review.cycle
        ):
            return code
        if self.state_code is not None and row.state_code != self.state_code:
            return code
        if self.session is not None and row.session != self.session:
            return f"{code} session {row.session}"
        return None

    def review_of(self, row: ParsedRow) -> str:
        if self.review is not None:
            return str(self.review)
        return f"{row.state_code}-{row.cycle}"


def import_recommendations(
    path: Path,
    review_code: str | None = None,
    *,
    file_format: str = "auto",
    mapping: Mapping[str, str] | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    preview_rows: int = 0,
    display_name: str | None = None,
    state_under_review: str | None = None,
    session: int | None = None,
    create_review: bool = False,
) -> ImportReport:
    """Check ``path`` and, unless ``dry_run`` or a row is invalid (without ``skip_invalid``), stage it.

    Without ``review_code`` every State under Review in the file is imported into its own review.
    ``progress(done, total)`` is called while checking (``total`` is None: the file is not counted first)
    and again while writing. Raises ``ImportFileError`` when the file as a whole is unusable; row problems
    are listed in the report instead.
    """
    name = display_name or path.name
    source = open_table(path, name)
    layout = read_layout(source, name, file_format, mapping)
    resolver = StateResolver.from_database()
    wanted = _wanted(layout, resolver, review_code, state_under_review, session, create_review=create_review)
    report = ImportReport(name, str(wanted.review) if wanted.review else "", str(layout.format.label))
    with collector_paused():
        importer = _Importer(layout, RowParser(layout, resolver), wanted, report)
        importer.check(source, progress=progress, preview_rows=preview_rows)
        if not (dry_run or (report.problem_count and not skip_invalid) or not importer.batches):
            importer.write(progress=progress, file_name=name)
            report.written = True
        # The rows are let go while the collector is still paused, so that it never walks them.
        del importer
    return report


def read_layout(
    source: TableSource, name: str, file_format: str, mapping: Mapping[str, str] | None
) -> Layout:
    """The layout of the file, from the header found among its first rows."""
    first_rows = list(islice(source.rows(), HEADER_SEARCH_ROWS))
    if not any(any(cell.strip() for cell in cells) for _, cells in first_rows):
        raise ImportFileError(_("%(file)s has no rows", file=name))
    try:
        return find_layout(first_rows, file_format, mapping)
    except HeaderError as error:
        raise ImportFileError(str(error).rstrip(".")) from None


def _wanted(
    layout: Layout,
    resolver: StateResolver,
    review_code: str | None,
    state_under_review: str | None,
    session: int | None,
    *,
    create_review: bool,
) -> Wanted:
    columns = layout.positions
    review = None
    if review_code:
        try:
            review = ReviewCode.parse(review_code)
        except ValueError as error:
            raise ImportFileError(str(error)) from None
        if review.state_code not in resolver.display_names:
            raise ImportFileError(
                _("%(code)s is not the alpha-3 code of a UN member or observer state", code=review.state_code)
            )
        refusal = refuse_new_review(review, asked=create_review) if find_review(str(review)) is None else None
        if refusal:
            raise ImportFileError(refusal)
    elif "state_under_review" not in columns:
        raise ImportFileError(
            _("This file does not say which State is under review; name the review with --review, e.g. CHN-4")
        )
    elif "session" not in columns and "cycle" not in columns:
        raise ImportFileError(
            _(
                "This file names the States under Review but not the UPR session or cycle; name the review "
                "with --review, e.g. CHN-4"
            )
        )
    state_code = None
    if state_under_review:
        try:
            state_code = resolver.resolve(state_under_review)
        except UnknownState as error:
            raise ImportFileError(str(error)) from None
    if session is not None and "session" not in columns:
        raise ImportFileError(_("This file has no Session column, so --session cannot choose its rows"))
    return Wanted(review, state_code, session)


class _Importer:
    def __init__(self, layout: Layout, parser: RowParser, wanted: Wanted, report: ImportReport) -> None:
        self.layout = layout
        self.parser = parser
        self.wanted = wanted
        self.report = report
        self.batches: dict[str, ReviewBatch] = {}
        self._routes: dict[tuple[str | None, int | None, int | None], tuple[ReviewBatch | None, str]] = {}
        self.target_themes = TargetThemes(default_theme_map())
        # The last row read in full, with the batch and entry it was taken into (None: left out, to the
        # review named, or refused).
        self._last_taken: tuple[ParsedRow, ReviewBatch | None, Entry | None, str] | None = None

    def check(self, source: TableSource, *, progress: Progress | None, preview_rows: int) -> None:
        """First pass: every problem, every merge, and the counts the write would produce."""
        report, layout = self.report, self.layout
        parse, check_storable = self.parser.parse_cells, self.parser.check_storable
        take, take_repeat = self._take, self._take_repeat
        # Only a matrix has headings among its rows.
        is_heading = layout.is_heading if layout.format.states_in_text else None
        seen = 0
        for number, cells in source.rows():
            joined = "".join(cells)
            if number <= layout.header_row or not joined or joined.isspace() or cells == layout.header:
                continue  # blank, or the header again: a DOCX matrix repeats it on every table
            seen += 1
            if progress and seen % PROGRESS_EVERY == 0:
                progress(seen, None)
            if is_heading is not None and is_heading(cells):
                report.headings += 1
                continue
            try:
                # Bulk inserts pass no flush guard (crm.text): a row's cells are checked here instead, the
                # whole row at once first, since a printable row of that size holds no cell to refuse.
                if not printable(joined) or len(joined) > UNSIZED_COLUMN_LIMIT:
                    check_storable(cells)
                row = parse(number, cells)
            except LeftOut:
                report.other_bodies += 1
            except RowProblem as problem:
                report.add_problem(Problem(number, str(problem)))
            else:
                if isinstance(row, Repeat):
                    take_repeat(row, preview_rows)
                else:
                    take(row, preview_rows)
        self._match_stored()
        if not self.batches and not report.problems:
            report.add_problem(Problem(None, self._nothing_taken(seen)))

    def _nothing_taken(self, seen: int) -> str:
        report = self.report
        found = ", ".join(
            ngettext("%(code)s (%(num)d row)", "%(code)s (%(num)d rows)", count, code=code)
            for code, count in report.other_reviews.most_common(5)
        )
        if not seen or not (report.other_reviews or report.other_bodies):
            return str(_("The file has a header row but no recommendations"))
        if report.other_reviews and self.wanted.review is not None:
            return str(
                _(
                    "No row of the file is about %(review)s; it holds %(found)s",
                    review=self.wanted.review,
                    found=found,
                )
            )
        if report.other_reviews:
            return str(
                _(
                    "No row of the file is about the State or session asked for; it holds %(found)s",
                    found=found,
                )
            )
        return str(
            _(
                "The file holds no UPR recommendation: its %(count)s rows are recommendations of treaty "
                "bodies or special procedures",
                count=report.other_bodies,
            )
        )

    def _take(self, row: ParsedRow, preview_rows: int, *, read: bool = True) -> None:
        """``read``: ``row`` is the last row the parser read in full (not a copy made of a repeat)."""
        # Where a row goes depends on its State, cycle and session only: worked out once for each.
        route = (row.state_code, row.cycle, row.session)
        found = self._routes.get(route)
        if found is None:
            found = self._routes[route] = self._route(row)
        batch, elsewhere = found
        entry = None
        if batch is None:
            self.report.other_reviews[elsewhere] += 1
        else:
            entry = batch.add(row, self.report)
            if entry is not None and len(self.report.preview) < preview_rows:
                self.report.preview.append(row)
        if read:
            self._last_taken = (row, batch, entry, elsewhere)

    def _take_repeat(self, repeat: Repeat, preview_rows: int) -> None:
        """A row repeating the last one read in full goes where that one went: left out with it, or
        merged into the recommendation it was taken into. Where it was refused, or the preview still
        wants rows, the repeat is taken as any row is, to the same effect."""
        last = self._last_taken
        if last is not None and last[0] is repeat.repeated and len(self.report.preview) >= preview_rows:
            _row, batch, entry, elsewhere = last
            if batch is None:
                self.report.other_reviews[elsewhere] += 1
                return
            if entry is not None:
                batch.add_states(entry, repeat.row, repeat.codes, self.report)
                return
        self._take(repeat.parsed(), preview_rows, read=False)

    def _route(self, row: ParsedRow) -> tuple[ReviewBatch | None, str]:
        """The batch of the review a row belongs to, or None and the review it belongs to instead."""
        elsewhere = self.wanted.left_out(row)
        if elsewhere is not None:
            return None, elsewhere
        code = self.wanted.review_of(row)
        batch = self.batches.get(code)
        if batch is None:
            # What the review already holds is read once every row is checked, for all reviews at once.
            batch = self.batches[code] = ReviewBatch(code, self.report.review(code), {})
        return batch, code

    def _match_stored(self) -> None:
        """Pair every review's rows with what it holds (one read for all of them) and count the changes."""
        reviews = find_reviews(self.batches)
        held = load_stored(review.id for review in reviews.values())
        changes_of = ChangesOf(self.target_themes)
        for code, batch in self.batches.items():
            review = reviews.get(code)
            batch.report.exists = review is not None
            batch.stored = held[review.id] if review is not None else {}
            batch.match(changes_of)

    def write(self, *, progress: Progress | None, file_name: str) -> None:
        """Insert new recommendations in batches, update changed ones, keep earlier responses, then link."""
        total = sum(batch.report.rows for batch in self.batches.values())
        chosen = [(batch, batch.new_rows(), batch.changed()) for batch in self.batches.values()]
        chosen = [(batch, new_rows, changed) for batch, new_rows, changed in chosen if new_rows or changed]
        reviews = get_or_create_reviews([batch.code for batch, _new, _changed in chosen])
        links = CrossCycleLinks(
            [
                Written(reviews[batch.code].id, reviews[batch.code].state_code, batch.report.exists)
                for batch, _new, _changed in chosen
            ]
        )
        inserter = BulkInserter(BATCH, kept=links.compared, stems=links.stems)
        themes_of = partial(self.target_themes, current=None)
        done = 0
        for batch, new_rows, changed in chosen:
            written = partial(_progress_at, progress, done, total) if progress else None
            inserter.add(reviews[batch.code].id, new_rows, themes_of, written)
            for entry in changed:
                assert entry.current is not None
                batch.report.response_changes += update_recommendation(
                    entry.current, entry.row, dict(entry.changes), file_name, inserter
                )
            done += batch.report.rows
        inserter.flush()
        added = links.link(inserter.inserted)
        for batch, _new_rows, _changed in chosen:
            batch.report.links = added[reviews[batch.code].id]
        if progress:
            progress(total, total)


def _progress_at(progress: Progress, done: int, total: int, queued: int) -> None:
    """``progress`` once ``queued`` rows of a review are written, after ``done`` rows of those before it."""
    progress(min(done + queued, total), total)
