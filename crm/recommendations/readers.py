"""Reading the rows of a CSV, XLSX or DOCX file, whatever encoding Excel or a database gave it.

Every reader yields ``(row_number, cells)`` where ``row_number`` counts records the way a spreadsheet
shows them (the header is row 1), so a message can point at the right line even when a quoted cell spans
several lines of the file. Files are read lazily: nothing here holds more than one row in memory.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

Row = tuple[int, list[str]]

SNIFF_BYTES = 8192
_CHUNK = 1 << 20


class ImportFileError(ValueError):
    """The file as a whole cannot be read; the message is one sentence for the person who chose it."""


@dataclass(frozen=True)
class TableSource:
    """A readable table: its kind (csv, xlsx or docx) and, for text, the encoding it was written in."""

    path: Path
    kind: str
    encoding: str = "utf-8"

    def rows(self) -> Iterator[Row]:
        if self.kind == "csv":
            return _csv_rows(self.path, self.encoding)
        if self.kind == "xlsx":
            return _xlsx_rows(self.path)
        return _docx_rows(self.path)


def open_table(path: Path, display_name: str | None = None) -> TableSource:
    """Look at the file's bytes (never just its name) and decide how to read it."""
    name = display_name or path.name
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise ImportFileError(f"{name} is empty.")
    suffix = Path(name).suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return _zip_source(path, name, suffix)
    if suffix in {".xlsx", ".docx"}:
        raise ImportFileError(
            f"{name} is not a valid {suffix[1:].upper()} file (it may be truncated or renamed)."
        )
    return TableSource(path, "csv", detect_encoding(path, name, head))


def _zip_source(path: Path, name: str, suffix: str) -> TableSource:
    try:
        with zipfile.ZipFile(path) as archive:
            members = set(archive.namelist())
            broken = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError):
        raise ImportFileError(
            f"{name} is a damaged or truncated XLSX/DOCX file; save it again and retry."
        ) from None
    if broken is not None:
        raise ImportFileError(f"{name} is a damaged or truncated XLSX/DOCX file ({broken} is unreadable).")
    kind = "xlsx" if "xl/workbook.xml" in members else "docx" if "word/document.xml" in members else ""
    if not kind:
        raise ImportFileError(f"{name} is a ZIP archive, not a spreadsheet or a Word document.")
    if suffix != f".{kind}":
        raise ImportFileError(
            f"{name} is really a {kind.upper()} file; rename it to end in .{kind} if that is what you meant."
        )
    return TableSource(path, kind)


def detect_encoding(path: Path, name: str, head: bytes) -> str:
    """UTF-16 and UTF-8 by their byte-order mark; otherwise UTF-8 if every byte decodes, else Windows-1252.

    A file that is partly valid UTF-8 and partly not was pasted together from two sources; guessing would
    silently garble one half, so it is refused with the line where the change happens.
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if b"\x00" in head:
        raise ImportFileError(f"{name} is a binary file, not a CSV file.")
    decoder = codecs.getincrementaldecoder("utf-8")()
    saw_multibyte = False
    offset = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                if saw_multibyte or _has_multibyte(chunk[: error.start]):
                    line = _line_of(path, offset + error.start)
                    raise ImportFileError(
                        f"{name} mixes encodings: it is UTF-8 up to line {line}, which is not; "
                        "save the whole file again as UTF-8."
                    ) from None
                return _check_cp1252(path, name)
            saw_multibyte = saw_multibyte or _has_multibyte(chunk)
            offset += len(chunk)
    return "utf-8"


def _has_multibyte(data: bytes) -> bool:
    return any(byte >= 0x80 for byte in data)


def _line_of(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        return handle.read(offset).count(b"\n") + 1


def _check_cp1252(path: Path, name: str) -> str:
    decoder = codecs.getincrementaldecoder("cp1252")()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                raise ImportFileError(f"{name} is neither UTF-8, UTF-16 nor Windows-1252 text.") from None
    return "cp1252"


def _csv_rows(path: Path, encoding: str) -> Iterator[Row]:
    with path.open(encoding=encoding, newline="") as handle:
        sample = handle.read(SNIFF_BYTES)
        handle.seek(0)
        delimiter = _delimiter(sample)
        reader = csv.reader(handle, delimiter=delimiter)
        number = 0
        while True:
            number += 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                raise ImportFileError(f"Row {number} cannot be read as CSV ({error}).") from None
            if "\x00" in "".join(cells):
                raise ImportFileError(f"Row {number} holds binary data; this is not a CSV file.")
            yield number, cells


def _delimiter(sample: str) -> str:
    """Excel writes tab-separated "Unicode text" and, in some locales, semicolons; default is a comma."""
    first_line = sample.split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _xlsx_rows(path: Path) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged workbook
        raise ImportFileError(
            f"{path.name} cannot be opened as a workbook ({type(error).__name__})."
        ) from None
    try:
        sheet = workbook.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell_text(v) for v in values]
    finally:
        workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _docx_rows(path: Path) -> Iterator[Row]:
    """The rows of the first table whose first row looks like a header (a matrix has one big table)."""
    from docx import Document

    try:
        document = Document(str(path))
    except Exception as error:  # python-docx raises many types for a damaged document
        raise ImportFileError(
            f"{path.name} cannot be opened as a Word document ({type(error).__name__})."
        ) from None
    if not document.tables:
        raise ImportFileError(f"{path.name} holds no table of recommendations.")
    number = 0
    for table in document.tables:
        for row in table.rows:
            number += 1
            yield number, [cell.text for cell in row.cells]
