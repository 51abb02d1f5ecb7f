"""``upr import recommendations`` and ``upr export recommendations``: a review's recommendations in, out."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from crm.db import db
from crm.jobs.progress import terminal_progress, with_progress
from crm.recommendations.errors import nothing_imported
from crm.recommendations.exporting import RECOMMENDATION_COLUMNS, recommendation_rows, wrote
from crm.recommendations.importing import ImportFileError, ImportReport, import_recommendations
from crm.recommendations.layouts import FORMAT_CHOICES, HeaderError, parse_mapping
from crm.recommendations.translations import Outcome, import_translations
from crm.reviews.services import ReviewNotFound, get_review
from crm.tabular import UnsupportedFormat, write_table


class _ImportProgress:
    """Two progress lines on stderr: rows checked as the file is read, then rows written."""

    def __init__(self) -> None:
        self._checking = terminal_progress(_("Checked rows"))
        self._writing = terminal_progress(_("Written rows"))
        self._line_open = False

    def __call__(self, done: int, total: int | None) -> None:
        if total is None:
            self._checking(done, None)
            self._line_open = True
            return
        self.end_line()
        self._writing(done, total)

    def end_line(self) -> None:
        if self._line_open:
            click.echo(err=True)
            self._line_open = False


def _detected(report: ImportReport) -> str:
    """ "file.xlsx: UPR Info database export, 11 rows for CHN-3." """
    names = {"file": report.file_name, "format": report.format_label}
    if report.review_code:
        return str(
            ngettext(
                "%(file)s: %(format)s, %(num)d row for %(review)s.",
                "%(file)s: %(format)s, %(num)d rows for %(review)s.",
                report.rows,
                review=report.review_code,
                **names,
            )
        )
    return str(
        ngettext(
            "%(file)s: %(format)s, %(num)d row in %(reviews)s reviews.",
            "%(file)s: %(format)s, %(num)d rows in %(reviews)s reviews.",
            report.rows,
            reviews=len(report.reviews),
            **names,
        )
    )


def _echo_report(report: ImportReport, *, dry_run: bool) -> None:
    click.echo(_detected(report))
    # Every real problem first, all of them: nothing else is listed among them.
    for problem in sorted(report.problems, key=lambda p: p.row or 0):
        click.echo(f"  {problem}", err=True)
    for merge in report.merges:
        click.echo(f"  {merge}")
    if len(report.reviews) > 1 or not report.review_code:
        for review in report.reviews.values():
            if review.exists:
                click.echo(f"  {review.code}: {review.summary}")
            else:
                click.echo(
                    "  "
                    + _("%(review)s: %(summary)s (new review)", review=review.code, summary=review.summary)
                )
    for line in report.accounting():
        click.echo(line)
    if dry_run or not report.written:
        click.echo(_("Would import: %(summary)s.", summary=report.summary))
    else:
        click.echo(_("Imported: %(summary)s.", summary=report.summary))
    if report.response_changes:
        click.echo(
            ngettext(
                "%(num)d response changed; the earlier one is kept in the history.",
                "%(num)d responses changed; the earlier ones are kept in the history.",
                report.response_changes,
            )
        )
    if report.links:
        click.echo(
            ngettext(
                "%(num)d link to a similar recommendation in another cycle.",
                "%(num)d links to similar recommendations in other cycles.",
                report.links,
            )
        )


@click.command("recommendations")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--review",
    "review_code",
    help="Only this review, e.g. CHN-4. Without it, every State under Review in the file is imported "
    "into its review ISO3-CYCLE (the cycle from the UPR session), creating the reviews it needs.",
)
@click.option(
    "--state-under-review", "state_under_review", help="Only the rows of this State (a name or code)."
)
@click.option("--session", type=click.IntRange(min=1), help="Only the rows of this UPR session.")
@click.option(
    "--create-review",
    is_flag=True,
    help="Create the --review even if its cycle looks like a typo (e.g. a cycle that has not begun).",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(FORMAT_CHOICES),
    default="auto",
    show_default=True,
    help="The export's layout; auto recognises it from the header row.",
)
@click.option("--dry-run", is_flag=True, help="Check the file and report what would change; write nothing.")
@click.option(
    "--translations",
    "translations",
    metavar="LANG",
    help="Read a UHRI export in another UN language (ar, zh, en, fr, ru, es) as translations of the "
    "recommendations already held, beside their original words; creates no recommendation.",
)
@click.option("--skip-invalid", is_flag=True, help="Import the valid rows and list the ones skipped.")
@click.option(
    "--map",
    "mappings",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Name which column holds which field (text, number, recommending_states, response, themes...).",
)
def import_recommendations_command(  # noqa: PLR0917  # click passes every option
    file: Path,
    review_code: str | None,
    state_under_review: str | None,
    session: int | None,
    create_review: bool,
    file_format: str,
    dry_run: bool,
    translations: str | None,
    skip_invalid: bool,
    mappings: tuple[str, ...],
) -> None:
    """Import recommendations from a UPR Info, UHRI, OHCHR matrix or mapped CSV/XLSX file."""
    if translations is not None:
        chosen = review_code or state_under_review or session or create_review or skip_invalid or mappings
        if chosen or file_format not in {"auto", "uhri"}:
            raise click.ClickException(
                _("--translations reads a whole UHRI export and takes no other option than --dry-run.")
            )
        _import_translations(file, translations, dry_run=dry_run)
        return
    progress = _ImportProgress()
    try:
        report = import_recommendations(
            file,
            review_code,
            file_format=file_format,
            mapping=parse_mapping(mappings) if mappings else None,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            progress=progress,
            state_under_review=state_under_review,
            session=session,
            create_review=create_review,
        )
    except (ImportFileError, HeaderError) as error:
        progress.end_line()
        db.session.rollback()
        raise click.ClickException(nothing_imported(error)) from None
    progress.end_line()
    _echo_report(report, dry_run=dry_run)
    if report.written:
        db.session.commit()
        return
    db.session.rollback()
    if report.problem_count and not dry_run:
        raise click.ClickException(
            ngettext(
                "%(num)d problem found, so nothing was imported; fix it or use --skip-invalid.",
                "%(num)d problems found, so nothing was imported; fix them or use --skip-invalid.",
                report.problem_count,
            )
        )
    if report.problem_count:
        raise click.ClickException(
            ngettext(
                "%(num)d problem found (dry run: nothing was written).",
                "%(num)d problems found (dry run: nothing was written).",
                report.problem_count,
            )
        )


def _import_translations(file: Path, language: str, *, dry_run: bool) -> None:
    try:
        report = import_translations(file, language, dry_run=dry_run)
    except ImportFileError as error:
        db.session.rollback()
        raise click.ClickException(
            _("%(error)s. Nothing was imported.", error=str(error).rstrip("."))
        ) from None
    for row in report.rows:
        click.echo(f"  {row}", err=row.outcome is Outcome.UNMATCHED)
    if dry_run:
        db.session.rollback()
        click.echo(_("Would import: %(summary)s (dry run: nothing was written).", summary=report.summary))
        return
    db.session.commit()
    click.echo(_("Imported translations: %(summary)s.", summary=report.summary))


@click.command("recommendations")
@with_appcontext
@click.option("--review", "review_code", required=True, help="The review, e.g. CHN-3.")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="A .csv or .xlsx file to write.",
)
def export_recommendations(review_code: str, output: Path) -> None:
    """Write a review's recommendations, one row each, to CSV or XLSX."""
    try:
        review = get_review(review_code)
        rows = with_progress(recommendation_rows(review.id), terminal_progress(_("Recommendations")))
        count = write_table(output, RECOMMENDATION_COLUMNS, rows, sheet=review.code)
    except (ReviewNotFound, UnsupportedFormat, ValueError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(wrote(count, review.code, output))


@click.command("classify")
@with_appcontext
@click.option(
    "--evaluate",
    "file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file with its own action category (a UPR Info export): how often the classifier agrees.",
)
def classify_command(file: Path) -> None:
    """Measure the action-category classifier against a file's own categories (nothing is written)."""
    from crm.recommendations.evaluation import evaluate

    try:
        agreement = evaluate(file)
    except (ImportFileError, HeaderError) as error:
        raise click.ClickException(_("%(error)s.", error=str(error).rstrip(".。"))) from None
    for line in agreement.lines():
        click.echo(line)


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    import_group.add_command(import_recommendations_command)
    export_group.add_command(export_recommendations)
    cli.add_command(classify_command)
