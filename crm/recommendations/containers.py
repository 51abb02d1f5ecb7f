"""Telling what an Office file really is, and refusing a dangerous one before anything reads it.

XLSX and DOCX are ZIP archives. Their central directory (read without decompressing anything) says how
many members there are and how large each becomes once expanded; a "zip bomb" of a few hundred kilobytes
that expands to gigabytes is refused from those numbers alone, in milliseconds and with no memory to speak
of. Python's ``zipfile`` never returns more bytes for a member than the directory declares, so the checked
sizes also bound what the readers can be made to decompress later.

Excel 97-2003 (.xls) and Word 97-2003 (.doc) files are OLE2 compound documents; the name of their main
stream tells them apart.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from flask_babel import gettext as _

from crm.dates import format_number
from crm.recommendations.errors import ImportFileError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# A workbook or document holds a few dozen members; the real OHCHR matrices expand to under 2 MB.
MAX_MEMBERS = 2_000
MAX_EXPANDED_BYTES = 200 << 20
# Word documents are read whole into a tree, which takes several times the XML's size in memory.
MAX_DOCUMENT_BYTES = 50 << 20
# Real members compress 5 to 40 times (the matrices' document.xml: 19 and 32); a bomb, thousands of times.
MAX_RATIO = 150
RATIO_CHECKED_ABOVE = 1 << 20
_OLE_STREAMS = {
    "xls": (b"W\0o\0r\0k\0b\0o\0o\0k\0", b"B\0o\0o\0k\0"),
    "doc": (b"W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0",),
}


def zip_kind(path: Path, name: str) -> str:
    """``xlsx`` or ``docx`` for a ZIP archive whose directory is sound and whose sizes are bounded."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except Exception:  # zipfile raises BadZipFile, OSError, EOFError, UnicodeDecodeError... for damage
        raise ImportFileError(
            _(
                "%(file)s is a damaged or truncated XLSX/DOCX file; open it and save it again, then retry.",
                file=name,
            )
        ) from None
    if len(members) > MAX_MEMBERS:
        raise ImportFileError(
            _(
                "%(file)s holds %(count)s files inside; a workbook or document has far fewer, so it is "
                "refused unread.",
                file=name,
                count=format_number(len(members)),
            )
        )
    expanded = sum(member.file_size for member in members)
    if expanded > MAX_EXPANDED_BYTES:
        raise ImportFileError(
            _(
                "%(file)s would expand to %(size)s MB (at most %(limit)s MB); split it and import the parts.",
                file=name,
                size=format_number(round(expanded / 2**20)),
                limit=MAX_EXPANDED_BYTES >> 20,
            )
        )
    for member in members:
        if member.file_size > RATIO_CHECKED_ABOVE and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ImportFileError(
                _(
                    "%(file)s is compressed %(ratio)s times over (%(member)s); no real export is, so it is "
                    "refused unread.",
                    file=name,
                    ratio=format_number(member.file_size // max(member.compress_size, 1)),
                    member=member.filename,
                )
            )
    names = {member.filename for member in members}
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "word/document.xml" in names:
        document = next(member for member in members if member.filename == "word/document.xml")
        if document.file_size > MAX_DOCUMENT_BYTES:
            raise ImportFileError(
                _(
                    "%(file)s is a Word document of %(size)s MB once expanded (at most %(limit)s MB); split "
                    "the table into several documents.",
                    file=name,
                    size=format_number(round(document.file_size / 2**20)),
                    limit=MAX_DOCUMENT_BYTES >> 20,
                )
            )
        return "docx"
    raise ImportFileError(_("%(file)s is a ZIP archive, not a spreadsheet or a Word document.", file=name))


def ole_kind(path: Path, name: str) -> str:
    """``xls`` for an Excel 97-2003 workbook; a Word 97-2003 document or anything else is refused.

    A file cut short may have lost its directory (written last): its name says what it was meant to be.
    """
    data = path.read_bytes()
    suffix = Path(name).suffix.lower()
    if any(stream in data for stream in _OLE_STREAMS["xls"]) or suffix == ".xls":
        return "xls"
    if any(stream in data for stream in _OLE_STREAMS["doc"]) or suffix == ".doc":
        raise ImportFileError(
            _(
                "%(file)s is a Word 97-2003 document (.doc); open it in Word, save it as a Word Document "
                "(.docx) and import that.",
                file=name,
            )
        )
    raise ImportFileError(
        _(
            "%(file)s is an Office 97-2003 file that is neither an Excel workbook nor a Word document.",
            file=name,
        )
    )
