"""Importing contacts from CSV or vCard: all rows are checked first, and nothing is written if one is wrong.

CSV columns: organisation, organisation_kind, state, city, full_name, title, email, phone, languages,
timezone, posting_start, posting_end, safety_level, notes. A vCard has no organisation kind or state of its
own: ``default_kind`` and ``default_state`` fill them, and the ADR country names the state when present.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from crm.contacts.models import Organisation, OrganisationKind, SafetyLevel
from crm.contacts.services import ContactError, ContactFields, address_problem, save_contact
from crm.db import db
from crm.states import StateResolver, UnknownState

REQUIRED_COLUMNS = ("organisation", "full_name")


@dataclass
class ImportRow:
    row: int
    organisation: str
    kind: OrganisationKind
    state_code: str | None
    city: str
    fields: ContactFields


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    organisations_created: int = 0
    errors: list[str] = field(default_factory=list)
    # Contacts whose address a row repeats but whom the import (asking as nobody) may not see.
    refused_holders: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFailed(ValueError):
    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__(
            ngettext(
                "%(num)d problem(s); nothing was imported.",
                "%(num)d problem(s); nothing was imported.",
                len(report.errors),
            )
        )


def import_contacts(
    path: Path,
    *,
    dry_run: bool = False,
    default_kind: OrganisationKind = OrganisationKind.MISSION_GENEVA,
    default_state: str | None = None,
    owner_team_id: int | None = None,
) -> ImportReport:
    """Check every row of a .csv or .vcf file, then stage them (unless ``dry_run``); raises on any error."""
    text = path.read_text(encoding="utf-8-sig")
    resolver = StateResolver.from_database()
    report = ImportReport()
    if path.suffix.lower() in (".vcf", ".vcard"):
        raw = list(_vcard_rows(text))
    elif path.suffix.lower() == ".csv":
        raw = list(_csv_rows(text, report))
    else:
        raise ContactError(_("Cannot import %(file)s: use a .csv or a .vcf (vCard) file.", file=path.name))
    rows = [
        _parse_row(
            n,
            values,
            resolver=resolver,
            default_kind=default_kind,
            default_state=default_state,
            report=report,
        )
        for n, values in raw
    ]
    report.rows = len(raw)
    _check_duplicates([row for row in rows if row is not None], report)
    if report.errors:
        raise ImportFailed(report)
    for row in rows:
        assert row is not None  # every row parsed, or an error was reported above
        row.fields.owner_team_id = owner_team_id
        report.created += 1
        if not dry_run:
            row.fields.organisation_id = _organisation_for(row, report).id
            save_contact(row.fields)
    return report


def _csv_rows(text: str, report: ImportReport) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    missing = [name for name in REQUIRED_COLUMNS if name not in (reader.fieldnames or [])]
    if missing:
        report.errors.append(_("The file has no column %(columns)s.", columns=", ".join(missing)))
        return []
    # Row 1 is the header, so data rows are numbered as a spreadsheet shows them.
    return [(n, {k: (v or "").strip() for k, v in row.items() if k}) for n, row in enumerate(reader, start=2)]


def _vcard_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    import vobject

    rows = []
    for n, card in enumerate(vobject.readComponents(text), start=1):
        emails = sorted(card.contents.get("email", []), key=lambda e: not _is_preferred(e))
        addresses = [str(e.value).strip() for e in emails if str(e.value).strip()]
        notes = [str(card.note.value)] if "note" in card.contents else []
        if len(addresses) > 1:
            notes.append(_("Other e-mail addresses: %(addresses)s", addresses=", ".join(addresses[1:])))
        org = card.contents.get("org")
        adr = card.contents.get("adr")
        rows.append(
            (
                n,
                {
                    "full_name": str(card.fn.value) if "fn" in card.contents else "",
                    "organisation": " ".join(part for part in org[0].value if part) if org else "",
                    "title": str(card.title.value) if "title" in card.contents else "",
                    "email": addresses[0] if addresses else "",
                    "phone": str(card.tel.value) if "tel" in card.contents else "",
                    "state": adr[0].value.country if adr else "",
                    "city": adr[0].value.city if adr else "",
                    "notes": "\n".join(notes),
                },
            )
        )
    return rows


def _is_preferred(prop: Any) -> bool:
    types = [t.lower() for t in prop.params.get("TYPE", [])]
    return "pref" in types or "PREF" in prop.params


def _parse_row(
    n: int,
    values: dict[str, str],
    *,
    resolver: StateResolver,
    default_kind: OrganisationKind,
    default_state: str | None,
    report: ImportReport,
) -> ImportRow | None:
    problems = []
    if not values.get("organisation"):
        problems.append(_("no organisation"))
    try:
        kind = OrganisationKind(values.get("organisation_kind") or default_kind)
    except ValueError:
        problems.append(_("unknown organisation kind %(kind)s", kind=repr(values["organisation_kind"])))
        kind = default_kind
    state_code = None
    written_state = values.get("state") or default_state
    if written_state:
        try:
            state_code = resolver.resolve(written_state)
        except UnknownState as error:
            problems.append(str(error).rstrip("."))
    try:
        safety = SafetyLevel(values.get("safety_level") or "normal")
    except ValueError:
        problems.append(
            _(
                "safety level must be normal, sensitive or at_risk, not %(level)s",
                level=repr(values["safety_level"]),
            )
        )
        safety = SafetyLevel.NORMAL
    dates = {}
    for name in ("posting_start", "posting_end"):
        try:
            dates[name] = date.fromisoformat(values[name]) if values.get(name) else None
        except ValueError:
            problems.append(
                _("%(column)s %(value)s is not a date like 2025-09-01", column=name, value=repr(values[name]))
            )
            dates[name] = None
    fields = ContactFields(
        organisation_id=0,
        full_name=values.get("full_name", ""),
        title=values.get("title", ""),
        email=values.get("email", ""),
        phone=values.get("phone", ""),
        languages=values.get("languages") or "en",
        timezone=values.get("timezone") or "UTC",
        safety_level=safety,
        notes=values.get("notes", ""),
        posting_start=dates["posting_start"],
        posting_end=dates["posting_end"],
    )
    problems += [p.rstrip(".") for p in fields.validate()]
    if problems:
        joined = "; ".join(problems)
        if joined.endswith("?"):
            report.errors.append(_("Row %(row)s: %(problems)s", row=n, problems=joined))
        else:
            report.errors.append(_("Row %(row)s: %(problems)s.", row=n, problems=joined))
        return None
    return ImportRow(n, values["organisation"], kind, state_code, values.get("city", ""), fields)


def _check_duplicates(rows: list[ImportRow], report: ImportReport) -> None:
    """The same address twice in the file, or one already held by a contact, is an error.

    An import asks as nobody: a holder at risk is not named (nor numbered), and is recorded for admins.
    """
    first_row: dict[str, int] = {}
    for row in rows:
        key = row.fields.email.casefold()
        if not key:
            continue
        if key in first_row:
            report.errors.append(
                _(
                    "Row %(row)s: %(email)s is already on row %(first)s.",
                    row=row.row,
                    email=row.fields.email,
                    first=first_row[key],
                )
            )
        else:
            taken, hidden_holder = address_problem(row.fields.email, None, None)
            if taken:
                report.errors.append(_("Row %(row)s: %(problems)s", row=row.row, problems=taken))
            if hidden_holder is not None:
                report.refused_holders.append(hidden_holder)
        first_row.setdefault(key, row.row)


def _organisation_for(row: ImportRow, report: ImportReport) -> Organisation:
    found = db.session.scalar(
        select(Organisation).where(
            func.lower(Organisation.name) == row.organisation.casefold(), Organisation.kind == row.kind
        )
    )
    if found is None:
        found = Organisation(name=row.organisation, kind=row.kind, state_code=row.state_code, city=row.city)
        db.session.add(found)
        db.session.flush()
        report.organisations_created += 1
    return found
