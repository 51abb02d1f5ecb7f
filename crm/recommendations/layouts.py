"""The export layouts people bring, recognised from their header row, and the record each row becomes.

* **UPR Info database** (CSV or XLSX): ``Recommendation``, ``Recommending State``, ``State under Review``,
  ``Session``, ``Cycle``, ``Response``, ``Action Category``, ``Issues`` (and sometimes ``Paragraph``).
* **UHRI** (OHCHR's Universal Human Rights Index, CSV): ``Paragraph``, ``Text``, ``Document symbol``,
  ``Countries``, ``Recommending States``, ``Position``, ``Themes``, ``SDGs``, ``Affected persons``.
* **OHCHR thematic matrix** (a table in DOCX or XLSX): ``Recommendation`` (number, text and the
  recommending states in brackets in one cell), ``Position`` (with its ``Source of position``),
  ``Full list of themes`` (theme lines, then ``Affected persons:`` lines), ``Assessment/comments ...``.
* **This app's own CSV** (what ``upr export recommendations`` writes) and any other table, given a mapping
  ``--map "Column name=field"``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

FIELDS = (
    "number",
    "text",
    "recommending_states",
    "response",
    "response_raw",
    "response_source",
    "themes",
    "affected_persons",
    "action_category",
    "state_under_review",
    "source_note",
)
HEADER_SEARCH_ROWS = 10

Record = dict[str, str]


def normalise_header(name: str) -> str:
    folded = re.sub(r"\(s\)", "s", name.strip().casefold().lstrip("\ufeff"))
    return re.sub(r"[^a-z0-9]+", " ", folded).strip()


def _columns(pairs: Mapping[str, Iterable[str]]) -> dict[str, str]:
    return {normalise_header(header): target for target, headers in pairs.items() for header in headers}


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    columns: Mapping[str, str]
    signature: frozenset[str]
    refine: Callable[[Record], Record] | None = field(default=None, compare=False)

    def matches(self, headers: set[str]) -> bool:
        return self.signature <= headers


_MATRIX_ENTRY = re.compile(r"^\s*(?P<number>\d{1,3}\.\d{1,4})\.?\s+(?P<body>.*)$", re.S)
_THEME_CODE = re.compile(r"^[A-Z]\d{1,2}\s+")


def _trailing_brackets(cell: str) -> int | None:
    """Where the bracketed states at the end of a cell open; they may nest: "(Iran (Islamic Republic of))"."""
    if not cell.endswith(")"):
        return None
    depth = 0
    for index in range(len(cell) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(cell[index], 0)
        if depth == 0:
            return index
    return None


def _refine_matrix(record: Record) -> Record:
    """Split the matrix's composite cells into number, text, states, response, source, themes, persons."""
    cell = record.get("text", "").strip()
    entry = _MATRIX_ENTRY.match(cell)
    if entry:
        record["number"] = record.get("number") or entry["number"]
        cell = entry["body"].strip()
    cell = cell.rstrip(" ;.")
    opening = _trailing_brackets(cell)
    if opening is not None and not record.get("recommending_states"):
        record["recommending_states"] = cell[opening + 1 : -1]
        cell = cell[:opening].rstrip()
    record["text"] = cell.rstrip(";").strip()
    position_lines = [line.strip() for line in record.get("response", "").splitlines() if line.strip()]
    record["response"] = position_lines[0] if position_lines else ""
    sources = [line.split(":", 1)[1].strip() for line in position_lines[1:] if ":" in line]
    record["response_source"] = record.get("response_source") or "; ".join(sources)
    themes, persons, in_persons = [], [], False
    for written in record.get("themes", "").splitlines():
        line = written.strip().lstrip("-–•").strip()
        if line.casefold().startswith("affected persons"):
            in_persons = True
            line = line.split(":", 1)[1].strip() if ":" in line else ""
        if not line:
            continue
        if in_persons:
            persons.append(line)
        else:
            themes.append(_THEME_CODE.sub("", line))
    record["themes"] = ";".join(themes)
    record["affected_persons"] = record.get("affected_persons") or ";".join(persons)
    return record


UPR_INFO = Format(
    "upr-info",
    "UPR Info database export",
    _columns(
        {
            "number": ["Paragraph", "Recommendation number", "Recommendation No", "No"],
            "text": ["Recommendation"],
            "recommending_states": ["Recommending State", "Recommending States", "RS"],
            "state_under_review": ["State under Review", "SuR"],
            "response": ["Response", "SuR Response", "Position"],
            "action_category": ["Action Category", "Action"],
            "themes": ["Issues", "Issue"],
        }
    ),
    frozenset({"recommendation", "recommending state", "state under review"}),
)
UHRI = Format(
    "uhri",
    "UHRI (Universal Human Rights Index) export",
    _columns(
        {
            "number": ["Paragraph", "Paragraph number"],
            "text": ["Text", "Recommendation", "Annotation"],
            "recommending_states": ["Recommending States", "Recommending State"],
            "state_under_review": ["Countries", "Country"],
            "response": ["Position", "Status"],
            "response_source": ["Document symbol", "Symbol"],
            "themes": ["Themes", "Theme"],
            "affected_persons": ["Affected persons", "Persons affected"],
        }
    ),
    frozenset({"document symbol", "text", "countries"}),
)
MATRIX = Format(
    "matrix",
    "OHCHR thematic matrix of recommendations",
    _columns(
        {
            "text": ["Recommendation"],
            "response": ["Position"],
            "themes": ["Full list of themes"],
            "source_note": ["Assessment/comments on level of implementation"],
        }
    ),
    frozenset({"recommendation", "position", "full list of themes"}),
    _refine_matrix,
)
GENERIC = Format(
    "csv",
    "CSV/XLSX with this app's column names (or a --map)",
    {normalise_header(name): name for name in FIELDS} | _columns({"themes": ["theme"]}),
    frozenset({"text", "recommending states"}),
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


def parse_mapping(pairs: Iterable[str]) -> dict[str, str]:
    """``["Reco text=text", ...]`` → ``{"reco text": "text"}``; unknown target fields are an error."""
    mapping: dict[str, str] = {}
    for pair in pairs:
        column, sep, target = pair.rpartition("=")
        target = target.strip()
        if not sep or not column.strip():
            raise HeaderError(f"--map {pair!r} must look like COLUMN=FIELD.")
        if target not in FIELDS:
            raise HeaderError(f"--map {pair!r}: {target!r} is not a field; use one of {', '.join(FIELDS)}.")
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
        raise HeaderError("The file has no rows.")
    shown = ", ".join(repr(c) for c in first_rows[0][1][:8] if c)[:200] or "(blank cells)"
    wanted = "a UPR Info, UHRI or OHCHR matrix export" if chosen == "auto" else FORMATS[chosen].label
    raise HeaderError(
        f"The header row was not recognised (first row: {shown}); expected {wanted}, or name the columns "
        "with --format csv --map COLUMN=FIELD."
    )
