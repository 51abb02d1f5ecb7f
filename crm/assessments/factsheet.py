"""A one- or two-page factsheet per theme for a diplomat: four or five recommendations and their status.

UPR Info advises CSOs to brief delegates with short factsheets, one per theme, each with four to five
recommendations (seed 004). The most pressing come first: regressions, then no progress, then partial.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext

from crm import dates
from crm.assessments.documents import html_to_pdf, new_document, shade, unsupported, write_cell
from crm.assessments.matrix import STATUS_COLOURS, MatrixRow, Progress, matrix_row
from crm.assessments.services import latest_assessments, review_recommendations
from crm.models import ImplementationStatus, Recommendation, Response, Review
from crm.reviews.services import shown_name

DEFAULT_LIMIT = 5
URGENCY = {
    ImplementationStatus.REGRESSED: 0,
    ImplementationStatus.NO_PROGRESS: 1,
    ImplementationStatus.PARTIAL: 2,
    ImplementationStatus.NOT_ASSESSED: 3,
    ImplementationStatus.IMPLEMENTED: 4,
}
# A commitment the state accepted weighs more in a diplomat's hands than one it noted.
ACCEPTED = {Response.SUPPORTED: 0, Response.SUPPORTED_IN_PART: 1}


class UnknownTheme(LookupError):
    pass


@dataclass(frozen=True)
class Factsheet:
    review: Review
    theme: str
    rows: list[MatrixRow]
    theme_total: int
    status_counts: dict[ImplementationStatus, int]
    prepared_on: date

    @property
    def title(self) -> str:
        return str(
            _(
                "%(theme)s: %(state)s's UPR cycle %(cycle)s recommendations",
                theme=self.theme,
                state=shown_name(self.review.state),
                cycle=self.review.cycle,
            )
        )


def _priority(rec: Recommendation) -> tuple[int, int, int]:
    return (URGENCY[rec.implementation_status], ACCEPTED.get(rec.response, 2), rec.sort_key)


def build_factsheet(
    review: Review, theme: str, *, limit: int = DEFAULT_LIMIT, progress: Progress | None = None
) -> Factsheet:
    recommendations = review_recommendations(review.id)
    names = sorted({t.name for rec in recommendations for t in rec.themes}, key=str.lower)
    wanted = theme.strip().lower()
    chosen_name = next((name for name in names if name.lower() == wanted), None)
    if chosen_name is None:
        known = "; ".join(names) or _("none: the recommendations have no themes yet")
        raise UnknownTheme(
            _(
                "Review %(review)s has no theme %(theme)s. Its themes: %(known)s.",
                review=review.code,
                theme=repr(theme),
                known=known,
            )
        )
    in_theme = [rec for rec in recommendations if chosen_name in {t.name for t in rec.themes}]
    counts = dict.fromkeys(ImplementationStatus, 0)
    for rec in in_theme:
        counts[rec.implementation_status] += 1
    latest = latest_assessments(review.id)
    picked = sorted(in_theme, key=_priority)[:limit]
    rows = []
    for done, rec in enumerate(picked, start=1):
        rows.append(matrix_row(rec, latest.get(rec.id)))
        if progress:
            progress(done, len(picked))
    return Factsheet(review, chosen_name, rows, len(in_theme), counts, dates.today())


def write_factsheet(
    review: Review, theme: str, path: Path, *, limit: int = DEFAULT_LIMIT, progress: Progress | None = None
) -> int:
    """Write the factsheet as DOCX or PDF (by the file name); returns how many recommendations it shows."""
    writer = FACTSHEET_WRITERS.get(path.suffix.lower())
    if writer is None:
        raise unsupported(path, tuple(FACTSHEET_WRITERS))
    factsheet = build_factsheet(review, theme, limit=limit, progress=progress)
    writer(factsheet, path)
    return len(factsheet.rows)


def summary(factsheet: Factsheet) -> str:
    parts = [
        _("%(count)s %(status)s", count=count, status=status.label)
        for status, count in factsheet.status_counts.items()
        if count
    ]
    on_theme = ngettext(
        "%(num)d recommendation on this theme: %(statuses)s.",
        "%(num)d recommendations on this theme: %(statuses)s.",
        factsheet.theme_total,
        statuses=", ".join(parts),
    )
    below = ngettext(
        "The %(num)d below needs attention most.",
        "The %(num)d below need attention most.",
        len(factsheet.rows),
    )
    status = _("Status as of %(day)s.", day=factsheet.prepared_on.isoformat())
    return f"{on_theme} {below} {status}"


def _write_docx(factsheet: Factsheet, path: Path) -> None:
    document = new_document()
    document.add_heading(factsheet.title, level=1)
    document.add_paragraph(summary(factsheet))
    for row in factsheet.rows:
        document.add_heading(f"{row.number} · {', '.join(row.states)}", level=3)
        document.add_paragraph(row.text)
        table = document.add_table(rows=1, cols=2)
        table.style = "Table Grid"
        position, status = table.rows[0].cells
        write_cell(position, f"{_('Position')}\n{row.position}", bold_first_line=True)
        write_cell(status, row.assessment_cell, bold_first_line=True)
        shade(status, *STATUS_COLOURS[row.status])
    document.save(path)


def _write_pdf(factsheet: Factsheet, path: Path) -> None:
    from flask import render_template

    html = render_template(
        "assessments/factsheet_print.html",
        sheet=factsheet,
        summary=summary(factsheet),
        colours=STATUS_COLOURS,
    )
    html_to_pdf(html, path)


FACTSHEET_WRITERS: dict[str, Callable[[Factsheet, Path], None]] = {".docx": _write_docx, ".pdf": _write_pdf}
