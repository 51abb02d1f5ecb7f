"""Translations imported beside the original words: ``upr import recommendations FILE --translations LANG``.

There is no real non-English UHRI export among the field's files, so the test file is built here from a
real English one: Slovenia's 2019 recommendations as the OHCHR matrix ``ohchr-matrix-svn-3.docx`` gives
them are imported, then written into UHRI's sixteen columns as a French export would hold them (the State
under Review and the recommending states in their French UN names, the session of the review's cycle, the
document symbol), with a marked test wording in place of OHCHR's French text. Nothing here is a real French
translation.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

from babel.dates import format_skeleton
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from markupsafe import escape
from openpyxl import Workbook
from sqlalchemy import func, select

from crm.auth.models import Role, User
from crm.dates import today
from crm.db import db
from crm.models import Recommendation, Review
from crm.recommendations.models import RecommendationTranslation
from crm.reviews.services import cycle_of_session
from crm.state_names import NAMES_FILE
from tests.conftest import sign_in
from tests.real_files import MATRICES
from tests.test_recommendations_layouts import UHRI_HEADER
from upr.cli import cli

MARK = "[texte d'essai, pas une traduction réelle]"


def _french_short(code: str) -> str:
    with NAMES_FILE.open(encoding="utf-8", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["alpha3"] == code)
    return row["fr_short"].split(" (")[0]


def _import_the_english_original(runner: FlaskCliRunner) -> None:
    result = runner.invoke(cli, ["import", "recommendations", str(MATRICES["SVN-3"]), "--review", "SVN-3"])
    assert result.exit_code == 0, result.output


def _originals(app: Flask) -> list[tuple[int, str, str, str, list[str]]]:
    with app.app_context():
        recs = db.session.scalars(select(Recommendation).order_by(Recommendation.sort_key)).all()
        return [(r.id, r.number or "", r.text, r.response_source, r.recommending_codes) for r in recs]


def _uhri_row(
    number: str, text: str, under_review: str, symbol: str, *, session: str, states: str
) -> list[str]:
    values = dict.fromkeys(UHRI_HEADER, "")
    values |= {
        "Text": f"{number} {text}",
        "Countries Concerned": under_review,
        "Reccomending Body": "UPR",
        "Document Symbol": symbol,
        "UPR Reccomending States": states,
        "UPR Session": session,
        "Type": "Recommendation",
    }
    return [values[column] for column in UHRI_HEADER]


def _write(path: Path, rows: list[list[str]]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(UHRI_HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _session_of_cycle(cycle: int) -> str:
    return str(next(s for s in range(1, 100) if cycle_of_session(s) == cycle))


def _translations(app: Flask) -> dict[int, RecommendationTranslation]:
    with app.app_context():
        found = db.session.scalars(select(RecommendationTranslation)).all()
        db.session.expunge_all()
        return {t.recommendation_id: t for t in found}


def _french_file(app: Flask, path: Path) -> tuple[Path, list[tuple[int, str, str, str, list[str]]]]:
    originals = _originals(app)
    session = _session_of_cycle(3)
    rows = [
        _uhri_row(
            number,
            # UHRI ends the text with the recommending states in brackets, in the export's language.
            f"{MARK} {text} ({', '.join(_french_short(code) for code in codes)})",
            _french_short("SVN"),
            symbol,
            session=session,
            states="\n".join(_french_short(code) for code in codes),
        )
        for _id, number, text, symbol, codes in originals
    ]
    return _write(path, rows), originals


def test_a_french_uhri_export_adds_each_row_as_the_translation_of_its_recommendation(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _import_the_english_original(runner)
    path, originals = _french_file(app, tmp_path / "uhri-fr.xlsx")
    assert originals
    dry = runner.invoke(cli, ["import", "recommendations", str(path), "--translations", "fr", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Would import" in dry.output and not _translations(app)
    result = runner.invoke(cli, ["import", "recommendations", str(path), "--translations", "fr"])
    assert result.exit_code == 0, result.output
    # Every row of the file is reported, by its row number (the header is row 1).
    for row, (_id, number, *_rest) in enumerate(originals, start=2):
        assert f"Row {row}: SVN-3 {number}, translation added." in result.output
    held = _translations(app)
    assert set(held) == {rec_id for rec_id, *_rest in originals}
    for rec_id, _number, text, *_rest in originals:
        assert held[rec_id].language == "fr" and held[rec_id].text == f"{MARK} {text}"
        assert held[rec_id].source == "uhri-fr.xlsx"
    # Nothing was created and the originals keep their words.
    assert _originals(app) == originals
    with app.app_context():
        assert db.session.scalar(select(func.count(Review.id))) == 1
    again = runner.invoke(cli, ["import", "recommendations", str(path), "--translations", "fr"])
    assert (
        f"{len(originals)} rows, 0 added, 0 updated, {len(originals)} already there, 0 unmatched"
        in again.output
    )


def test_rows_that_match_nothing_are_listed_with_their_number_and_why(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _import_the_english_original(runner)
    originals = _originals(app)
    (first_id, first, text, symbol, _codes), (second_id, second, *_rest) = originals[0], originals[1]
    session = _session_of_cycle(3)
    path = _write(
        tmp_path / "mixed.xlsx",
        [
            _uhri_row(
                first, "Texte modifié", _french_short("SVN"), symbol, session=session, states="x"
            ),  # row 2: updated
            _uhri_row(
                "99.999", "Texte", _french_short("SVN"), symbol, session=session, states="x"
            ),  # row 3: no such number
            # Row 4: no State or session, found by the document symbol and the paragraph.
            _uhri_row(second, "Par le symbole", "", symbol, session="", states="x"),
            _uhri_row(
                first, "Encore", _french_short("SVN"), symbol, session=session, states="x"
            ),  # row 5: a second time
            _uhri_row(
                "1.1", "Texte", "Atlantide", "A/HRC/1/1", session=session, states="x"
            ),  # row 6: unknown State
        ],
    )
    with app.app_context():
        db.session.add(
            RecommendationTranslation(recommendation_id=first_id, language="fr", text=text, source="x")
        )
        db.session.commit()
    result = runner.invoke(cli, ["import", "recommendations", str(path), "--translations", "fr"])
    assert result.exit_code == 0, result.output
    assert f"Row 2: SVN-3 {first}, already translated: updated." in result.output
    assert "Row 3: unmatched, SVN-3 has no recommendation 99.999." in result.output
    assert f"Row 4: SVN-3 {second}, translation added." in result.output
    assert f"Row 5: unmatched, row 2 already gives the translation of SVN-3 {first}." in result.output
    assert "Row 6: unmatched, the State under Review Atlantide is not known." in result.output
    held = _translations(app)
    assert (held[first_id].text, held[first_id].source) == ("Texte modifié", "mixed.xlsx")
    assert held[second_id].text == "Par le symbole"
    assert "5 rows, 1 added, 1 updated, 0 already there, 3 unmatched" in result.output


def test_a_bad_language_or_file_writes_nothing(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    _import_the_english_original(runner)
    path, _ = _french_file(app, tmp_path / "uhri-fr.xlsx")
    result = runner.invoke(cli, ["import", "recommendations", str(path), "--translations", "de"])
    assert result.exit_code != 0 and "is not one of the UN's six languages" in result.output
    mixed = runner.invoke(
        cli, ["import", "recommendations", str(path), "--translations", "fr", "--review", "SVN-3"]
    )
    assert mixed.exit_code != 0 and "takes no other option than --dry-run" in mixed.output
    matrix = runner.invoke(cli, ["import", "recommendations", str(MATRICES["SVN-3"]), "--translations", "fr"])
    assert matrix.exit_code != 0 and "Nothing was imported" in matrix.output
    assert not _translations(app)


def test_the_recommendation_page_shows_the_translation_below_the_original_in_the_reader_s_language(
    app: Flask, runner: FlaskCliRunner, admin_client: FlaskClient, tmp_path: Path
) -> None:
    _import_the_english_original(runner)
    path, originals = _french_file(app, tmp_path / "uhri-fr.xlsx")
    assert runner.invoke(cli, ["import", "recommendations", str(path), "--translations", "fr"]).exit_code == 0
    rec_id, _number, text, *_rest = originals[0]
    url = f"/recommendations/{rec_id}/who-to-brief"
    french = admin_client.get(url, headers={"Accept-Language": "fr"}).get_data(as_text=True)
    shown = escape(text.split("\n")[0][:60]), escape(MARK)
    original_at, translation_at = french.find(shown[0]), french.find(shown[1])
    assert -1 < original_at < translation_at
    assert 'class="translation" lang="fr"' in french and "uhri-fr.xlsx" in french
    assert format_skeleton("yMMMd", today(), locale="fr") in french  # when it was imported, in French
    english = admin_client.get(url, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert shown[1] not in english and shown[0] in english


def _upload(client: FlaskClient, path: Path, language: str) -> str:
    with path.open("rb") as handle:
        response = client.post(
            "/recommendations/import/translations",
            data={"file": (handle, path.name), "language": language},
            content_type="multipart/form-data",
        )
    return response.get_data(as_text=True) + f"\n<!-- status {response.status_code} -->"


def test_translations_are_imported_from_the_browser_after_a_preview(
    app: Flask, runner: FlaskCliRunner, admin_client: FlaskClient, tmp_path: Path
) -> None:
    _import_the_english_original(runner)
    path, originals = _french_file(app, tmp_path / "uhri-fr.xlsx")
    start = admin_client.get("/recommendations/import").get_data(as_text=True)
    assert 'href="/recommendations/import/translations"' in start
    form = admin_client.get("/recommendations/import/translations").get_data(as_text=True)
    assert 'value="fr"' in form and "中文 (zh)" in form and "العربية (ar)" in form
    preview = _upload(admin_client, path, "fr")
    assert "status 200" in preview and "nothing written yet" in preview
    summary = f"{len(originals)} rows, {len(originals)} added, 0 updated, 0 already there, 0 unmatched"
    assert summary in preview
    assert not _translations(app)  # a preview writes nothing
    upload = re.search(r'name="upload" value="([^"]+)"', preview)
    assert upload is not None
    done = admin_client.post(
        "/recommendations/import/translations/confirm",
        data={"upload": upload.group(1), "file_name": path.name, "language": "fr"},
    )
    assert done.status_code == 200 and summary in done.get_data(as_text=True)
    held = _translations(app)
    assert set(held) == {rec_id for rec_id, *_rest in originals}
    assert {t.language for t in held.values()} == {"fr"} and {t.source for t in held.values()} == {path.name}
    assert _originals(app) == originals
    again = admin_client.post(
        "/recommendations/import/translations/confirm",
        data={"upload": upload.group(1), "file_name": path.name, "language": "fr"},
    )
    assert again.status_code == 400 and "upload the file again" in again.get_data(as_text=True)


def test_a_file_that_is_no_uhri_export_is_refused_in_the_browser_and_nothing_is_written(
    app: Flask, runner: FlaskCliRunner, admin_client: FlaskClient, client: FlaskClient, tmp_path: Path
) -> None:
    _import_the_english_original(runner)
    refused = _upload(admin_client, MATRICES["SVN-3"], "fr")
    assert "status 400" in refused and "Nothing was imported" in refused
    assert not _translations(app)
    forged = admin_client.post(
        "/recommendations/import/translations/confirm",
        data={"upload": "../../etc/passwd", "file_name": "x", "language": "fr"},
    )
    assert forged.status_code == 400


def test_viewers_may_not_import_translations(client: FlaskClient, make_user: Callable[..., User]) -> None:
    sign_in(client, make_user(Role.VIEWER))
    assert client.get("/recommendations/import/translations").status_code == 403
