"""The layouts the field publishes beyond the real files at hand, and the bad input the issue lists."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.db import db
from crm.models import Recommendation, Response
from upr.cli import cli

UHRI_HEADER = [
    "Text", "Countries Concerned", "Reccomending Body", "Document Symbol", "Themes", "Affected Persons",
    "Sdgs", "Document Publication Date", "UPR Reccomending States", "UPR Position", "Type",
    "OHCHR Annotation Id", "UPR Session", "Regions Concerned", "Recommending Regions",
    "Date of publication on UHRI",
]  # fmt: skip


def _docx(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    from docx import Document

    document = Document()
    table = document.add_table(rows=0, cols=len(header))
    for values in [header, *rows]:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    document.save(str(path))
    return path


def _held() -> dict[str, Recommendation]:
    query = select(Recommendation).options(
        selectinload(Recommendation.recommending), selectinload(Recommendation.themes)
    )
    return {rec.number or rec.text[:20]: rec for rec in db.session.scalars(query)}


def _import(runner: FlaskCliRunner, path: Path, *args: str) -> str:
    result = runner.invoke(cli, ["import", "recommendations", str(path), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_fourth_cycle_matrix_clusters_groups_and_names_with_brackets(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    header = [
        "Recommendation and recommending State", "Position of the State under review",
        "Human rights themes and groups of persons", "Relevant SDGs",
    ]  # fmt: skip
    rows = [
        ["Theme: A1 International instruments"] * 4,
        [
            "161.1 Ratify the Convention (Ukraine); Increase efforts towards ratification (Slovakia);\n"
            "Position: A/HRC/56/6/Add.1 - Para. 3",
            "Supported",
            "A12 Acceptance of international norms\nGroups of Persons:\n- general",
            "SDG 16 - peace, justice and strong institutions",
        ],
        [
            "161.2 Abolish the death penalty (Maldives) (Portugal, Slovakia);\nPosition: A/HRC/56/6/Add.1",
            "Noted",
            "D23 Death penalty",
            "",
        ],
        [
            "161.3 Release the detained lawyers (Venezuela (Bolivarian Republic of));",
            "Supported/Noted",
            "",
            "",
        ],
    ]
    output = _import(runner, _docx(tmp_path / "matrix4.docx", header, rows), "--review", "CHN-4")
    assert "3 added" in output and "1 section heading (Theme: ...) read as a heading" in output
    with app.app_context():
        held = _held()
        assert held["161.1"].recommending_codes == ["UKR", "SVK"]
        assert held["161.1"].text == "Ratify the Convention (Ukraine); Increase efforts towards ratification"
        assert held["161.1"].response_source == "A/HRC/56/6/Add.1 - Para. 3"
        assert held["161.1"].affected_persons == "general"
        assert held["161.1"].sdgs == "SDG 16 - peace, justice and strong institutions"
        assert [t.name for t in held["161.1"].themes] == ["Acceptance of international norms"]
        assert held["161.2"].recommending_codes == ["MDV", "PRT", "SVK"]
        assert held["161.3"].recommending_codes == ["VEN"]
        assert held["161.3"].response is Response.SUPPORTED_IN_PART


def test_second_cycle_matrix_with_a_states_column(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    header = ["Recommendation", "Recommending state/s", "Position", "Full list of rights/affected persons"]
    rows = [
        ["Right or area: 1.1 Acceptance of international norms"] * 4,
        [
            "166.6. Consider ratifying the ICCPR",
            "Sweden\nNorway\n",
            "Supported/Noted",
            "- International norms",
        ],
        [
            "166.7. Abolish the death penalty",
            "Italy",
            "Noted",
            "Affected persons:\n- persons facing execution",
        ],
    ]
    output = _import(runner, _docx(tmp_path / "matrix2.docx", header, rows), "--review", "CHN-2")
    assert "2 added" in output
    with app.app_context():
        held = _held()
        assert held["166.6"].recommending_codes == ["SWE", "NOR"]
        assert held["166.6"].response is Response.SUPPORTED_IN_PART
        assert held["166.7"].affected_persons == "persons facing execution"


def test_uhri_export_in_its_sixteen_columns_skips_other_bodies(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "uhri.csv"
    upr = [
        "161.25 Remove restrictions on freedom of expression (Germany);", "- China", "- UPR", "A/HRC/56/6",
        "- Freedom of opinion and expression\n- Human rights defenders", "- media\n- journalists",
        "- 16 - Peace, justice and strong institutions", "45383", "- Germany", "Noted", "Recommendation",
        "abc-1", "45", "- Asia", "- WEOG", "45400",
    ]  # fmt: skip
    treaty = ["Ensure fair trials", "- China", "- CAT", "CAT/C/CHN/CO/5", "", "", "", "42000", "", "", "",
              "x", "", "", "", "42001"]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([UHRI_HEADER, upr, treaty])
    output = _import(runner, path)
    assert "1 added" in output and "1 row of treaty bodies or special procedures left out" in output
    with app.app_context():
        rec = _held()["161.25"]
        assert rec.text == "Remove restrictions on freedom of expression"
        assert rec.recommending_codes == ["DEU"] and rec.response is Response.NOTED
        assert rec.response_source == "A/HRC/56/6" and rec.affected_persons == "media;journalists"
        assert {t.name for t in rec.themes} == {"Freedom of opinion and expression", "Human rights defenders"}
        assert rec.review.code == "CHN-4"  # session 45 is in the fourth cycle
    # Only the brackets that name the row's states are taken off UHRI's text: a convention's number stays.
    numbered = [
        "161.26 Ratify the Forced Labour Convention, 1930 (No. 29) (Germany);", "- China", "- UPR",
        "A/HRC/56/6", "", "", "", "45383", "- Germany", "Supported", "Recommendation", "abc-2", "45", "", "",
        "45400",
    ]  # fmt: skip
    both = [
        "161.27 Abolish the death penalty (Maldives) (Portugal)", "- China", "- UPR", "A/HRC/56/6", "", "",
        "", "45383", "- Maldives\n- Portugal", "Noted", "Recommendation", "abc-3", "45", "", "", "45400",
    ]  # fmt: skip
    more = tmp_path / "uhri-brackets.csv"
    with more.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([UHRI_HEADER, numbered, both])
    assert "2 added" in _import(runner, more)
    with app.app_context():
        held = _held()
        assert held["161.26"].text == "Ratify the Forced Labour Convention, 1930 (No. 29)"
        assert held["161.27"].text == "Abolish the death penalty"
        assert held["161.27"].recommending_codes == ["MDV", "PRT"]
    only_treaty = tmp_path / "treaty.csv"
    with only_treaty.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([UHRI_HEADER, treaty])
    refused = runner.invoke(cli, ["import", "recommendations", str(only_treaty)])
    assert refused.exit_code == 1 and "holds no UPR recommendation" in refused.output


def test_upr_info_current_header_pledges_entities_and_aliases(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "upr-info.csv"
    path.write_text(
        "State under Review,Recommending State,Recommendation,Response,Action Category,Issues,Cycle,Session\n"
        "Cuba,Macedonia FYR,Ratify the CAT,Supported/Noted,5,International instruments,1,4\n"
        "Cuba,DPR Korea,Ratify  the cat.,Supported/Noted,5,Torture and other CID treatment,1,4\n"
        "Cuba,Cuba,Invite the Special Rapporteur &#40;on torture&#41;,Voluntary Pledge,5,"
        "Special procedures,1,4\n"
        "Cuba,Bosnia & Herzegovina,Consider the OP-CAT,Noted,3,Torture and other CID treatment,1,4\n",
        encoding="utf-8",
    )
    output = _import(runner, path)
    assert "3 added" in output and "1 repeated rows merged" in output and "CUB-1" in output
    with app.app_context():
        held = {rec.text: rec for rec in _held().values()}
        ratify = held["Ratify the CAT"]
        assert ratify.recommending_codes == ["MKD", "PRK"] and ratify.response is Response.SUPPORTED_IN_PART
        assert {t.name for t in ratify.themes} == {
            "International instruments",
            "Torture and other CID treatment",
        }
        pledge = held["Invite the Special Rapporteur (on torture)"]
        assert pledge.response is Response.VOLUNTARY_PLEDGE
        assert held["Consider the OP-CAT"].recommending_codes == ["BIH"]


def test_bad_rows_of_the_field(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    stateless = _docx(
        tmp_path / "stateless.docx",
        ["Recommendation", "Position", "Full list of themes"],
        [["28.1 Ratify the ICCPR;", "Supported", ""], ["28.2 Abolish the death penalty", "Noted", ""]],
    )
    refused = runner.invoke(cli, ["import", "recommendations", str(stateless), "--review", "CHN-3"])
    assert refused.exit_code == 1
    assert (
        "Row 2: no recommending state is given in brackets at the end of the recommendation" in refused.output
    )
    assert "Row 3: no recommending state is given" in refused.output
    unknown = tmp_path / "multi.csv"
    unknown.write_text(
        "SuR,RS,Recommendation,Response,Session\n"
        "Cuba,Sweden,Ratify the CAT,Accepted,4\n"
        "Narniaa,Sweden,Ratify the CAT,Accepted,4\n"
        "Chinaa,Sweden,Abolish the death penalty,Noted,4\n",
        encoding="utf-8",
    )
    first = runner.invoke(cli, ["import", "recommendations", str(unknown)])
    assert first.exit_code == 1 and "Row 3: Unknown state 'Narniaa'" in first.output
    assert "Row 4: Unknown state 'Chinaa'. Did you mean: China" in first.output
    with app.app_context():
        assert not _held()
    skipped = _import(runner, unknown, "--skip-invalid")
    assert "1 added, 0 updated, 0 unchanged, 2 skipped" in skipped


def test_a_row_repeating_the_one_before_is_checked_like_any_other(app: Flask, tmp_path: Path) -> None:
    """UPR Info's rows for each state of a recommendation are read the short way, to the same effect."""
    from crm.recommendations.importing import import_recommendations

    header = "SuR,Rgrp,RS,Rgrp,Recommendation,Response,Action,Session\n"
    first = "Cuba,GRULAC,Sweden,WEOG,Ratify the CAT,Accepted,5,4\n"
    repeats = [
        "Cuba,GRULAC,Norway,WEOG,Ratify the CAT,Accepted,5,4\n",
        "Cuba,GRULAC,Narniaa,WEOG,Ratify the CAT,Accepted,5,4\n",
        "Cuba,GRULAC,=Chile,GRULAC,Ratify the CAT,Accepted,5,4\n",
        "Cuba,GRULAC,,,Ratify the CAT,Accepted,5,4\n",
        "Cuba,GRULAC,(Unknown),,Ratify the CAT,Accepted,5,4\n",
        "Cuba,GRULAC,Bosnia &amp; Herzegovina,EEG,Ratify the CAT,Accepted,5,4\n",
        "Cuba,GRULAC,Sweden; Chile,WEOG,Ratify the CAT,Accepted,5,4\n",
        "Cuba,GRULAC,Sweden,WEOG,Ratify the CAT,Accepted,5,4\n",
    ]
    repeated = tmp_path / "repeated.csv"
    repeated.write_text(header + first + "".join(repeats), encoding="utf-8")
    with app.app_context():
        report = import_recommendations(repeated, skip_invalid=True, dry_run=True)
        # Each row on its own after a row of another wording: read in full.
        apart = tmp_path / "apart.csv"
        other = "Cuba,GRULAC,Sweden,WEOG,Abolish the death penalty,Noted,5,4\n"
        apart.write_text(header + first + "".join(other + row for row in repeats), encoding="utf-8")
        expected = import_recommendations(apart, skip_invalid=True, dry_run=True)
    assert [problem.row for problem in report.problems] == [4, 5, 6]
    assert [p.message for p in report.problems] == [p.message for p in expected.problems]
    assert [(m.row, m.into_row, m.added) for m in report.merges] == [
        (3, 2, ("NOR",)),
        (7, 2, ()),
        (8, 2, ("BIH",)),
        (9, 2, ("CHL",)),
        (10, 2, ()),
    ]
    assert [m.added for m in expected.merges if m.into_row == 2] == [m.added for m in report.merges]


