"""The export layouts the field publishes, recognised from their header row, and the record each row becomes.

* **UPR Info database** (XLS, XLSX or CSV), in its old header (``SuR, Rgrp, Org, Recommendation, RS,
  Rgrp, Org, Response, Action, Issue, Session``) and its current one (``State under Review``,
  ``Recommending State``, ``Response``, ``Action Category``, ``Issues``, ``Session``, ``Cycle``). One row per
  recommending state.
* **UHRI** (OHCHR's Universal Human Rights Index, XLSX or CSV) in its 16 columns (``Text``, ``Countries
  Concerned``, ``Reccomending Body`` — misspelled as published —, ``Document Symbol``, ``Themes``, ``Affected
  Persons``, ``Sdgs``, ``UPR Reccomending States``, ``UPR Position``, ``UPR Session``, ...), and the shorter
  ``Paragraph, Text, Document symbol, Countries, Recommending States, Position`` form.
* **OHCHR thematic matrix** (a table in DOCX or XLSX), three templates: 3rd cycle ``Recommendation |
  Position | Full list of themes | Assessment/comments on level of implementation``; 4th cycle
  ``Recommendation and recommending State | Position of the State under review | Human rights themes and
  groups of persons | Relevant SDGs``; 2nd cycle ``Recommendation | Recommending state/s | Position | Full
  list of rights/affected persons``. Section rows ("Theme: ...") are headings.
* **This app's own CSV** (what ``upr export recommendations`` writes) and any other table, given a mapping
  ``--map "Column name=field"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.recommendations.cells import HEADING, Record, refine_matrix, refine_uhri

FIELDS = (
    "number",
    "text",
    "recommending_states",
    "response",
    "response_raw",
    "response_source",
    "themes",
    "affected_persons",
    "sdgs",
    "action_category",
    "state_under_review",
    "session",
    "cycle",
    "body",
    "source_note",
)
HEADER_SEARCH_ROWS = 10
MAX_HEADING = 200

__all__ = ["FIELDS", "FORMATS", "FORMAT_CHOICES", "Format", "HeaderError", "Layout", "Record"]


def normalise_header(name: str) -> str:
    folded = re.sub(r"\(s\)", "s", name.strip().casefold().lstrip("\ufeff"))
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


def _columns(pairs: Mapping[str, Iterable[str]]) -> dict[str, str]:
    return {normalise_header(header): target for target, headers in pairs.items() for header in headers}


def _signatures(*headers: Iterable[str]) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(normalise_header(h) for h in names) for names in headers)


@dataclass(frozen=True)
class Format:
    name: str
    label: LazyString
    columns: Mapping[str, str]
    signatures: tuple[frozenset[str], ...]
    refine: Callable[[Record], Record] | None = field(default=None, compare=False)
    # The recommending states are written in brackets at the end of the wording (OHCHR's matrices).
    states_in_text: bool = False

    def matches(self, headers: set[str]) -> bool:
        return any(signature <= headers for signature in self.signatures)


UPR_INFO = Format(
    "upr-info",
    _l("UPR Info database export"),
    _columns(
        {
            "number": ["Paragraph", "Recommendation number", "Recommendation No", "No"],
            "text": ["Recommendation"],
            "recommending_states": ["Recommending State", "Recommending States", "RS"],
            "state_under_review": ["State under Review", "SuR"],
            "response": ["Response", "SuR Response", "Position"],
            "action_category": ["Action Category", "Action"],
            "themes": ["Issues", "Issue"],
            "session": ["Session", "UPR Session"],
            "cycle": ["Cycle"],
        }
    ),
    _signatures(
        ["Recommendation", "Recommending State", "State under Review"], ["Recommendation", "RS", "SuR"]
    ),
)
UHRI = Format(
    "uhri",
    _l("UHRI (Universal Human Rights Index) export"),
    _columns(
        {
            "number": ["Paragraph", "Paragraph number"],
            "text": ["Text", "Recommendation", "Annotation"],
            "recommending_states": [
                "UPR Reccomending States",
                "UPR Recommending States",
                "Recommending States",
                "Recommending State",
            ],
            "state_under_review": ["Countries Concerned", "Countries", "Country"],
            "response": ["UPR Position", "Position", "Status"],
            "response_source": ["Document Symbol", "Symbol"],
            "themes": ["Themes", "Theme"],
            "affected_persons": ["Affected Persons", "Persons affected"],
            "sdgs": ["Sdgs"],
            "body": ["Reccomending Body", "Recommending Body"],
            "session": ["UPR Session"],
        }
    ),
    _signatures(["Document symbol", "Text", "Countries"], ["Document Symbol", "Text", "Countries Concerned"]),
    refine_uhri,
)
MATRIX = Format(
    "matrix",
    _l("OHCHR thematic matrix of recommendations"),
    _columns(
        {
            "text": ["Recommendation", "Recommendation and recommending State"],
            "recommending_states": ["Recommending state/s", "Recommending states", "Recommending State"],
            "response": ["Position", "Position of the State under review"],
            "themes": [
                "Full list of themes",
                "Full list of rights/affected persons",
                "Human rights themes and groups of persons",
            ],
            "sdgs": ["Relevant SDGs", "SDGs"],
            "source_note": ["Assessment/comments on level of implementation"],
        }
    ),
    _signatures(
        ["Recommendation", "Position", "Full list of themes"],
        ["Recommendation and recommending State", "Position of the State under review"],
        ["Recommendation", "Recommending state/s", "Position"],
    ),
    refine_matrix,
    states_in_text=True,
)
GENERIC = Format(
    "csv",
    _l("CSV/XLSX with this app's column names (or a --map)"),
    {normalise_header(name): name for name in FIELDS} | _columns({"themes": ["theme"]}),
    _signatures(["text", "recommending states"]),
)
FORMATS = {fmt.name: fmt for fmt in (MATRIX, UHRI, UPR_INFO, GENERIC)}
FORMAT_CHOICES = ("auto", *FORMATS)


class HeaderError(ValueError):
    pass


@dataclass(frozen=True)
class Layout:
    """Where the header was found and which column feeds which field."""

    format: Format
    header_row: int
    header: list[str]
    positions: dict[str, int]

    @cached_property
    def _widest(self) -> int:
        return max(self.positions.values()) + 1

    def record(self, cells: list[str]) -> Record:
        if len(cells) >= self._widest:
            record = {name: cells[index].strip() for name, index in self.positions.items()}
        else:  # a short row: spreadsheets drop trailing empty cells
            record = {
                name: cells[index].strip() if index < len(cells) else ""
                for name, index in self.positions.items()
            }
        return self.format.refine(record) if self.format.refine else record

    def is_heading(self, cells: list[str]) -> bool:
        """A matrix's section row ("Theme: ...", or one cell merged across the table) is not a row of data."""
        if not self.format.states_in_text:
            return False
        filled = [cell.strip() for cell in cells if cell.strip()]
        if not filled:
            return False
        if HEADING.match(filled[0]):
            return True
        if len(set(filled)) > 1:
            return False
        # Word repeats a merged cell in every column; a spreadsheet keeps it in the first one only.
        return len(filled) > 1 or (len(filled[0]) < MAX_HEADING and not filled[0].endswith((")", ");")))


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["Reco text=text", ...]`` → ``{"reco text": "text"}``; unknown target fields are an error."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        target = target.strip()
        if not sep or not column.strip():
            raise HeaderError(_("--map %(pair)s must look like COLUMN=FIELD.", pair=repr(pair)))
        if target not in FIELDS:
            raise HeaderError(
                _(
                    "--map %(pair)s: %(target)s is not a field; use one of %(fields)s.",
                    pair=repr(pair),
                    target=repr(target),
                    fields=", ".join(FIELDS),
                )
            )
        mapping[normalise_header(column)] = target
    return mapping


