"""The editable table of UN agencies by mandate, and its seed (OHCHR covers every theme)."""

from __future__ import annotations

from sqlalchemy import func, select

from crm.contacts.models import AgencyMandate, Organisation, OrganisationKind
from crm.db import db
from crm.models import Theme

# Agency (as its name is written) → words of the theme names its mandate covers; None: every theme.
SEED_MANDATES: dict[str, tuple[str, ...] | None] = {
    "UN Women": ("women", "gender"),
    "UNICEF": ("child",),
    "ILO": ("labour", "forced labour"),
    "UNESCO": ("education", "cultur"),
    "WHO": ("health",),
    "UNHCR": ("refugee", "asylum"),
    "OHCHR": None,
}
# A theme to create when no theme of the agency's mandate exists yet, so the mandate is never empty.
SEED_THEME_NAMES = {
    "UN Women": "Women's rights and gender equality",
    "UNICEF": "Rights of the child",
    "ILO": "Labour rights and forced labour",
    "UNESCO": "Education and culture",
    "WHO": "Right to health",
    "UNHCR": "Refugees and asylum seekers",
}


def set_mandate(organisation: Organisation, theme: Theme | None) -> AgencyMandate:
    found = db.session.scalar(
        select(AgencyMandate).where(
            AgencyMandate.organisation_id == organisation.id,
            AgencyMandate.theme_id.is_(None) if theme is None else AgencyMandate.theme_id == theme.id,
        )
    )
    if found is None:
        found = AgencyMandate(organisation_id=organisation.id, theme_id=theme.id if theme else None)
        db.session.add(found)
    return found


def seed_agency_mandates() -> int:
    """Link the UN agencies on file to the themes of their mandates; returns how many agencies were found."""
    agencies = list(
        db.session.scalars(select(Organisation).where(Organisation.kind == OrganisationKind.UN_AGENCY))
    )
    themes = list(db.session.scalars(select(Theme)))
    seeded = 0
    for label, words in SEED_MANDATES.items():
        agency = next((a for a in agencies if _names(a.name, label)), None)
        if agency is None:
            continue
        seeded += 1
        if words is None:
            set_mandate(agency, None)
            continue
        matching = [t for t in themes if any(word in t.name.casefold() for word in words)]
        if not matching:
            name = SEED_THEME_NAMES[label]
            theme = db.session.scalar(select(Theme).where(func.lower(Theme.name) == name.lower()))
            if theme is None:
                theme = Theme(name=name)
                db.session.add(theme)
                db.session.flush()
            matching = [theme]
        for theme in matching:
            set_mandate(agency, theme)
    db.session.flush()
    return seeded


def _names(organisation_name: str, label: str) -> bool:
    # Whole words, so "WHO" does not match "whose" and "ILO" does not match "Milo".
    words = organisation_name.replace("(", " ").replace(")", " ").replace(",", " ").split()
    return all(part in words for part in label.split())


def mandate_table() -> list[AgencyMandate]:
    query = select(AgencyMandate).join(Organisation).order_by(Organisation.name, AgencyMandate.theme_id)
    return list(db.session.scalars(query))
