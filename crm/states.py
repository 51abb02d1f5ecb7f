"""Reference data for states and resolving the many ways people write their names."""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from babel import Locale
from babel.core import get_global
from flask_babel import gettext as _
from sqlalchemy import select

from crm.db import db
from crm.models import RegionalGroup, State
from crm.state_names import LANGUAGES, search_names, un_codes, without_article

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
        """The resolver for ``rows`` (code, English name, aliases), which also knows every state's names
        in the UN's six languages (``crm.state_names``): "Suisse", "Suiza", "瑞士" and "la République
        islamique d'Iran" resolve as "Switzerland" and "Iran" do. The app's own names and aliases come
        first, so a UN name never takes a spelling another state already answers to."""
        codes_by_name: dict[str, str] = {}
        display_names: dict[str, str] = {}
        for code, name, aliases in rows:
            display_names[code] = name
            for written in [code, name, *aliases]:
                if written:
                    _add(codes_by_name, written, code)
        for key, code in _un_keys():
            if code in display_names:
                codes_by_name.setdefault(key, code)
        return cls(codes_by_name, display_names)

    def find(self, name: str) -> str | None:
        """The alpha-3 code ``name`` spells exactly (case, accents, spacing and a leading article aside),
        or None: no close guesses."""
        for written in dict.fromkeys((name, without_article(name.strip()))):
            code = self.codes_by_name.get(normalise_name(written)) or self.codes_by_name.get(
                normalise_name(_strip_accents(written))
            )
            if code is not None:
                return code
        return None

    def find_name(self, name: str) -> str | None:
        """``find`` for words typed into a search, where a code is a word ("and", "can", "are"): the state
        ``name`` spells, unless it is only that state's alpha-3 code."""
        code = self.find(name)
        return None if code is None or name.strip().casefold() == code.casefold() else code

    def resolve(self, name: str) -> str:
        """The alpha-3 code for ``name``; raises ``UnknownState`` with suggestions otherwise."""
        code = self.find(name)
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


def _add(codes_by_name: dict[str, str], written: str, code: str) -> None:
    for key in {normalise_name(written), normalise_name(_strip_accents(written))}:
        codes_by_name.setdefault(key, code)


@cache
def _un_keys() -> tuple[tuple[str, str], ...]:
    """Every state's UN names as resolver keys, then the everyday names of the Unicode CLDR in the same six
    languages ("Corée du Sud", "Rusia", "英国"; Babel's ``Locale.territories``) where no UN name took the
    spelling; worked out once (a resolver is built for every import)."""
    keys: dict[str, str] = {}
    codes = sorted(un_codes())
    for code in codes:
        for written in sorted(search_names(code)):
            _add(keys, written, code)
    aliases = get_global("territory_aliases")
    for language in LANGUAGES:
        territories = Locale(language).territories
        for code in codes:
            alpha2 = aliases.get(code, [""])[0]
            if alpha2 in territories:
                _add(keys, territories[alpha2], code)
    return tuple(keys.items())


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
