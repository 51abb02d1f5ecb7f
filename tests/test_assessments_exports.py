"""The mid-term matrix and theme factsheets, written by the CLI and read back in every format."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from flask.testing import FlaskCliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from crm.assessments.matrix import COLUMNS, STATUS_COLOURS
from crm.assessments.services import EvidenceInput, record_assessment
from crm.auth.models import User
from crm.contacts.models import Contact, Organisation, OrganisationKind, SafetyLevel
from crm.db import db
from crm.models import ImplementationStatus, Recommendation
from tests.assessments_data import ANNEX, DETENTIONS, EQUALITY, seed_review
from upr.cli import cli

CHINESE = "《反家庭暴力法》实施情况"
AT_RISK_NAME = "Wang Quanzhang-Secret"
INJECTED_THEME = '=HYPERLINK("http://evil.example")'


@pytest.fixture
def assessed(app: Flask, make_user: Callable[..., User]) -> dict[str, int]:
    """CHN-3 with three assessments, a theme that looks like a formula, and an at-risk contact."""
    author = make_user()
    rows = (
        *ANNEX,
        ("28.135", "Continue extending Chinese laws, regulations and standards", ["KEN"], INJECTED_THEME),
    )
    with app.app_context():
        seeded = seed_review(rows=rows)
        user = db.session.get(User, author.id)
        assert user is not None

        def assess(number: str, status: str, text: str, evidence: list[EvidenceInput] | None = None) -> None:
            rec = db.session.get(Recommendation, seeded.ids[number])
            assert rec is not None
            record_assessment(
                rec,
                status=status,
                assessed_on=date(2026, 3, 1),
                text=text,
                author=user,
                evidence=evidence or [],
            )

        assess(
            "28.83",
            "partial",
            f"Courts applied the law in some cases; see {CHINESE}.",
            [
                EvidenceInput(
                    "court_record", date(2025, 11, 2), "Verdict database", url="https://example.org/verdicts"
                ),
            ],
        )
        assess("28.176", "no_progress", "RSDL still used against lawyers.")
        assess("28.171", "regressed", "Detainees denied counsel.")
        organisation = Organisation(name="Local partner", kind=OrganisationKind.NGO)
        db.session.add(organisation)
        db.session.add(
            Contact(organisation=organisation, full_name=AT_RISK_NAME, safety_level=SafetyLevel.AT_RISK)
        )
        db.session.commit()
        return seeded.ids


def _export(runner: FlaskCliRunner, *args: str) -> str:
    result = runner.invoke(cli, ["export", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_matrix_xlsx_is_grouped_coloured_and_formula_safe(
    runner: FlaskCliRunner, assessed: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "matrix.xlsx"
    output = _export(runner, "matrix", "--review", "CHN-3", "-o", str(path))
    assert "Wrote 7 recommendations of CHN-3" in output
    assert "Recommendations: 7/7" in output  # the CLI's progress line
    sheet = load_workbook(path).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1] == list(COLUMNS)
    themes = [row[0] for row in values[2:] if row[1] is None]
    assert themes == [
        "'" + INJECTED_THEME,
        "Cultural rights and rights of minorities",
        DETENTIONS,
        "Freedom of association and assembly, expression and digital rights",
        EQUALITY,
    ]
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    row_83 = next(row for row in sheet.iter_rows() if str(row[0].value).startswith("28.83 "))
    assert row_83[0].value.endswith("(Sweden)")
    assert CHINESE in row_83[3].value and row_83[3].value.startswith("PARTIAL (ORANGE)")
    assert row_83[3].fill.fgColor.rgb.endswith(STATUS_COLOURS[ImplementationStatus.PARTIAL][0].lstrip("#"))
    all_text = " ".join(str(v) for row in values for v in row if v)
    assert AT_RISK_NAME not in all_text


def test_matrix_docx_has_a_table_per_theme(
    runner: FlaskCliRunner, assessed: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "matrix.docx"
    _export(runner, "matrix", "--review", "CHN-3", "-o", str(path))
    document = Document(str(path))
    assert len(document.tables) == 5
    detentions = document.tables[2]
    assert [c.text for c in detentions.rows[0].cells] == list(COLUMNS)
    assert [row.cells[0].text.split()[0] for row in detentions.rows[1:]] == ["28.170", "28.171", "28.176"]
    regressed = detentions.rows[2].cells[3]
    assert regressed.text.startswith("REGRESSED")
    assert 'w:fill="4A148C"' in regressed._tc.xml
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert CHINESE in text and AT_RISK_NAME not in text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 2")]
    assert headings[2] == DETENTIONS


def test_matrix_csv_and_html(runner: FlaskCliRunner, assessed: dict[str, int], tmp_path: Path) -> None:
    _export(runner, "matrix", "--review", "CHN-3", "-o", str(tmp_path / "m.csv"))
    with (tmp_path / "m.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["Theme", *COLUMNS]
    assert rows[0]["Theme"] == "'" + INJECTED_THEME
    by_number = {row["Recommendation"].split()[0]: row for row in rows}
    assert len(by_number) == 7
    assert by_number["28.176"]["Assessment and status"].startswith("NO PROGRESS (RED)")
    assert (
        "Court record or verdict, 2025-11-02: Verdict database — https://example.org/verdicts"
        in (by_number["28.83"]["Assessment and status"])
    )
    assert by_number["28.201"]["Assessment and status"] == "NOT ASSESSED"

    _export(runner, "matrix", "--review", "CHN-3", "-o", str(tmp_path / "m.html"))

    class Cells(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.tags: list[str] = []
            self.text: dict[str, list[str]] = {"h2": [], "td": [], "th": []}

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            self.tags.append(tag)
            if tag in self.text:
                self.text[tag].append("")

        def handle_endtag(self, tag: str) -> None:
            self.tags.pop()

        def handle_data(self, data: str) -> None:
            for tag in reversed(self.tags):
                if tag in self.text:
                    self.text[tag][-1] += data
                    break

    parser = Cells()
    html = (tmp_path / "m.html").read_text(encoding="utf-8")
    parser.feed(html)
    assert parser.text["h2"][2] == DETENTIONS
    assert parser.text["th"][:4] == list(COLUMNS)
    assert len(parser.text["td"]) == 7 * 4
    assert CHINESE in html and AT_RISK_NAME not in html
    assert "http" not in html.split("<body>")[0]  # no external stylesheet or font


def test_matrix_pdf_renders_chinese(runner: FlaskCliRunner, assessed: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "m.pdf"
    _export(runner, "matrix", "--review", "CHN-3", "-o", str(path))
    # Text extraction breaks lines inside Chinese phrases; joining the lines puts them back.
    text = "".join(page.extract_text() for page in PdfReader(path).pages).replace("\n", "")
    for expected in ("28.83", "28.176", "Detentions", "Regressed", "反家庭暴力法"):
        assert expected in text
    assert AT_RISK_NAME not in text


def test_matrix_refuses_an_empty_review_or_unknown_format(
    runner: FlaskCliRunner, assessed: dict[str, int], tmp_path: Path
) -> None:
    with runner.app.app_context():
        seed_review(code_cycle=4, rows=())
    result = runner.invoke(cli, ["export", "matrix", "--review", "CHN-4", "-o", str(tmp_path / "m.xlsx")])
    assert result.exit_code == 1
    assert "Review CHN-4 has no recommendations yet" in result.output
    assert not (tmp_path / "m.xlsx").exists()
    result = runner.invoke(cli, ["export", "matrix", "--review", "CHN-3", "-o", str(tmp_path / "m.ods")])
    assert result.exit_code == 1 and "use a file name ending .xlsx, .docx, .csv, .html, .pdf" in result.output
    result = runner.invoke(cli, ["export", "matrix", "--review", "CHN-9", "-o", str(tmp_path / "m.csv")])
    assert result.exit_code == 1 and "There is no review CHN-9" in result.output


def test_factsheet_puts_the_most_pressing_first(
    runner: FlaskCliRunner, assessed: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "detentions.docx"
    output = _export(runner, "factsheet", "--review", "CHN-3", "--theme", "detentions", "-o", str(path))
    assert "factsheet with 3 recommendations on detentions" in output
    document = Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == "Detentions: China's UPR cycle 3 recommendations"
    # Regressed, then no progress, then not assessed.
    assert [h.split(" · ")[0] for h in headings[1:]] == ["28.171", "28.176", "28.170"]
    assert (
        "3 recommendations on this theme: 1 not assessed, 1 no progress (red), 1 regressed"
        in document.paragraphs[1].text
    )

    pdf = tmp_path / "equality.pdf"
    _export(runner, "factsheet", "--review", "CHN-3", "--theme", EQUALITY, "-o", str(pdf))
    reader = PdfReader(pdf)
    assert len(reader.pages) <= 2
    text = reader.pages[0].extract_text().replace("\n", "")
    assert "28.83" in text and "反家庭暴力法" in text and "Partial" in text

    result = runner.invoke(
        cli, ["export", "factsheet", "--review", "CHN-3", "--theme", "Water", "-o", str(pdf)]
    )
    assert result.exit_code == 1
    assert "Review CHN-3 has no theme 'Water'. Its themes:" in result.output and DETENTIONS in result.output
