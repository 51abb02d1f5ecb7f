"""Coalition exchange: which states a team briefs, on which themes, as a CSV with no personal data."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import delete, select

from crm.db import db
from crm.models import State, Theme
from crm.recommendations.readers import ImportFileError, open_table
from crm.states import StateResolver, UnknownState
from crm.tabular import safe_cell
from crm.teams.models import Assignment, CoalitionClaim, Team
from crm.teams.services import priority_theme_ids

COLUMNS = ("state_code", "state", "themes")


class CoalitionFileError(ValueError):
    pass


def export_csv(team: Team) -> str:
    """The team's assigned states and its priority themes; never a name, address or contact."""
    themes = ";".join(
        sorted(db.session.scalars(select(Theme.name).where(Theme.id.in_(priority_theme_ids(team)))))
    )
    rows = db.session.execute(
        select(State.code, State.name)
        .join(Assignment, Assignment.state_code == State.code)
        .where(Assignment.team_id == team.id)
        .distinct()
        .order_by(State.name)
    ).all()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows([safe_cell(code), safe_cell(name), safe_cell(themes)] for code, name in rows)
    return buffer.getvalue()


def read_upload(data: bytes, name: str | None = None) -> str:
    """The text of an uploaded file, in any encoding the recommendation import reads (UTF-8, UTF-16,
    Windows-1252); anything else (an image, a spreadsheet) gets one sentence saying what it is."""
    name = name or _("The file")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "upload"
        path.write_bytes(data)
        try:
            source = open_table(path, name)
        except ImportFileError as error:
            raise CoalitionFileError(str(error)) from None
    if source.kind != "csv":
        raise CoalitionFileError(
            _(
                "%(name)s is a %(kind)s file: save it as CSV and import that.",
                name=name,
                kind=source.kind.upper(),
            )
        )
    return data.decode(source.encoding).lstrip("\ufeff")


def import_claims(team: Team, partner: str, text: str) -> int:
    """Replace ``partner``'s claims for ``team`` with the file's; any bad row rejects the whole file."""
    partner = partner.strip()
    if not partner:
        raise CoalitionFileError(_("Name the coalition partner the file comes from."))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    extra = [c for c in reader.fieldnames or [] if c not in COLUMNS]
    if "state_code" not in (reader.fieldnames or []) and "state" not in (reader.fieldnames or []):
        raise CoalitionFileError(_("The file has no state_code or state column."))
    if extra:
        raise CoalitionFileError(
            _(
                "The file has other columns (%(columns)s): a coalition file holds states and themes only.",
                columns=", ".join(extra),
            )
        )
    resolver = StateResolver.from_database()
    claims: dict[str, str] = {}
    problems = []
    for n, row in enumerate(reader, start=2):
        written = (row.get("state_code") or row.get("state") or "").strip()
        try:
            claims[resolver.resolve(written)] = (row.get("themes") or "").strip()
        except UnknownState as error:
            problems.append(_("Row %(row)s: %(problem)s", row=n, problem=str(error)))
    if problems:
        raise CoalitionFileError(" ".join(problems))
    db.session.execute(
        delete(CoalitionClaim).where(CoalitionClaim.team_id == team.id, CoalitionClaim.partner == partner)
    )
    db.session.add_all(
        CoalitionClaim(team_id=team.id, partner=partner, state_code=code, themes=themes)
        for code, themes in claims.items()
    )
    db.session.flush()
    return len(claims)


def claims_by_state(team: Team) -> dict[str, list[CoalitionClaim]]:
    found: dict[str, list[CoalitionClaim]] = {}
    for claim in db.session.scalars(select(CoalitionClaim).where(CoalitionClaim.team_id == team.id)):
        found.setdefault(claim.state_code, []).append(claim)
    return found
