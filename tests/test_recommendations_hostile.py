"""Hostile and damaged uploads: refused before they are parsed, in one sentence, on the CLI and the web."""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from crm.auth.models import Role, User
from upr.cli import cli

from .conftest import sign_in
from .real_files import MATRICES, UPR_INFO_XLS

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
