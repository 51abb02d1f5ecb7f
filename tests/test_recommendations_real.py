"""The field's real files import in one command, nothing lost: checked against the files themselves."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.db import db
from crm.models import Recommendation, Response, Review
from crm.reviews.services import cycle_of_session
from crm.states import StateResolver, UnknownState
from upr.cli import cli

from .real_files import (
    MATRICES,
    REAL,
    UPR_INFO_XLS,
    bracketed_names,
    matrix_rows,
    sha256,
    upr_info_recommendations,
    wording,
)

REPO = Path(__file__).resolve().parents[1]
RESPONSES = {"Accepted": Response.SUPPORTED, "Supported": Response.SUPPORTED, "Noted": Response.NOTED}


def _held() -> dict[tuple[str, str], Recommendation]:
    query = select(Recommendation).options(
        selectinload(Recommendation.recommending),
        selectinload(Recommendation.themes),
        selectinload(Recommendation.review),
    )
    return {(rec.review.code, wording(rec.text)): rec for rec in db.session.scalars(query)}


def _states(resolver: StateResolver, group: str) -> set[str]:
    """The states a bracket group names ("Portugal, Slovakia"), or none if it is wording ("No. 29")."""
    for names in ([group], [part.strip() for part in group.split(",")]):
        try:
            return {resolver.resolve(name) for name in names}
        except UnknownState:
            continue
    return set()


def test_the_copies_are_the_field_files_unchanged() -> None:
    sums = dict(
        reversed(line.split()) for line in (REAL / "SHA256SUMS").read_text().splitlines() if line.strip()
    )
    assert len(sums) == 5
    for name, digest in sums.items():
        assert sha256(REAL / name) == digest, name
    for name in ("ohchr-matrix-chn-2.docx", "ohchr-matrix-chn-3.docx"):
        assert sha256(REPO / "data" / "demo" / name) == sums[name], name


def test_the_upr_info_export_imports_every_state_under_review_losing_no_state(
    app: Flask, runner: FlaskCliRunner
) -> None:
    result = runner.invoke(cli, ["import", "recommendations", str(UPR_INFO_XLS)])
    assert result.exit_code == 0, result.output
    grouped = upr_info_recommendations()
    rows = sum(len(entry.rows) for entry in grouped.values())
    assert f"{len(grouped)} added" in result.output
    assert f"{rows - len(grouped)} repeated rows merged" in result.output
    with app.app_context():
        resolver = StateResolver.from_database()
        held = _held()
        assert len(held) == len(grouped)
        expected_reviews = Counter(
            f"{resolver.resolve(entry.under_review)}-{cycle_of_session(entry.session)}"
            for entry in grouped.values()
        )
        reviews = {review.code for review in db.session.scalars(select(Review))}
        assert reviews == set(expected_reviews)
        joint = 0
        for (_sur, _session, text), entry in grouped.items():
            code = f"{resolver.resolve(entry.under_review)}-{cycle_of_session(entry.session)}"
            rec = held[(code, text)]
            states = {resolver.resolve(name) for name in entry.states if name != "(Unknown)"}
            # Every recommending state of every row, however many rows the recommendation took.
            assert set(rec.recommending_codes) == states, (entry.rows, entry.states)
            joint += len(states) > 1
            (response,) = entry.responses
            assert rec.response is RESPONSES[response]
            assert rec.action_category == entry.actions[0]  # the file's own category, not recomputed
            assert {theme.name for theme in rec.themes} == entry.issues
        assert joint > 200
        # Cuba 2009: one recommendation of Algeria, Laos, Palestine and Sudan (the issue's example).
        cuba = [
            rec
            for (code, _text), rec in held.items()
            if code == "CUB-1" and {"DZA", "LAO", "PSE", "SDN"} <= set(rec.recommending_codes)
        ]
        assert cuba


def test_one_review_of_a_multi_state_export_counts_the_others_in_one_line(runner: FlaskCliRunner) -> None:
    grouped = upr_info_recommendations()
    china = [entry for entry in grouped.values() if entry.under_review == "China"]
    china_rows = sum(len(entry.rows) for entry in china)
    every_row = sum(len(entry.rows) for entry in grouped.values())
    for args in (
        ["--review", "CHN-1"],
        ["--state-under-review", "China", "--session", str(china[0].session)],
    ):
        result = runner.invoke(cli, ["import", "recommendations", str(UPR_INFO_XLS), *args, "--dry-run"])
        assert result.exit_code == 0, result.output
        assert f"Would import: {len(china)} added" in result.output
        assert f"{every_row - china_rows} rows of other reviews left out" in result.output
        assert "Row " not in result.stderr
    other_session = next(entry.session for entry in grouped.values() if entry.session != china[0].session)
    only = runner.invoke(
        cli, ["import", "recommendations", str(UPR_INFO_XLS), "--session", str(other_session), "--dry-run"]
    )
    in_session = [entry for entry in grouped.values() if entry.session == other_session]
    assert f"Would import: {len(in_session)} added" in only.output


@pytest.mark.parametrize("code", sorted(MATRICES))
def test_each_real_matrix_keeps_every_state_response_and_source(
    app: Flask, runner: FlaskCliRunner, code: str
) -> None:
    path = MATRICES[code]
    result = runner.invoke(cli, ["import", "recommendations", str(path), "--review", code])
    assert result.exit_code == 0, result.output
    rows = matrix_rows(path)
    assert f"Imported: {len(rows)} added" in result.output
    with app.app_context():
        resolver = StateResolver.from_database()
        review = db.session.scalar(select(Review).where(Review.state_code == code[:3]))
        assert review is not None
        held = {
            rec.number: rec
            for rec in db.session.scalars(
                select(Recommendation)
                .where(Recommendation.review_id == review.id)
                .options(selectinload(Recommendation.recommending), selectinload(Recommendation.themes))
            )
        }
        assert set(held) == {row.number for row in rows}
        positions = Counter(row.position for row in rows)
        assert Counter(rec.response_raw for rec in held.values()) == positions
        assert Counter(rec.response for rec in held.values()) == Counter(
            {RESPONSES[name]: count for name, count in positions.items()}
        )
        for row in rows:
            rec = held[row.number]
            named = {code for group in bracketed_names(row.cell) for code in _states(resolver, group)}
            # Every state the cell names in brackets, clustered and joint ones included.
            assert named and named <= set(rec.recommending_codes), (row.number, row.cell)
            source = next(line for line in row.cell.splitlines() if line.casefold().startswith("source of"))
            assert rec.response_source == source.split(":", 1)[1].strip()
            assert not any("SDG" in theme.name for theme in rec.themes)
            # The states OHCHR prints at the end are not part of the wording; "(2016–2020)" is.
            last = bracketed_names(row.cell)[-1]
            assert not rec.text.endswith(f"({last})") or not _states(resolver, last)
        if code == "CHN-3":
            assert sum("SDG 16" in rec.sdgs for rec in held.values()) > 100


def test_a_matrix_gives_its_numbers_to_the_same_recommendations_held_without_them(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    # Four recommendations of one state each, as UPR Info would also list them.
    rows = [row for row in matrix_rows(MATRICES["CHN-3"]) if len(bracketed_names(row.cell)) == 1][:4]
    export = tmp_path / "upr-info.csv"
    lines = ["Recommendation,Recommending State,State under Review,Session,Response"]
    for row in rows:
        first_line = row.cell.splitlines()[0].split(" ", 1)[1].rstrip(" ;.")
        state = bracketed_names(first_line)[-1]
        text = first_line[: first_line.rindex(f"({state})")].strip()
        for name in (state, "Chile"):  # UPR Info: one row per recommending state
            lines.append(f'"{text}","{name}",China,31,{row.position}')
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    first = runner.invoke(cli, ["import", "recommendations", str(export)])
    assert first.exit_code == 0, first.output
    assert f"{len(rows)} added" in first.output and f"{len(rows)} repeated rows merged" in first.output
    matrix = runner.invoke(cli, ["import", "recommendations", str(MATRICES["CHN-3"]), "--review", "CHN-3"])
    assert matrix.exit_code == 0, matrix.output
    assert f"{len(rows)} recommendations already held without a number get theirs" in matrix.output
    with app.app_context():
        held = list(db.session.scalars(select(Recommendation)))
        assert len(held) == len(matrix_rows(MATRICES["CHN-3"]))
        for row in rows:
            (rec,) = (rec for rec in held if rec.number == row.number)
            assert "CHL" in rec.recommending_codes  # the earlier file's state is kept beside the matrix's


def test_the_demo_holds_chinas_real_recommendations_and_the_annex_additions(
    app: Flask, runner: FlaskCliRunner
) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    with app.app_context():
        for code, path in MATRICES.items():
            if not code.startswith("CHN"):
                continue
            review = db.session.scalar(
                select(Review).where(Review.state_code == "CHN", Review.cycle == int(code[-1]))
            )
            assert review is not None
            responses = Counter(
                db.session.scalars(
                    select(Recommendation.response).where(Recommendation.review_id == review.id)
                )
            )
            expected = Counter(RESPONSES[row.position] for row in matrix_rows(path))
            assert responses == expected and Response.UNKNOWN not in responses
        paris = db.session.scalar(select(Recommendation).where(Recommendation.number == "28.140"))
        assert paris is not None and "8.140" in paris.source_note
        assert "ENVIRONMENT, BUSINESS AND HUMAN RIGHTS" in {theme.name for theme in paris.themes}
