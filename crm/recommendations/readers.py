"""Reading the rows of a CSV, XLSX, XLS or DOCX file, whatever encoding Excel or a database gave it.

Every reader yields ``(row_number, cells)`` where ``row_number`` counts records the way a spreadsheet
shows them (the header is row 1), so a message can point at the right line even when a quoted cell spans
several lines of the file. Files are read lazily: nothing here holds more than one row in memory.
"""

from __future__ import annotations

import codecs
import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

from crm.recommendations.containers import OLE_MAGIC, ZIP_MAGIC, ole_kind, zip_kind
from crm.recommendations.errors import ImportFileError
from crm.recommendations.sheets import Row, docx_rows, xls_rows, xlsx_rows

SNIFF_BYTES = 8192
_CHUNK = 1 << 20
_BINARY_SUFFIXES = {".xlsx", ".docx", ".xls", ".doc"}
# In Mac Roman (and other 8-bit encodings than Windows-1252), accented letters sit where Windows-1252
# keeps rare signs: "Côte" written on a Mac reads "C™te". A letter on both sides of such a sign means
# the file is not Windows-1252, and guessing would garble every accented name.
_NOT_CP1252 = re.compile(
    r"[^\W\d_][\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    r"\u2020\u2021\u2030\u2039\u203a\u2122\u201a\u201e\u2013\u2014][^\W\d_]"
)

__all__ = ["ImportFileError", "Row", "TableSource", "detect_encoding", "open_table"]


@dataclass(frozen=True)
class TableSource:
    """A readable table: its kind (csv, xlsx, xls or docx) and, for text, the encoding it was written in."""

    path: Path
    kind: str
    encoding: str = "utf-8"
    name: str = ""

    def rows(self) -> Iterator[Row]:
        name = self.name or self.path.name
        if self.kind == "csv":
            return _csv_rows(self.path, self.encoding)
        if self.kind == "xlsx":
            return xlsx_rows(self.path, name)
        if self.kind == "xls":
            return xls_rows(self.path, name)
        return docx_rows(self.path, name)


def open_table(path: Path, display_name: str | None = None) -> TableSource:
    """Look at the file's bytes (never just its name) and decide how to read it."""
    name = display_name or path.name
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip():
        raise ImportFileError(_("%(file)s is empty.", file=name))
    suffix = Path(name).suffix.lower()
    if head.startswith(ZIP_MAGIC):
        kind = zip_kind(path, name)
    elif head.startswith(OLE_MAGIC):
        kind = ole_kind(path, name)
    elif suffix in _BINARY_SUFFIXES:
        raise ImportFileError(
            _(
                "%(file)s is not a valid %(kind)s file (it may be truncated or renamed).",
                file=name,
                kind=suffix[1:].upper(),
            )
        )
    else:
        return TableSource(path, "csv", detect_encoding(path, name, head), name)
    if suffix != f".{kind}":
        raise ImportFileError(
            _(
                "%(file)s is really a %(kind)s file; rename it to end in .%(suffix)s if that is what you "
                "meant.",
                file=name,
                kind=kind.upper(),
                suffix=kind,
            )
        )
    return TableSource(path, kind, name=name)


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
        raise ImportFileError(_("%(file)s is a binary file, not a CSV file.", file=name))
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
                        _(
                            "%(file)s mixes encodings: it is UTF-8 up to line %(line)s, which is not; "
                            "save the whole file again as UTF-8.",
                            file=name,
                            line=line,
                        )
                    ) from None
                return _check_cp1252(path, name)
            saw_multibyte = saw_multibyte or _has_multibyte(chunk)
            offset += len(chunk)
    return "utf-8"


def _has_multibyte(data: bytes) -> bool:
    return not data.isascii()


def _line_of(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        return handle.read(offset).count(b"\n") + 1


def _check_cp1252(path: Path, name: str) -> str:
    decoder = codecs.getincrementaldecoder("cp1252")()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError:
                text = ""
            if not text or _NOT_CP1252.search(text):
                raise ImportFileError(
                    _(
                        "%(file)s is written in Mac Roman or another 8-bit encoding that cannot be told "
                        'apart safely; open it in Excel (or LibreOffice) and save it as "CSV UTF-8 (Comma '
                        'delimited)", then import that file.',
                        file=name,
                    )
                ) from None
    return "cp1252"


def _csv_rows(path: Path, encoding: str) -> Iterator[Row]:
    with path.open(encoding=encoding, newline="") as handle:
        sample = handle.read(SNIFF_BYTES)
        handle.seek(0)
        delimiter = _delimiter(sample)
        number = 0  # the last row read
        try:
            # A NUL further in than the sniffed start is a bad cell of one row, refused by the importer.
            for number, cells in enumerate(csv.reader(handle, delimiter=delimiter), 1):
                yield number, cells
        except csv.Error as error:
            raise ImportFileError(
                _("Row %(row)s cannot be read as CSV (%(error)s).", row=number + 1, error=error)
            ) from None


def _delimiter(sample: str) -> str:
    """Excel writes tab-separated "Unicode text" and, in some locales, semicolons; default is a comma."""
    first_line = sample.split("\n", 1)[0]
    counts = {sep: first_line.count(sep) for sep in (",", "\t", ";")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","