def test_a_row_repeating_a_refused_or_left_out_row_fares_as_that_row(app: Flask, tmp_path: Path) -> None:
    """A repeat goes where the row it repeats went: refused with its own row number, left out, previewed."""
    from crm.recommendations.importing import import_recommendations

    header = "SuR,RS,Recommendation,Response,Session\n"
    rows = [
        "Cuba,Sweden,Ratify the CAT,Accepted,4\n",
        "Cuba,Norway,Ratify the CAT,Noted,4\n",  # refused: the response differs from row 2's
        "Cuba,Chile,Ratify the CAT,Noted,4\n",  # repeats the refused row
        "Cuba,Mexico,Ratify the CAT,Accepted,4\n",
        "Cuba,Peru,Abolish the death penalty,Noted,17\n",  # another cycle
        "Cuba,Chile,Abolish the death penalty,Noted,17\n",
    ]
    repeated = tmp_path / "repeated.csv"
    repeated.write_text(header + "".join(rows), encoding="utf-8")
    # The same rows, each after one of a third cycle, so that none repeats the row before it.
    apart = tmp_path / "apart.csv"
    apart.write_text(header + "".join(f"Cuba,Cuba,Other {i},Noted,30\n{row}" for i, row in enumerate(rows)))
    with app.app_context():
        report = import_recommendations(repeated, dry_run=True, skip_invalid=True, preview_rows=1)
        spread = import_recommendations(apart, dry_run=True, skip_invalid=True)
        left_out = import_recommendations(repeated, "CUB-2", dry_run=True, skip_invalid=True)
        previewed = import_recommendations(repeated, dry_run=True, skip_invalid=True, preview_rows=5)
    assert [problem.row for problem in report.problems] == [3, 4]
    # Row 2 of the one file is row 3 of the other.
    assert [p.message for p in report.problems] == [
        p.message.replace("row 3", "row 2") for p in spread.problems
    ]
    assert "'Accepted' there and 'Noted' here" in report.problems[1].message
    assert [(m.row, m.into_row, m.added) for m in report.merges] == [(5, 2, ("MEX",)), (7, 6, ("CHL",))]
    assert [row.row for row in report.preview] == [2]
    assert (left_out.other_reviews, left_out.problem_count, len(left_out.merges)) == ({"CUB-1": 4}, 0, 1)
    assert [row.row for row in previewed.preview] == [2, 5, 6, 7]
    assert [row.codes for row in previewed.preview] == [("SWE", "MEX"), ("MEX",), ("PER", "CHL"), ("CHL",)]


