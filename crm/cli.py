"""``upr export recommendations`` and the other crm commands."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.db import db
from crm.jobs.progress import terminal_progress, with_progress
from crm.models import Recommendation
from crm.recommendations.classify import CATEGORY_NAMES
from crm.services import ReviewNotFound, get_review
from crm.tabular import UnsupportedFormat, write_table

RECOMMENDATION_COLUMNS = (
    "number",
    "text",
    "recommending_states",
    "response",
    "response_raw",
    "action_category",
    "themes",
    "affected_persons",
    "response_source",
    "action_category_name",
    "action_category_set_by_person",
    "is_time_bound",
    "is_specific_action",
    "is_measurable",
    "is_continue_form",
    "implementation_status",
)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def recommendation_rows(review_id: int) -> list[list[object]]:
    query = (
        select(Recommendation)
        .where(Recommendation.review_id == review_id)
        .options(selectinload(Recommendation.recommending), selectinload(Recommendation.themes))
        .order_by(Recommendation.sort_key)
    )
    return [
        [
            rec.number or "",
            rec.text,
            ";".join(rec.recommending_codes),
            rec.response.value,
            rec.response_raw,
            rec.action_category or "",
            ";".join(theme.name for theme in rec.themes),
            rec.affected_persons,
            rec.response_source,
            CATEGORY_NAMES.get(rec.action_category or 0, ""),
            _yes(rec.action_category_set_by_person),
            _yes(rec.is_time_bound),
            _yes(rec.is_specific_action),
            _yes(rec.is_measurable),
            _yes(rec.is_continue_form),
            rec.implementation_status.value,
        ]
        for rec in db.session.scalars(query)
    ]


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
        rows = with_progress(recommendation_rows(review.id), terminal_progress("Recommendations"))
        count = write_table(output, RECOMMENDATION_COLUMNS, rows, sheet=review.code)
    except (ReviewNotFound, UnsupportedFormat, ValueError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {count} recommendations of {review.code} to {output}.")


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    export_group.add_command(export_recommendations)