def find_layout(
    first_rows: list[tuple[int, list[str]]], chosen: str = "auto", mapping: Mapping[str, str] | None = None
) -> Layout:
    """Find the header among the first rows and the format it belongs to (or check the chosen one)."""
    if mapping and chosen == "auto":
        chosen = GENERIC.name
    candidates = [FORMATS[chosen]] if chosen != "auto" else list(FORMATS.values())
    for number, cells in first_rows[:HEADER_SEARCH_ROWS]:
        headers = [normalise_header(cell) for cell in cells]
        present = set(headers)
        for fmt in candidates:
            columns = {**fmt.columns, **(mapping or {})}
            if mapping or fmt.matches(present):
                positions: dict[str, int] = {}
                for index, header in enumerate(headers):
                    target = columns.get(header)
                    if target and target not in positions:
                        positions[target] = index
                if "text" in positions:
                    return Layout(fmt, number, cells, positions)
    if not first_rows:
        raise HeaderError(_("The file has no rows."))
    shown = ", ".join(repr(c) for c in first_rows[0][1][:8] if c)[:200] or _("(blank cells)")
    wanted = _("a UPR Info, UHRI or OHCHR matrix export") if chosen == "auto" else str(FORMATS[chosen].label)
    raise HeaderError(
        _(
            "The header row was not recognised (first row: %(first)s); expected %(wanted)s, or name the "
            "columns with --format csv --map COLUMN=FIELD.",
            first=shown,
            wanted=wanted,
        )
    )
