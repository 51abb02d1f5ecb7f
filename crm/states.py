"""Reference data for states and resolving the many ways people write their names."""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from flask_babel import gettext as _
from sqlalchemy import select

from crm.db import db
from crm.models import RegionalGroup, State

STATES_FILE = Path(__file__).resolve().parents[1] / "data" / "states.csv"

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


def normalise_name(name: str) -> str:
    """Fold case, compatibility forms, curly apostrophes and spacing so that equal names compare equal."""
    folded = unicodedata.normalize("NFKC", name).translate(_APOSTROPHES).casefold()
    folded = re.sub(r"^the\s+", "", folded.strip())
    return re.sub(r"\s+", " ", folded)


def _compact(name: str) -> str:
    return re.sub(r"\W+", "", normalise_name(_strip_accents(name)))


def _strip_accents(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


class UnknownState(LookupError):
    """A state name matched nothing; ``suggestions`` holds the closest known names."""

    def __init__(self, name: str, suggestions: list[str]) -> None:
        self.name = name
        self.suggestions = suggestions
        if suggestions:
            message = _(
                "Unknown state %(name)s. Did you mean: %(names)s?",
                name=repr(name),
                names="; ".join(suggestions),
            )
        else:
            message = _("Unknown state %(name)s.", name=repr(name))
        super().__init__(message)


@dataclass(frozen=True)
class StateResolver:
    """Maps every official name, alias and code (normalised, with and without accents) to a state code."""

    codes_by_name: dict[str, str]
    display_names: dict[str, str]

    @cached_property
    def compact_names(self) -> dict[str, str]:
        return {_compact(name): code for name, code in self.codes_by_name.items()}

    @classmethod
    def from_database(cls) -> StateResolver:
        rows = db.session.execute(select(State.code, State.name, State.aliases)).all()
        return cls.from_rows((code, name, aliases.split("|")) for code, name, aliases in rows)

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, list[str]]]) -> StateResolver:
        codes_by_name: dict[str, str] = {}
        display_names: dict[str, str] = {}
        for code, name, aliases in rows:
            display_names[code] = name
            for written in [code, name, *aliases]:
                if not written:
                    continue
                for key in {normalise_name(written), normalise_name(_strip_accents(written))}:
                    codes_by_name.setdefault(key, code)
        return cls(codes_by_name, display_names)

    def resolve(self, name: str) -> str:
        """The alpha-3 code for ``name``; raises ``UnknownState`` with suggestions otherwise."""
        key = normalise_name(name)
        code = self.codes_by_name.get(key) or self.codes_by_name.get(normalise_name(_strip_accents(name)))
        if code is None:
            # Text taken from a PDF breaks words ("Plurinational S tate of"): the names compared without
            # any space are still unique.
            code = self.compact_names.get(_compact(name))
        if code is None:
            raise UnknownState(name.strip(), self.suggest(name))
        return code

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        matches = difflib.get_close_matches(normalise_name(name), self.codes_by_name, n=limit * 3, cutoff=0.6)
        names: list[str] = []
        for match in matches:
            display = self.display_names[self.codes_by_name[match]]
            if display not in names:
                names.append(display)
        return names[:limit]

    def split_joint(self, written: str) -> list[str]:
        """Codes for a cell naming one or several states ("Sweden; Norway", "Chile, Mexico")."""
        written = written.strip()
        if not written:
            return []
        parts = [p for p in re.split(r"\s*[;\n]\s*", written) if p]
        codes: list[str] = []
        for part in parts:
            try:
                codes.append(self.resolve(part))
            except UnknownState:
                # A comma inside a name ("Korea, Republic of") is only a separator when the parts resolve.
                sub_parts = [p for p in re.split(r"\s*,\s*|\s+and\s+", part) if p]
                if len(sub_parts) < 2:
                    raise
                codes.extend(self.resolve(p) for p in sub_parts)
        return list(dict.fromkeys(codes))


def sync_states() -> int:
    """Insert or update every state from the shipped data file; returns how many rows changed."""
    existing = {state.code: state for state in db.session.scalars(select(State))}
    changed = 0
    with STATES_FILE.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            values = {
                "name": row["name"],
                "formal_name": row["formal_name"] or row["name"],
                "regional_group": RegionalGroup(row["regional_group"]) if row["regional_group"] else None,
                "is_member": row["status"] == "member",
                "aliases": row["aliases"],
            }
            state = existing.get(row["alpha3"])
            if state is None:
                db.session.add(State(code=row["alpha3"], **values))
                changed += 1
            elif any(getattr(state, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(state, key, value)
                changed += 1
    return changed
