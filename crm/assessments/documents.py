"""Pieces the document exports share: Word styling, traffic-light fills and HTML-to-PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from flask_babel import gettext as _

# Chinese names and quotations must render: Noto CJK is installed with the app (see scripts/test.sh).
FONT = "Noto Sans"
CJK_FONT = "Noto Sans CJK SC"


class UnsupportedFormat(ValueError):
    pass


def unsupported(path: Path, allowed: tuple[str, ...]) -> UnsupportedFormat:
    return UnsupportedFormat(
        _(
            "Cannot write %(file)s: use a file name ending %(endings)s.",
            file=path.name,
            endings=", ".join(allowed),
        )
    )


def new_document(*, landscape: bool = False) -> Any:
    """A Word document whose body text falls back to a CJK font for Chinese characters."""
    from docx.enum.section import WD_ORIENT

    document = Document()
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(9.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    if landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    return document


def shade(cell: Any, fill: str, ink: str | None = None) -> None:
    """Give a Word table cell a background colour (python-docx has no API for it)."""
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill.lstrip("#"))
    properties.append(shading)
    if ink:
        from docx.shared import RGBColor

        for paragraph in cell.paragraphs:
            for run in paragraph.runs:
                run.font.color.rgb = RGBColor.from_string(ink.lstrip("#"))


def write_cell(cell: Any, text: str, *, bold_first_line: bool = False) -> None:
    """Fill a cell with one paragraph per line of ``text``."""
    lines = text.split("\n")
    cell.text = ""
    for index, line in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        run = paragraph.add_run(line)
        run.bold = bold_first_line and index == 0


def html_to_pdf(html: str, path: Path) -> None:
    from weasyprint import HTML

    # No base URL: the printable pages are self-contained and must never fetch anything.
    HTML(string=html).write_pdf(path)
