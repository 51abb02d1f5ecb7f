"""``upr reviews set-dates``: give a review (one an import created, say) its session and dates."""

from __future__ import annotations

from datetime import date, datetime

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _

from crm.dates import format_long_day
from crm.db import db
from crm.reviews.services import ReviewChanges, ReviewEditError, ReviewNotFound, get_review, update_review

ISO_DATE = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


@click.group("reviews")
def reviews_group() -> None:
    """The reviews and their dates."""


@reviews_group.command("set-dates")
@with_appcontext
@click.argument("review_code", metavar="REVIEW")
@click.option("--review-date", type=ISO_DATE, help="The day of the review in the Working Group, YYYY-MM-DD.")
@click.option("--session", type=click.IntRange(min=1), help="The UPR Working Group session, e.g. 45.")
@click.option("--outcome-session", type=click.IntRange(min=1), help="The HRC session adopting the outcome.")
@click.option("--outcome-adopted-on", type=ISO_DATE, help="The day the Council adopted the outcome.")
@click.option("--notes", help="Where the dates come from (replaces the review's notes).")
def set_dates(  # noqa: PLR0917  # click passes every option
    review_code: str,
    review_date: datetime | None,
    session: int | None,
    outcome_session: int | None,
    outcome_adopted_on: datetime | None,
    notes: str | None,
) -> None:
    """Set REVIEW's date, session and outcome; options left out keep their value."""
    try:
        review = get_review(review_code.strip().upper())
    except (ReviewNotFound, ValueError) as error:
        raise click.ClickException(str(error)) from None
    current = ReviewChanges(
        session=review.session,
        review_date=review.review_date,
        outcome_session=review.outcome_session,
        outcome_adopted_on=review.outcome_adopted_on,
        team_id=review.team_id,
        notes=review.notes,
    )
    wanted = ReviewChanges(
        session=session or current.session,
        review_date=_day(review_date) or current.review_date,
        outcome_session=outcome_session or current.outcome_session,
        outcome_adopted_on=_day(outcome_adopted_on) or current.outcome_adopted_on,
        team_id=current.team_id,
        notes=current.notes if notes is None else notes,
    )
    try:
        changed = update_review(review, wanted)
    except ReviewEditError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    if not changed:
        click.echo(_("%(review)s already had these dates; nothing changed.", review=review.code))
        return
    shown = [
        _("review %(day)s", day=format_long_day(review.review_date))
        if review.review_date
        else _("no review date"),
        _("session %(session)s", session=review.session) if review.session else _("no session"),
    ]
    if review.outcome_session:
        shown.append(_("outcome at HRC %(session)s", session=review.outcome_session))
    if review.outcome_adopted_on:
        shown.append(_("adopted %(day)s", day=format_long_day(review.outcome_adopted_on)))
    click.echo(
        _(
            "%(review)s: %(dates)s. Its deadlines are derived from these dates.",
            review=review.code,
            dates=", ".join(shown),
        )
    )


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    cli.add_command(reviews_group)