@pytest.mark.parametrize("code", ["CHN-9", "CHN-0", "CHN-12"])
def test_a_mistyped_review_is_refused_not_created(runner: FlaskCliRunner, code: str) -> None:
    sample = Path(__file__).parent / "samples" / "recommendations" / "upr-info-chn3.csv"
    result = runner.invoke(cli, ["import", "recommendations", str(sample), "--review", code])
    assert (
        result.exit_code == 1 and "is not plausible" in result.output
    ) or "numbered from 1" in result.output
    listed = runner.invoke(cli, ["reviews", "set-dates", code])
    assert listed.exit_code == 1 and f"There is no review {code}" in listed.output


def test_set_dates_gives_an_imported_review_its_dates(app: Flask, runner: FlaskCliRunner) -> None:
    from crm.reviews.services import get_or_create_review, get_review

    with app.app_context():
        get_or_create_review("CHN-4")
        db.session.commit()
    result = runner.invoke(
        cli, ["reviews", "set-dates", "CHN-4", "--review-date", "2024-01-23", "--session", "45"]
    )
    assert result.exit_code == 0, result.output
    assert "CHN-4: review 23 January 2024, session 45" in result.output
    again = runner.invoke(cli, ["reviews", "set-dates", "chn-4", "--session", "45"])
    assert "nothing changed" in again.output
    bad = runner.invoke(cli, ["reviews", "set-dates", "CHN-4", "--outcome-adopted-on", "2023-01-01"])
    assert bad.exit_code == 1 and "cannot be adopted before the review" in bad.output
    with app.app_context():
        review = get_review("CHN-4")
        assert (review.session, str(review.review_date), review.outcome_adopted_on) == (
            45,
            "2024-01-23",
            None,
        )
