"""``upr export matrix`` and ``upr export factsheet``: the mid-term report and theme factsheets."""

from __future__ import annotations

from pathlib import Path

import click
from flask_babel import gettext as _
from flask_babel import ngettext

from crm.assessments.factsheet import DEFAULT_LIMIT, write_factsheet
from crm.assessments.matrix import write_matrix
from crm.jobs.progress import terminal_progress
from crm.models import Review
from crm.recommendations.exporting import wrote
from crm.reviews.services import get_review

USER_ERRORS = (ValueError, LookupError)


def _review(code: str) -> Review:
    try:
        return get_review(code)
    except USER_ERRORS as error:
        raise click.ClickException(str(error)) from None


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    @export_group.command("matrix")
    @click.option("--review", "review_code", required=True, help="The review, e.g. CHN-3.")
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The file to write; .xlsx, .docx, .csv, .html or .pdf chooses the format.",
    )
    def export_matrix(review_code: str, output: Path) -> None:
        """Write the mid-term report: the recommendations matrix with a traffic-light assessment."""
        review = _review(review_code)
        try:
            count = write_matrix(review, output, terminal_progress(_("Recommendations")))
        except USER_ERRORS as error:
            raise click.ClickException(str(error)) from None
        click.echo(wrote(count, review.code, output))

    @export_group.command("factsheet")
    @click.option("--review", "review_code", required=True, help="The review, e.g. CHN-3.")
    @click.option("--theme", required=True, help="The theme, as named in the review (any letter case).")
    @click.option(
        "-o",
        "--output",
        required=True,
        type=click.Path(dir_okay=False, path_type=Path),
        help="The file to write; .docx or .pdf chooses the format.",
    )
    @click.option(
        "--limit",
        default=DEFAULT_LIMIT,
        show_default=True,
        type=click.IntRange(1, 10),
        help="How many recommendations the factsheet shows.",
    )
    def export_factsheet(review_code: str, theme: str, output: Path, limit: int) -> None:
        """Write a one- or two-page factsheet on one theme for a diplomat."""
        review = _review(review_code)
        try:
            count = write_factsheet(
                review, theme, output, limit=limit, progress=terminal_progress(_("Recommendations"))
            )
        except USER_ERRORS as error:
            raise click.ClickException(str(error)) from None
        click.echo(
            ngettext(
                "Wrote a factsheet with %(num)d recommendation on %(theme)s to %(file)s.",
                "Wrote a factsheet with %(num)d recommendations on %(theme)s to %(file)s.",
                count,
                theme=theme,
                file=output,
            )
        )
