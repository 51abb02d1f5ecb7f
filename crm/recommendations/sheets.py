"""The rows of a workbook (XLSX, Excel 97-2003 XLS) or of the tables of a Word document (DOCX).

Each reader yields ``(row_number, cells)`` with the header as row 1, like the CSV reader. Damage that only
shows while reading (a bad checksum deep inside a workbook) becomes the same one-sentence error as damage
found on opening, never a library's own exception.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from flask_babel import gettext as _

from crm.recommendations.errors import ImportFileError

Row = tuple[int, list[str]]


def cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _damaged(name: str, kind: str) -> ImportFileError:
    return ImportFileError(
        _(
            "%(file)s is a damaged %(kind)s file and cannot be read; open it and save it again.",
            file=name,
            kind=kind,
        )
    )


def xlsx_rows(path: Path, name: str) -> Iterator[Row]:
    """The first worksheet, streamed (openpyxl's read-only mode keeps one row in memory)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:  # openpyxl raises many types for a damaged workbook
        raise _damaged(name, "XLSX") from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [cell_text(v) for v in values]
    except Exception:  # a bad CRC, truncated XML or a bad cell deep inside the sheet
        raise _damaged(name, "XLSX") from None
    finally:
        workbook.close()


def xls_rows(path: Path, name: str) -> Iterator[Row]:
    """The first sheet of an Excel 97-2003 workbook, read with xlrd 2.

    UPR Info's exports were written by "PHP Excel classes", whose compound-file directory xlrd calls
    corrupt ("Workbook corruption: seen[3] == 4") although every cell is intact; xlrd's documented
    ``ignore_workbook_corruption`` reads them.
    """
    import xlrd

    try:
        book = xlrd.open_workbook(
            str(path), on_demand=True, ignore_workbook_corruption=True, logfile=io.StringIO()
        )
    except Exception:  # xlrd raises XLRDError, CompDocError, struct.error, IndexError... for damage
        raise _damaged(name, "XLS") from None
    try:
        sheet = book.sheet_by_index(0)
        for index in range(sheet.nrows):
            yield index + 1, [cell_text(value) for value in sheet.row_values(index)]
    except Exception:
        raise _damaged(name, "XLS") from None
    finally:
        book.release_resources()


def docx_rows(path: Path, name: str) -> Iterator[Row]:
    """The rows of every table in the document, numbered on (a matrix is usually one big table)."""
    from docx import Document

    try:
        document = Document(str(path))
    except Exception:  # python-docx raises many types for a damaged document
        raise _damaged(name, "DOCX") from None
    if not document.tables:
        raise ImportFileError(_("%(file)s holds no table of recommendations.", file=name))
    number = 0
    for table in document.tables:
        for row in table.rows:
            number += 1
            yield number, [cell.text for cell in row.cells]
