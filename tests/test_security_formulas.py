"""Formula cells are neutralised in every CSV and XLSX the app writes, after spaces and line breaks too."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from crm.contacts.models import Contact, Organisation, OrganisationKind
from crm.db import db
from crm.models import Recommendation, Review
from crm.tabular import safe_cell
from upr.cli import cli

# Spreadsheets skip spaces and line breaks before a formula; each of these would run in one.
HOSTILE = [
    '=HYPERLINK("http://evil.example")',
    " =1+1",
    "   +cmd|' /C calc'!A0",
    "\n=2+3",
    "\t=2+3",
    "\r@SUM(A1:A2)",
    " -2+3",
    "\u00a0=1+1",
]
HARMLESS = ["Ratify the ICCPR", "28.1", "a = b", "e-mail: x@y.org", ""]


@pytest.mark.parametrize("value", HOSTILE)
def test_a_formula_like_cell_gets_an_apostrophe(value: str) -> None:
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", HARMLESS)
def test_other_cells_are_left_alone(value: str) -> None:
    assert safe_cell(value) == value
    assert safe_cell(12) == 12


def _plant(app: Flask) -> None:
    with app.app_context():
        # In the review the export below writes.
        recs = db.session.scalars(
            select(Recommendation)
            .join(Review)
            .where(Review.state_code == "CHN", Review.cycle == 3)
            .order_by(Recommendation.id)
            .limit(len(HOSTILE))
        ).all()
        for rec, value in zip(recs, HOSTILE, strict=True):
            rec.text = value
        organisation = Organisation(
            name=" =1+2 Mission", kind=OrganisationKind.MISSION_GENEVA, state_code="SWE"
        )
        db.session.add(Contact(organisation=organisation, full_name="\n=2+2", title=" @SUM(1)"))
        db.session.commit()


@pytest.fixture
def planted(app: Flask) -> Flask:
    runner = app.test_cli_runner()
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    _plant(app)
    return app


PLANTED = [*HOSTILE, " =1+2 Mission", "\n=2+2", " @SUM(1)"]


def _unsafe(cells: list[object]) -> list[object]:
    return [c for c in cells if isinstance(c, str) and c in PLANTED]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_recommendation_and_contact_exports(planted: Flask, tmp_path: Path, suffix: str) -> None:
    runner = planted.test_cli_runner()
    for what in ("recommendations", "contacts"):
        out = tmp_path / f"{what}{suffix}"
        arguments = ["--review", "CHN-3", "-o", str(out)] if what == "recommendations" else [str(out)]
        result = runner.invoke(cli, ["export", what, *arguments])
        assert result.exit_code == 0, result.output
        if suffix == ".csv":
            cells: list[object] = [c for row in csv.reader(out.open(encoding="utf-8-sig")) for c in row]
        else:
            workbook = load_workbook(out)
            cells = [c.value for sheet in workbook for row in sheet.iter_rows() for c in row]
            assert all(c.data_type != "f" for sheet in workbook for row in sheet.iter_rows() for c in row)
        assert _unsafe(cells) == [], what
        assert any(isinstance(c, str) and c.startswith("'") for c in cells), what


def test_the_web_contact_export(planted: Flask, admin_client: FlaskClient) -> None:
    text = admin_client.get("/contacts/export.csv").get_data(as_text=True)
    cells = [c for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for c in row]
    assert _unsafe(cells) == []
    assert "'\n=2+2" in cells


def test_the_mid_term_matrix(planted: Flask, tmp_path: Path) -> None:
    runner = planted.test_cli_runner()
    for suffix in (".csv", ".xlsx"):
        out = tmp_path / f"matrix{suffix}"
        result = runner.invoke(cli, ["export", "matrix", "--review", "CHN-3", "-o", str(out)])
        assert result.exit_code == 0, result.output
        if suffix == ".csv":
            cells: list[object] = [c for row in csv.reader(out.open(encoding="utf-8-sig")) for c in row]
        else:
            cells = [c.value for row in load_workbook(out).active.iter_rows() for c in row]
        assert not any(isinstance(c, str) and c.lstrip().startswith(("=", "+", "-", "@")) for c in cells)
