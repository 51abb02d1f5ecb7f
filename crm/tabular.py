"""Writing tables to CSV and XLSX safely, for every export of the app.

A cell whose first character other than a space is ``=``, ``+``, ``-`` or ``@``, or that starts with a tab,
a carriage return or a line feed, is read as a formula by spreadsheet programs (which skip the spaces and
breaks before it); recommendations quoted from documents can start that way, so such cells get a leading
apostrophe (OWASP's advice on CSV injection). Every CSV and XLSX the app writes goes through
:func:`safe_cell`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from flask_babel import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@")
BREAK_STARTS = ("\t", "\r", "\n")


def is_formula_like(value: str) -> bool:
    return value.startswith(BREAK_STARTS) or value.lstrip().startswith(FORMULA_STARTS)


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: object) -> object:
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value


class UnsupportedFormat(ValueError):
    pass


def write_table(
    path: Path, header: Sequence[str], rows: Iterable[Sequence[object]], sheet: str = "Data"
) -> int:
    """Write ``rows`` under ``header`` as CSV or XLSX, chosen by the file's suffix; returns the row count."""
    suffix = path.suffix.lower()
    count = 0
    if suffix == ".csv":
        # utf-8-sig: Excel opens a BOM-marked CSV as UTF-8 instead of the local code page.
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            for row in rows:
                writer.writerow([safe_cell(v) for v in row])
                count += 1
        return count
    if suffix == ".xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(sheet)
        worksheet.append(list(header))
        for row in rows:
            worksheet.append([safe_cell(v) for v in row])
            count += 1
        workbook.save(path)
        return count
    raise UnsupportedFormat(_("Cannot write %(name)s: use a .csv or .xlsx file name.", name=path.name))
