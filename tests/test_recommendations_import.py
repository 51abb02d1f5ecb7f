"""Importing the real export layouts: formats, encodings, states, responses, atomicity, bad input."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import func, select

from crm.db import db
from crm.models import Recommendation, Response, Review, Theme
from crm.recommendations.importing import ImportFileError, import_recommendations
from crm.recommendations.models import RecommendationLink, ResponseChange
from upr.cli import cli

SAMPLES = Path(__file__).parent / "samples" / "recommendations"
UPR_INFO_FILES = [
    "upr-info-chn3.csv",
    "upr-info-chn3-cp1252.csv",
    "upr-info-chn3-utf16.csv",
    "upr-info-chn3.xlsx",
]


def _recommendation(number: str) -> Recommendation:
    rec = db.session.scalar(select(Recommendation).where(Recommendation.number == number))
    assert rec is not None, number
    return rec


def _count() -> int:
    return db.session.scalar(select(func.count(Recommendation.id))) or 0


@pytest.mark.parametrize("name", UPR_INFO_FILES)
def test_upr_info_export_in_every_encoding(app: Flask, name: str) -> None:
    with app.app_context():
        report = import_recommendations(SAMPLES / name, "CHN-3")
        db.session.commit()
        assert report.format_label == "UPR Info database export"
        assert (report.added, report.problem_count) == (11, 0)
        joint = _recommendation("28.1")
        # Czech Republic → Czechia, Türkiye and Iran's UN name, in the printed order.
        assert joint.recommending_codes == ["CZE", "IRN", "TUR"]
        assert "as previously recommended,\nand bring" in joint.text
        assert _recommendation("28.2").recommending_codes == ["TUR", "CIV"]
        assert _recommendation("28.90").recommending_codes == ["GBR", "MDA", "PSE"]
        assert _recommendation("28.60").recommending_codes == ["BOL"]
        noted = _recommendation("28.201")
        assert (noted.response, noted.response_raw) == (Response.NOTED, "Noted")
        assert noted.action_category == 5
        assert [t.name for t in _recommendation("28.205").themes] == ["Freedom of expression", "Hong Kong"]
        # No category in the file: inferred from the leading verb; "within two years" is time-bound.
        women = _recommendation("28.90")
        assert women.action_category == 5 and women.is_time_bound and women.is_measurable
        assert _recommendation("28.221").is_continue_form
        review = db.session.scalar(select(Review).where(Review.state_code == "CHN", Review.cycle == 3))
        assert review is not None


def test_uhri_export_links_to_the_earlier_cycle(app: Flask) -> None:
    with app.app_context():
        import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        report = import_recommendations(SAMPLES / "uhri-chn4.csv", "CHN-4")
        db.session.commit()
        assert (report.added, report.problem_count) == (5, 0)
        repeated = _recommendation("161.25")
        assert repeated.response_source == "A/HRC/56/6"
        assert repeated.affected_persons == "media;human rights defenders"
        assert _recommendation("161.72").response is Response.NOT_SUPPORTED
        assert _recommendation("161.72").recommending_codes == ["ISL", "NOR"]
        partial = _recommendation("161.80")
        assert (partial.response, partial.response_raw) == (Response.SUPPORTED_IN_PART, "Partially supported")
        linked = db.session.scalars(
            select(RecommendationLink.similar_id).where(RecommendationLink.recommendation_id == repeated.id)
        ).all()
        assert _recommendation("28.201").id in linked
        assert report.links >= 1


@pytest.mark.parametrize("name", ["matrix-chn3.docx", "matrix-chn3.xlsx"])
def test_ohchr_matrix_splits_its_composite_cells(app: Flask, name: str) -> None:
    with app.app_context():
        report = import_recommendations(SAMPLES / name, "CHN-3")
        db.session.commit()
        assert (report.added, report.problem_count) == (3, 0)
        first = _recommendation("28.1")
        assert first.text.startswith("Consider ratifying") and not first.text.endswith(")")
        assert first.recommending_codes == ["CZE", "IRN"]
        assert first.response_source == "A/HRC/40/6/Add.1"
        assert [t.name for t in first.themes] == ["Acceptance of international norms"]
        assert _recommendation("28.164").affected_persons == "persons deprived of their liberty"


def test_generic_csv_with_a_column_map(runner: FlaskCliRunner, app: Flask) -> None:
    result = runner.invoke(
        cli,
        [
            "import",
            "recommendations",
            str(SAMPLES / "generic-mapped.csv"),
            "--review",
            "CHN-3",
            "--map",
            "Rec no=number",
            "--map",
            "Recommendation text=text",
            "--map",
            "From=recommending_states",
            "--map",
            "Government position=response",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "4 added" in result.output
    unmapped = runner.invoke(
        cli, ["import", "recommendations", str(SAMPLES / "generic-mapped.csv"), "--review", "CHN-3"]
    )
    assert unmapped.exit_code != 0 and "--map" in unmapped.output
    bad_field = runner.invoke(
        cli,
        [
            "import",
            "recommendations",
            str(SAMPLES / "generic-mapped.csv"),
            "--review",
            "CHN-3",
            "--map",
            "From=sender",
        ],
    )
    assert bad_field.exit_code != 0 and "'sender' is not a field" in bad_field.output


def test_same_file_twice_changes_nothing_and_a_new_response_keeps_history(app: Flask, tmp_path: Path) -> None:
    with app.app_context():
        import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        db.session.commit()
        before = _recommendation("28.201").updated_at
        again = import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        db.session.commit()
        assert (again.added, again.updated, again.unchanged) == (0, 0, 11)
        assert _recommendation("28.201").updated_at == before
        assert db.session.scalar(select(func.count(Theme.id))) == len(
            set(db.session.scalars(select(Theme.name)))
        )

        changed = tmp_path / "changed.csv"
        text = (SAMPLES / "upr-info-chn3.csv").read_text(encoding="utf-8")
        changed.write_text(
            text.replace(
                'law",28.201,Sweden,China,31,3,Noted', 'law",28.201,Sweden,China,31,3,Supported in part'
            ),
            encoding="utf-8",
        )
        report = import_recommendations(changed, "CHN-3")
        db.session.commit()
        assert (report.updated, report.unchanged, report.response_changes) == (1, 10, 1)
        rec = _recommendation("28.201")
        assert rec.response is Response.SUPPORTED_IN_PART
        history = db.session.scalars(
            select(ResponseChange).where(ResponseChange.recommendation_id == rec.id)
        ).all()
        assert [(h.previous_response, h.new_response, h.source) for h in history] == [
            (Response.NOTED, Response.SUPPORTED_IN_PART, "changed.csv")
        ]


def test_a_person_chosen_category_survives_reimport(app: Flask) -> None:
    with app.app_context():
        import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        rec = _recommendation("28.90")
        rec.action_category, rec.action_category_set_by_person = 3, True
        db.session.commit()
        import_recommendations(SAMPLES / "upr-info-chn3.xlsx", "CHN-3")
        db.session.commit()
        assert _recommendation("28.90").action_category == 3


def test_dry_run_writes_nothing_not_even_the_review(runner: FlaskCliRunner, app: Flask) -> None:
    result = runner.invoke(
        cli,
        ["import", "recommendations", str(SAMPLES / "upr-info-chn3.csv"), "--review", "CHN-3", "--dry-run"],
    )
    assert result.exit_code == 0, result.output
    assert "Would import: 11 added" in result.output
    with app.app_context():
        assert _count() == 0
        assert db.session.scalar(select(func.count(Review.id))) == 0


BAD_ROWS = {
    "bad-formula.csv": "Row 3: the text cell starts with '='",
    "bad-unknown-state.csv": "Row 3: Unknown state 'Swedden'. Did you mean: Sweden",
    "bad-duplicate-number.csv": "Row 3: number 28.338 is already used on row 2 for a different text",
    "bad-response.csv": "Row 3: response 'Maybe later' is not recognised",
}


@pytest.mark.parametrize("name", sorted(BAD_ROWS))
def test_an_invalid_row_writes_nothing_unless_skipped(runner: FlaskCliRunner, app: Flask, name: str) -> None:
    args = ["import", "recommendations", str(SAMPLES / name), "--review", "CHN-3"]
    refused = runner.invoke(cli, args)
    assert refused.exit_code != 0
    assert BAD_ROWS[name] in refused.output
    assert "nothing was imported" in refused.output
    with app.app_context():
        assert _count() == 0
        assert db.session.scalar(select(func.count(Review.id))) == 0
    skipped = runner.invoke(cli, [*args, "--skip-invalid"])
    assert skipped.exit_code == 0, skipped.output
    assert "1 added, 0 updated, 0 unchanged, 1 skipped" in skipped.output
    assert BAD_ROWS[name] in skipped.output
    with app.app_context():
        assert _count() == 1
        # The unknown state was reported, never created.
        assert db.session.execute(select(func.count()).select_from(Theme)).scalar() is not None


BAD_FILES = {
    "bad-empty.csv": "is empty",
    "bad-header.csv": "header row was not recognised",
    "bad-zip.csv": "is a ZIP archive",
    "bad-binary.csv": "is a binary file",
    "bad-mixed-encoding.csv": "mixes encodings: it is UTF-8 up to line 11",
    "bad-truncated.xlsx": "damaged or truncated",
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_an_unusable_file_is_one_clear_sentence(runner: FlaskCliRunner, app: Flask, name: str) -> None:
    result = runner.invoke(cli, ["import", "recommendations", str(SAMPLES / name), "--review", "CHN-3"])
    assert result.exit_code == 1
    assert BAD_FILES[name] in result.output
    assert "Traceback" not in result.output
    with app.app_context():
        assert _count() == 0


def test_a_workbook_renamed_to_csv_and_a_ten_megabyte_line(app: Flask, tmp_path: Path) -> None:
    renamed = tmp_path / "export.csv"
    shutil.copy(SAMPLES / "upr-info-chn3.xlsx", renamed)
    long_line = tmp_path / "long.csv"
    long_line.write_text('Recommendation,Recommending State,State under Review\n"' + "x" * 10_000_000 + '"\n')
    with app.app_context():
        with pytest.raises(ImportFileError, match="really a XLSX file; rename it"):
            import_recommendations(renamed, "CHN-3")
        with pytest.raises(ImportFileError, match="Row 2 cannot be read as CSV"):
            import_recommendations(long_line, "CHN-3")
        assert _count() == 0


def test_progress_is_reported_and_unknown_review_state_is_refused(app: Flask) -> None:
    calls: list[tuple[int, int | None]] = []
    with app.app_context():
        import_recommendations(
            SAMPLES / "upr-info-chn3.csv", "CHN-3", progress=lambda d, t: calls.append((d, t))
        )
        assert calls[-1] == (11, 11)
        with pytest.raises(ImportFileError, match="XXX is not the alpha-3 code"):
            import_recommendations(SAMPLES / "upr-info-chn3.csv", "XXX-3")
        # Rows of another State under Review are left out and counted, not listed one by one.
        wrong_state = import_recommendations(SAMPLES / "upr-info-chn3.csv", "VNM-3", dry_run=True)
        assert wrong_state.problem_count == 1 and wrong_state.other_reviews == {"CHN-3": 11}
        assert str(wrong_state.problems[0]) == "No row of the file is about VNM-3; it holds CHN-3 (11 rows)."


def test_export_round_trip_keeps_classification_columns(
    runner: FlaskCliRunner, app: Flask, tmp_path: Path
) -> None:
    assert (
        runner.invoke(
            cli, ["import", "recommendations", str(SAMPLES / "upr-info-chn3.csv"), "--review", "CHN-3"]
        ).exit_code
        == 0
    )
    out = tmp_path / "chn3.csv"
    result = runner.invoke(cli, ["export", "recommendations", "--review", "CHN-3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = {row["number"]: row for row in csv.DictReader(out.open(encoding="utf-8-sig"))}
    assert rows["28.1"]["recommending_states"] == "CZE;IRN;TUR"
    assert rows["28.90"]["is_time_bound"] == "yes"
    assert rows["28.221"]["action_category"] == "2"
    again = runner.invoke(cli, ["import", "recommendations", str(out), "--review", "CHN-3"])
    assert again.exit_code == 0, again.output
    assert "0 added, 0 updated, 11 unchanged" in again.output


def test_the_cli_shows_progress_while_checking_and_writing(
    runner: FlaskCliRunner, app: Flask, tmp_path: Path
) -> None:
    from upr.benchmarks.recommendations import write_sample

    sample = tmp_path / "upr-info.csv"
    write_sample(sample, 2_500)
    result = runner.invoke(cli, ["import", "recommendations", str(sample), "--review", "CHN-3"])
    assert result.exit_code == 0, result.output
    assert "Checked rows: 1,000 so far" in result.stderr
    assert result.stderr.rstrip().endswith("Written rows: 2,500/2,500")
    assert "Imported: 2500 added" in result.stdout and "rows:" not in result.stdout
    exported = runner.invoke(
        cli, ["export", "recommendations", "--review", "CHN-3", "-o", str(tmp_path / "x.csv")]
    )
    assert exported.exit_code == 0 and "Recommendations: 2,500/2,500" in exported.stderr
