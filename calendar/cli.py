"""``upr export calendar`` (the agenda of a review, team or officer as an .ics file) and
``upr import treaty-bodies`` (a state's ratifications and treaty-body dates)."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from crm import dates
from crm.auth.models import User
from crm.db import db
from crm.reviews.services import find_review
from crm.states import StateResolver, UnknownState
from crm.teams.models import Team
from upr_calendar.exports import YEARS_AHEAD, Scope, build_export, no_dates_message
from upr_calendar.translate import _, ngettext


def register(cli: click.Group, import_group: click.Group, export_group: click.Group) -> None:
    export_group.add_command(export_calendar)
    import_group.add_command(import_treaty_bodies)


@click.command("treaty-bodies")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--state", "state_name", required=True, help="The State party: its name or alpha-3 code.")
@click.option("--dry-run", is_flag=True, help="Check the whole file and report, but write nothing.")
def import_treaty_bodies(file: Path, state_name: str, dry_run: bool) -> None:
    """Ratifications and treaty-body dates of one state from FILE (JSON, as data/demo/treaty-bodies.json).

    Each entry: {"treaty": "CESCR", "ratified": true, "ratification_note": "...", "events": [{"kind":
    "session", "date": "2023-02-15", "label": "...", "source": "..."}]}; kinds: report_due, session,
    loi, ngo_submission, concluding_observations; dates as 2023-02-15, 2023-02 or 2023. Importing the
    same file again changes nothing; a changed date moves the event (calendars follow).
    """
    from upr_calendar.items import CalendarError
    from upr_calendar.treaties import load_treaty_file

    try:
        code = StateResolver.from_database().resolve(state_name)
        ratified, events = load_treaty_file(code, file)
    except (UnknownState, CalendarError) as problem:
        db.session.rollback()
        raise click.ClickException(_("%(problem)s Nothing was written.", problem=problem)) from None
    counts = {"ratified": ratified, "events": events}
    if dry_run:
        db.session.rollback()
        click.echo(
            _(
                "Dry run: %(ratified)s ratifications would be added, %(events)s dates added or moved.",
                **counts,
            )
        )
        return
    db.session.commit()
    click.echo(
        _(
            "%(ratified)s ratifications added, %(events)s dates added or moved for %(state)s.",
            state=code,
            **counts,
        )
    )


@click.command("calendar")
@with_appcontext
@click.option("--review", "review_code", help="One review's calendar, e.g. CHN-4: all of it, past included.")
@click.option("--team", "team_name", help="Only deadlines of this team (its name).")
@click.option("--user", "user_email", help="Only deadlines of this officer (their e-mail).")
@click.option(
    "--past-days",
    type=click.IntRange(min=0),
    # A literal, so that the catalogues hold it (tests check it names PAST_DAYS).
    help="Days of the past to include (default 90; a review's calendar is whole unless given).",
)
@click.option("--years", default=YEARS_AHEAD, show_default=True, help="Years ahead to include.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The .ics file."
)
def export_calendar(
    *,
    review_code: str | None,
    team_name: str | None,
    user_email: str | None,
    past_days: int | None,
    years: int,
    output: Path,
) -> None:
    """Write the deadlines, visits and follow-ups as an iCalendar file any calendar app imports.

    A review's calendar holds every milestone of it, past ones included; a team's or an officer's holds the
    last --past-days and the next --years, and says how many events that leaves out.
    """
    from upr_calendar.ical import build_calendar

    if output.suffix.lower() != ".ics":
        raise click.ClickException(
            _("Cannot write %(file)s: an iCalendar file ends in .ics.", file=output.name)
        )
    review = team = user = None
    if review_code:
        try:
            review = find_review(review_code)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        if review is None:
            raise click.ClickException(_("There is no review %(code)s.", code=review_code))
    if team_name:
        team = db.session.scalar(select(Team).where(Team.name == team_name))
        if team is None:
            raise click.ClickException(_("There is no team named %(name)s.", name=repr(team_name)))
    if user_email:
        user = db.session.scalar(select(User).where(User.email == user_email.strip().lower()))
        if user is None:
            raise click.ClickException(_("There is no user with the e-mail %(email)s.", email=user_email))
    export = build_export(Scope(review, team, user), dates.today(), past_days=past_days, years=years)
    if review is not None and export.is_whole and not export.items:
        raise click.ClickException(_("%(problem)s Nothing was written.", problem=no_dates_message(review)))
    settings = current_app.config["UPR_SETTINGS"]
    body = build_calendar(
        export.items, export.scope.title, base_url=settings.base_url, description=export.description()
    )
    output.write_text(body, encoding="utf-8", newline="")
    left_out = export.left_out()
    count = len(export.items)
    if left_out:
        click.echo(
            ngettext(
                "Wrote %(num)d event; %(left_out)s.",
                "Wrote %(num)d events; %(left_out)s.",
                count,
                left_out=left_out,
            )
        )
        click.echo(_("The calendar is in %(path)s.", path=output))
    else:
        click.echo(
            ngettext(
                "Wrote %(num)d event to %(path)s.", "Wrote %(num)d events to %(path)s.", count, path=output
            )
        )
