"""The field's real files read with the bare libraries, so tests compare the importer with the file itself."""

from __future__ import annotations

import hashlib
import html
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REAL = Path(__file__).parent / "data" / "real"
UPR_INFO_XLS = REAL / "upr-info-export-2015-sessions-1-5.xls"
MATRICES = {
    "CHN-2": REAL / "ohchr-matrix-chn-2.docx",
    "CHN-3": REAL / "ohchr-matrix-chn-3.docx",
    "SVN-3": REAL / "ohchr-matrix-svn-3.docx",
}
_NUMBERED = re.compile(r"^\s*(\d{1,3}\.\d{1,4})\.?\s")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wording(text: str) -> str:
    """What the issue calls the same wording: case, spacing and a final full stop or semicolon ignored."""
    return re.sub(r"\s+", " ", html.unescape(text).casefold()).strip().rstrip(" .;")


@dataclass
class Grouped:
    """One recommendation of the UPR Info export: the rows with its wording in one State's session."""

    under_review: str
    session: int
    rows: list[int] = field(default_factory=list)
    states: list[str] = field(default_factory=list)
    responses: set[str] = field(default_factory=set)
    actions: list[int] = field(default_factory=list)
    issues: set[str] = field(default_factory=set)


def upr_info_rows() -> tuple[list[str], list[list[object]]]:
    import xlrd

    book = xlrd.open_workbook(str(UPR_INFO_XLS), ignore_workbook_corruption=True, logfile=io.StringIO())
    sheet = book.sheet_by_index(0)
    return sheet.row_values(0), [sheet.row_values(index) for index in range(1, sheet.nrows)]


def upr_info_recommendations() -> dict[tuple[str, int, str], Grouped]:
    """The export's recommendations by (State under Review, session, wording), from xlrd alone."""
    header, rows = upr_info_rows()
    column = {name: header.index(name) for name in ("SuR", "Recommendation", "RS", "Response", "Action")}
    issue, session = header.index("Issue"), header.index("Session")
    grouped: dict[tuple[str, int, str], Grouped] = {}
    for number, row in enumerate(rows, start=2):
        key = (str(row[column["SuR"]]), int(float(row[session])), wording(str(row[column["Recommendation"]])))
        entry = grouped.setdefault(key, Grouped(key[0], key[1]))
        entry.rows.append(number)
        entry.states.append(html.unescape(str(row[column["RS"]])))
        entry.responses.add(str(row[column["Response"]]))
        entry.actions.append(int(float(row[column["Action"]])))
        entry.issues.update(name.strip() for name in str(row[issue]).split(",") if name.strip())
    return grouped


@dataclass
class MatrixRow:
    number: str
    cell: str
    position: str
    themes: str


def matrix_rows(path: Path) -> list[MatrixRow]:
    """The numbered rows of an OHCHR matrix, read with python-docx alone."""
    from docx import Document

    found = []
    for table in Document(str(path)).tables:
        for row in table.rows:
            cells = [cell.text for cell in row.cells]
            numbered = _NUMBERED.match(cells[0])
            if numbered:
                found.append(MatrixRow(numbered[1], cells[0], cells[1].strip(), cells[2]))
    return found


def bracketed_names(cell: str) -> list[str]:
    """Every outermost bracket group's text: "(Portugal, Slovakia)", "(Iran (Islamic Republic of))"."""
    names: list[str] = []
    depth, start = 0, 0
    for index, char in enumerate(cell):
        if char == "(":
            if depth == 0:
                start = index + 1
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                names.append(cell[start:index])
    return names


def by_review(grouped: dict[tuple[str, int, str], Grouped]) -> dict[tuple[str, int], list[Grouped]]:
    reviews: dict[tuple[str, int], list[Grouped]] = defaultdict(list)
    for entry in grouped.values():
        reviews[(entry.under_review, entry.session)].append(entry)
    return reviews
