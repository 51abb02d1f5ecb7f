"""``upr who-to-brief`` and ``upr briefing-basis``: whom to brief about a recommendation, and with what.

Scripts see no at-risk contact: every query here runs without a viewer, which hides them.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence

import click
from flask_babel import gettext as _
from sqlalchemy import select

from crm.contacts.privacy import is_at_risk, may_see_details
from crm.contacts.services import find_contact_by_email
from crm.contacts.who_to_brief import briefing_basis, contacts_for_recommendation
from crm.db import db
from crm.models import Recommendation
from crm.reviews.services import ReviewNotFound, get_review
from crm.tabular import safe_cell

FORMAT = click.Choice(["table", "csv", "json"])
WHO_COLUMNS = (
    "rank",
    "name",
    "title",
    "organisation",
    "kind",
    "state",
    "email",
    "languages",
    "last_contacted",
    "reasons",
)
BASIS_COLUMNS = ("number", "text", "response", "status", "recommending_states")


def emit(columns: Sequence[str], rows: list[dict[str, object]], fmt: str) -> None:
    if fmt == "json":
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows([[safe_cell(_cell(row[c])) for c in columns] for row in rows])
    else:
        widths = {c: max([len(c), *(min(len(_cell(row[c])), 60) for row in rows)]) for c in columns}
        click.echo("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
        for row in rows:
            click.echo("  ".join(_cell(row[c])[:60].ljust(widths[c]) for c in columns).rstrip())


def _cell(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _find_recommendation(review_code: str, number: str) -> Recommendation:
    try:
        review = get_review(review_code)
    except (ReviewNotFound, ValueError) as error:
        raise click.ClickException(str(error)) from None
    found = db.session.scalar(
        select(Recommendation).where(Recommendation.review_id == review.id, Recommendation.number == number)
    )
    if found is None:
        raise click.ClickException(
            _("%(review)s has no recommendation numbered %(number)s.", review=review.code, number=number)
        )
    return found


@click.command("who-to-brief")
@click.argument("review_code")
@click.argument("number")
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True, help="Output format.")
@click.option(
    "--language", default="en", show_default=True, help="Briefing language, to rank speakers first."
)
def who_to_brief(review_code: str, number: str, fmt: str, language: str) -> None:
    """People to brief about recommendation NUMBER of REVIEW_CODE (e.g. CHN-3 28.83), most relevant first."""
    recommendation = _find_recommendation(review_code, number)
    rows: list[dict[str, object]] = [
        {
            "rank": rank,
            "name": r.contact.full_name,
            "title": r.contact.title,
            "organisation": r.contact.organisation.name,
            "kind": r.kind.value,
            "state": r.state_code,
            # A script asks as nobody: a sensitive person's address stays in the app.
            "email": (r.contact.email or "") if may_see_details(None, r.contact) else "",
            "languages": r.contact.languages,
            "last_contacted": r.last_contacted_at.isoformat() if r.last_contacted_at else None,
            "reasons": list(r.reasons),
        }
        for rank, r in enumerate(contacts_for_recommendation(recommendation, language=language), start=1)
    ]
    emit(WHO_COLUMNS, rows, fmt)


@click.command("briefing-basis")
@click.argument("email")
@click.option("--review", "review_code", required=True, help="The review, e.g. CHN-3.")
@click.option("--format", "fmt", type=FORMAT, default="table", show_default=True, help="Output format.")
def briefing_basis_command(email: str, review_code: str, fmt: str) -> None:
    """What the state of the contact at EMAIL recommended in the review, with responses and implementation."""
    try:
        review = get_review(review_code)
    except (ReviewNotFound, ValueError) as error:
        raise click.ClickException(str(error)) from None
    contact = find_contact_by_email(email)
    if contact is None or is_at_risk(contact):
        # At-risk people are answered exactly like unknown ones: a script must not learn they exist.
        raise click.ClickException(_("No contact has the e-mail address %(email)s.", email=email))
    emit(BASIS_COLUMNS, [item.as_dict() for item in briefing_basis(contact, review)], fmt)
