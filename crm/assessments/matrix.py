"""The mid-term report: a review's recommendations grouped by theme with a traffic-light assessment.

This is the OHCHR matrix annotated as civil-society mid-term reports do it (Amnesty International's on
Bangladesh): Recommendation | Position | Themes and affected persons | Assessment and status.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.assessments.documents import html_to_pdf, new_document, shade, unsupported, write_cell
from crm.assessments.models import Assessment
from crm.assessments.services import latest_assessments, review_recommendations
from crm.models import ImplementationStatus, Recommendation, Response, Review
from crm.reviews.services import shown_name
from crm.tabular import safe_cell, write_table

Progress = Callable[[int, int], None]
# Headers in the reader's language (the command line's is English): documents for people, not for scripts.
COLUMNS = (
    _l("Recommendation"),
    _l("Position"),
    _l("Themes and affected persons"),
    _l("Assessment and status"),
)
NO_THEME = _l("Other recommendations (no theme)")
# Traffic-light fills: (background, text) per status, shared by every format.
STATUS_COLOURS = {
    ImplementationStatus.NOT_ASSESSED: ("#CFD8DC", "#263238"),
    ImplementationStatus.NO_PROGRESS: ("#E53935", "#FFFFFF"),
    ImplementationStatus.PARTIAL: ("#FB8C00", "#1D2733"),
    ImplementationStatus.IMPLEMENTED: ("#43A047", "#FFFFFF"),
    ImplementationStatus.REGRESSED: ("#4A148C", "#FFFFFF"),
}
POSITION_LABELS = {
    Response.SUPPORTED: _l("Supported"),
    Response.SUPPORTED_IN_PART: _l("Supported in part"),
    Response.NOTED: _l("Noted"),
    Response.NOT_SUPPORTED: _l("Not supported"),
    Response.VOLUNTARY_PLEDGE: _l("Voluntary pledge"),
    Response.UNKNOWN: _l("Not known"),
}


class EmptyReview(ValueError):
    pass


@dataclass(frozen=True)
class MatrixRow:
    number: str
    text: str
    states: list[str]
    position: str
    themes: list[str]
    affected_persons: list[str]
    status: ImplementationStatus
    assessment: str
    assessed_on: date | None
    evidence: list[str]

    @property
    def recommendation_cell(self) -> str:
        return f"{self.number} {self.text} ({', '.join(self.states)})"

    @property
    def themes_cell(self) -> str:
        lines = [_("Themes: %(themes)s", themes=", ".join(self.themes) or _("none"))]
        if self.affected_persons:
            lines.append(_("Affected persons: %(persons)s", persons=", ".join(self.affected_persons)))
        return "\n".join(lines)

    @property
    def status_label(self) -> str:
        label = str(self.status.label)
        return label[:1].upper() + label[1:]

    @property
    def assessment_cell(self) -> str:
        lines = [self.status_label.upper()]
        if self.assessed_on:
            lines.append(_("Assessed %(day)s", day=self.assessed_on.isoformat()))
        if self.assessment:
            lines.append(self.assessment)
        lines += [_("Evidence: %(item)s", item=item) for item in self.evidence]
        return "\n".join(lines)

    def cells(self) -> list[str]:
        return [self.recommendation_cell, self.position, self.themes_cell, self.assessment_cell]


@dataclass
class ThemeGroup:
    theme: str
    rows: list[MatrixRow] = field(default_factory=list)


@dataclass(frozen=True)
class Matrix:
    review: Review
    title: str
    groups: list[ThemeGroup]

    @property
    def row_count(self) -> int:
        return sum(len(group.rows) for group in self.groups)

    def status_counts(self) -> dict[ImplementationStatus, int]:
        counts = dict.fromkeys(ImplementationStatus, 0)
        for group in self.groups:
            for row in group.rows:
                counts[row.status] += 1
        return counts


def headers() -> list[str]:
    return [str(column) for column in COLUMNS]


def evidence_line(assessment: Assessment) -> list[str]:
    """Evidence as text; uploads are named, never linked, because files are for signed-in users only."""
    lines = []
    for item in assessment.evidence:
        dated = f", {item.dated.isoformat()}" if item.dated else ""
        where = item.url or _("document %(file)s", file=item.file_name)
        described = f"{item.description} — " if item.description else ""
        lines.append(f"{item.source_type.label}{dated}: {described}{where}")
    return lines


def matrix_row(recommendation: Recommendation, assessment: Assessment | None) -> MatrixRow:
    position = str(POSITION_LABELS[recommendation.response])
    if recommendation.response_raw and recommendation.response_raw.lower() != position.lower():
        position = f"{position} ({recommendation.response_raw})"
    return MatrixRow(
        number=recommendation.label,
        text=recommendation.text,
        states=[shown_name(state) for state in recommendation.recommending_states],
        position=position,
        themes=[theme.name for theme in recommendation.themes],
        affected_persons=[p.strip() for p in recommendation.affected_persons.split(";") if p.strip()],
        status=recommendation.implementation_status,
        assessment=assessment.text if assessment else "",
        assessed_on=assessment.assessed_on if assessment else None,
        evidence=evidence_line(assessment) if assessment else [],
    )


def build_matrix(review: Review, progress: Progress | None = None) -> Matrix:
    """Gather the matrix; raises :class:`EmptyReview` when there is nothing to report."""
    recommendations = review_recommendations(review.id)
    if not recommendations:
        raise EmptyReview(
            _(
                "Review %(review)s has no recommendations yet, so there is no matrix to export: import "
                "them first (upr import recommendations FILE --review %(review)s).",
                review=review.code,
            )
        )
    latest = latest_assessments(review.id)
    groups: dict[str, ThemeGroup] = {}
    no_theme = str(NO_THEME)
    for done, rec in enumerate(recommendations, start=1):
        # A recommendation is listed once, under its first theme; all its themes show in the row.
        theme = rec.themes[0].name if rec.themes else no_theme
        groups.setdefault(theme, ThemeGroup(theme)).rows.append(matrix_row(rec, latest.get(rec.id)))
        if progress:
            progress(done, len(recommendations))
    ordered = sorted(groups.values(), key=lambda g: (g.theme == no_theme, g.theme.lower()))
    title = _(
        "%(state)s: implementation of the recommendations of UPR cycle %(cycle)s",
        state=shown_name(review.state),
        cycle=review.cycle,
    )
    return Matrix(review, title, ordered)


def write_matrix(review: Review, path: Path, progress: Progress | None = None) -> int:
    """Write the matrix in the format the file name asks for; returns the number of recommendations."""
    writer = MATRIX_WRITERS.get(path.suffix.lower())
    if writer is None:
        raise unsupported(path, tuple(MATRIX_WRITERS))
    matrix = build_matrix(review, progress)
    writer(matrix, path)
    return matrix.row_count


def _write_csv(matrix: Matrix, path: Path) -> None:
    # A flat file cannot show group headings, so the theme heads each row.
    rows = ([group.theme, *row.cells()] for group in matrix.groups for row in group.rows)
    write_table(path, (_("Theme"), *headers()), rows)


def _write_xlsx(matrix: Matrix, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Mid-term matrix")
    sheet.append([safe_cell(matrix.title)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(headers())
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E2EC")
    sheet.freeze_panes = "A3"
    wrap = Alignment(wrap_text=True, vertical="top")
    for group in matrix.groups:
        sheet.append([safe_cell(group.theme)])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=4)
        sheet.cell(sheet.max_row, 1).font = Font(bold=True)
        sheet.cell(sheet.max_row, 1).fill = PatternFill("solid", fgColor="EEF1F5")
        for row in group.rows:
            sheet.append([safe_cell(value) for value in row.cells()])
            for cell in sheet[sheet.max_row]:
                cell.alignment = wrap
            fill, ink = STATUS_COLOURS[row.status]
            status_cell = sheet.cell(sheet.max_row, 4)
            status_cell.fill = PatternFill("solid", fgColor=fill.lstrip("#"))
            status_cell.font = Font(color=ink.lstrip("#"))
    for letter, width in zip("ABCD", (70, 20, 32, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    workbook.save(path)


def _write_docx(matrix: Matrix, path: Path) -> None:
    document = new_document(landscape=True)
    document.add_heading(matrix.title, level=1)
    for group in matrix.groups:
        document.add_heading(group.theme, level=2)
        table = document.add_table(rows=1, cols=len(COLUMNS))
        table.style = "Table Grid"
        for cell, name in zip(table.rows[0].cells, headers(), strict=True):
            write_cell(cell, name, bold_first_line=True)
            shade(cell, "#D9E2EC")
        for row in group.rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, row.cells(), strict=True):
                write_cell(cell, value)
            write_cell(cells[3], row.assessment_cell, bold_first_line=True)
            shade(cells[3], *STATUS_COLOURS[row.status])
    document.save(path)


def render_matrix_html(matrix: Matrix) -> str:
    from flask import render_template

    return render_template("assessments/matrix_print.html", matrix=matrix, colours=STATUS_COLOURS)


def _write_html(matrix: Matrix, path: Path) -> None:
    path.write_text(render_matrix_html(matrix), encoding="utf-8")


def _write_pdf(matrix: Matrix, path: Path) -> None:
    html_to_pdf(render_matrix_html(matrix), path)


MATRIX_WRITERS: dict[str, Callable[[Matrix, Path], None]] = {
    ".xlsx": _write_xlsx,
    ".docx": _write_docx,
    ".csv": _write_csv,
    ".html": _write_html,
    ".pdf": _write_pdf,
}
