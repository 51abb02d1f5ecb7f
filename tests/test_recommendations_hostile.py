"""Hostile and damaged uploads: refused before they are parsed, in one sentence, on the CLI and the web."""

from __future__ import annotations

import csv
import random
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from crm.auth.models import Role, User
from crm.db import db
from crm.models import Recommendation, Theme
from crm.recommendations.readers import open_table
from crm.text import UNSIZED_COLUMN_LIMIT, has_control_characters
from upr.cli import cli

from .conftest import sign_in
from .real_files import MATRICES, UPR_INFO_XLS, upr_info_recommendations

ZEROS = bytes(1 << 20)
MAC_ROMAN_CSV = "Recommendation,Recommending State,State under Review\nRatify the CAT,Côte d'Ivoire,Cuba\n"


def _bomb(path: Path, main: str, megabytes: int) -> Path:
    """A ZIP of a few hundred kilobytes whose ``main`` member expands to ``megabytes`` MB of zeros."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml" if path.suffix == ".xlsx" else "word/styles.xml", "<x/>")
        with archive.open(main, "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(ZEROS)
    return path


def _bad_name_zip(path: Path) -> Path:
    """A workbook whose directory names a member in broken UTF-8: zipfile raises UnicodeDecodeError."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/é.xml", "<x/>")
    path.write_bytes(path.read_bytes().replace("é".encode(), b"\xc3\x28"))
    return path


def _broken_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")
        archive.writestr("word/document.xml", "<w:document><unclosed")
    return path


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _ole(path: Path, stream: str) -> Path:
    """An OLE2 compound file naming ``stream`` in its directory, the rest garbage."""
    name = stream.encode("utf-16-le")
    return _written(path, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + name + b"\x17" * 3000)


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "bomb.xlsx": (lambda p: _bomb(p, "xl/worksheets/sheet1.xml", 60), "compressed"),
    "bomb.docx": (lambda p: _bomb(p, "word/document.xml", 210), "would expand to 210 MB"),
    "bad-name.xlsx": (_bad_name_zip, "damaged or truncated XLSX/DOCX file"),
    "broken.docx": (_broken_document, "damaged DOCX file"),
    "truncated.docx": (
        lambda p: _written(p, MATRICES["CHN-3"].read_bytes()[:40_000]),
        "damaged or truncated",
    ),
    "corrupt.xls": (lambda p: _ole(p, "Workbook"), "damaged XLS file"),
    "truncated.xls": (lambda p: _written(p, UPR_INFO_XLS.read_bytes()[:30_000]), "damaged XLS file"),
    "word97.doc": (lambda p: _ole(p, "WordDocument"), "save it as a Word Document (.docx)"),
    "mac-roman.csv": (
        lambda p: _written(p, MAC_ROMAN_CSV.encode("mac_roman")),
        'save it as "CSV UTF-8 (Comma delimited)"',
    ),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_or_damaged_file_is_one_sentence_on_the_cli(
    runner: FlaskCliRunner, tmp_path: Path, name: str
) -> None:
    build, message = HOSTILE[name]
    path = build(tmp_path / name)
    started = time.perf_counter()
    result = runner.invoke(cli, ["import", "recommendations", str(path), "--review", "CHN-3"])
    assert time.perf_counter() - started < 1.0
    assert result.exit_code == 1 and message in result.output, result.output
    assert "Traceback" not in result.output and "codec" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_or_damaged_upload_is_refused_with_the_same_sentence(
    client: FlaskClient, make_user: Callable[..., User], tmp_path: Path, name: str
) -> None:
    sign_in(client, make_user(Role.OFFICER))
    build, message = HOSTILE[name]
    path = build(tmp_path / name)
    with path.open("rb") as handle:
        response = client.post(
            "/recommendations/import",
            data={"file": (handle, name), "review": "CHN-3", "file_format": "auto"},
            content_type="multipart/form-data",
        )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message.replace('"', "&#34;") in page or message in page


_MEASURE = """
import resource, sys
from pathlib import Path
from upr.app import create_app
from crm.recommendations.importing import ImportFileError, import_recommendations
app = create_app({"environment": "testing", "database_url": sys.argv[2], "secret_key": "x"})
with app.app_context():
    idle = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        import_recommendations(Path(sys.argv[1]), "CHN-3", dry_run=True)
    except ImportFileError as error:
        print(error)
    print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - idle) // 1024)
"""


@pytest.mark.parametrize("name", ["bomb.xlsx", "bomb.docx"])
def test_a_zip_bomb_costs_no_memory(app: Flask, database_url: str, tmp_path: Path, name: str) -> None:
    path = HOSTILE[name][0](tmp_path / name)
    assert path.stat().st_size < 1 << 20
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path), database_url],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[1],
    )
    message, grown = done.stdout.strip().rsplit("\n", 1)
    assert HOSTILE[name][1] in message
    assert int(grown) < 100  # MB above the idle process


def _as_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def test_a_real_export_with_a_control_character_or_an_oversized_cell_refuses_those_rows_only(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    """Recommendations are written in bulk, past the flush guard of crm.text: the cells are checked first."""
    numbered = list(open_table(UPR_INFO_XLS).rows())
    assert [number for number, _cells in numbered] == list(range(1, len(numbered) + 1))
    rows = [list(cells) for _number, cells in numbered]
    text, issue = rows[0].index("Recommendation"), rows[0].index("Issue")
    # A NUL among the first bytes makes a binary file, not a CSV one; further in, it is a bad cell.
    nul_row, escape_row = 3000, 40
    rows[nul_row - 1][text] = rows[nul_row - 1][text][:10] + "\x00" + rows[nul_row - 1][text][10:]
    rows[escape_row - 1][issue] += "\x1b[8m"
    refused = runner.invoke(cli, ["import", "recommendations", str(_as_csv(tmp_path / "bad.csv", rows))])
    assert refused.exit_code == 1
    assert f"Row {nul_row}: the text cell holds a control character (NUL) at character 11" in refused.output
    assert f"Row {escape_row}: the themes cell holds a control character (U+001B)" in refused.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Recommendation)) == 0

    # One cell longer than any text column takes: a spreadsheet holds at most 32,767 characters a cell and a
    # CSV field 131,072, but a Word table has no limit.
    matrix = docx.Document(str(MATRICES["CHN-3"]))
    first = matrix.tables[0].rows[2]  # the third row of the file: header, theme heading, recommendation
    first.cells[2].add_paragraph(
        "Affected persons: " + "".join(random.Random(14).choices("abcdefgh ", k=10**6))
    )
    matrix.save(str(tmp_path / "long.docx"))
    too_long = runner.invoke(
        cli, ["import", "recommendations", str(tmp_path / "long.docx"), "--review", "CHN-3"]
    )
    assert too_long.exit_code == 1
    assert (
        f"Row 3: the themes cell is too long: at most {UNSIZED_COLUMN_LIMIT:,} characters" in too_long.output
    )

    skipped = runner.invoke(cli, ["import", "recommendations", str(tmp_path / "bad.csv"), "--skip-invalid"])
    assert skipped.exit_code == 0, skipped.output
    bad_rows = {nul_row, escape_row}
    kept = [entry for entry in upr_info_recommendations().values() if set(entry.rows) - bad_rows]
    with app.app_context():
        texts = list(db.session.scalars(select(Recommendation.text)))
        themes = list(db.session.scalars(select(Theme.name)))
    assert len(texts) == len(kept)
    assert not any(has_control_characters(value) for value in (*texts, *themes))
