"""Finding recommendations as officers search for them: by number, by any spelling of a name, by several
themes and states at once; the list downloaded as CSV and XLSX; each one leading to who to brief."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

import crm.recommendations.demo
import crm.reviews.demo
from crm.db import db
from crm.models import Recommendation, RecommendingState, State, Theme
from crm.recommendations.search import parse_query, synonym_groups

SYNONYMS = Path(__file__).resolve().parents[1] / "data" / "search_synonyms.csv"


@pytest.fixture
def annex(app: Flask) -> None:
    """China's 2018 recommendations as the demo loads them (the annex of ISHR's guide)."""
    with app.app_context():
        crm.reviews.demo.load_demo()
        crm.recommendations.demo.load_demo()
        db.session.commit()


def _numbers(client: FlaskClient, query: str) -> set[str]:
    """The numbers the list shows for ``query``, over every page of it."""
    found: set[str] = set()
    for page_number in range(1, 100):
        page = client.get(f"/recommendations?{query}&page={page_number}").get_data(as_text=True)
        numbers = set(re.findall(r'<td class="nowrap">([\d.]+|\(unnumbered\))<br>', page))
        if not numbers - found:
            return found
        found |= numbers
    raise AssertionError("the list never ends")


def _spellings(name: str) -> list[str]:
    """Every spelling the synonym list groups with ``name``, read from the list itself."""
    with SYNONYMS.open(encoding="utf-8", newline="") as handle:
        return next(row["variants"].split("|") for row in csv.DictReader(handle) if name in row["variants"])


def _containing(app: Flask, *words: str) -> set[str]:
    with app.app_context():
        return {
            rec.number or "(unnumbered)"
            for rec in db.session.scalars(select(Recommendation))
            if any(word.lower() in rec.text.lower() for word in words)
        }


@pytest.mark.usefixtures("annex")
def test_a_recommendation_number_finds_that_recommendation(admin_client: FlaskClient) -> None:
    assert _numbers(admin_client, "q=28.83") == {"28.83"}


@pytest.mark.usefixtures("annex")
def test_spellings_of_one_name_find_the_same_recommendations(app: Flask, admin_client: FlaskClient) -> None:
    uighur = _containing(app, *_spellings("Uyghur"))
    assert uighur, "the annex names the Uighurs"
    assert _numbers(admin_client, "q=Uyghur") == _numbers(admin_client, "q=Uighur") == uighur
    xinjiang = _containing(app, *_spellings("East Turkestan"))
    assert xinjiang and _numbers(admin_client, "q=East+Turkestan") == _numbers(admin_client, "q=Xinjiang")
    assert _numbers(admin_client, "q=Xinjiang") == xinjiang
    tibet = _containing(app, *_spellings("Xizang"))
    assert tibet and _numbers(admin_client, "q=Xizang") == _numbers(admin_client, "q=Tibet") == tibet


def test_the_synonym_list_reads_names_with_spaces_before_single_words() -> None:
    groups = synonym_groups()
    assert any({"Uyghur", "Uighur"} <= set(group) for group in groups)
    terms = parse_query("East Turkestan detention 28.83")
    assert [term.spellings[:2] for term in terms[:1]] == [("Xinjiang", "East Turkestan")]
    assert [term.spellings for term in terms[1:]] == [("detention",), ("28.83",)]
    assert terms[2].number == "28.83" and terms[1].number is None


@pytest.mark.usefixtures("annex")
def test_several_themes_and_several_states_at_once(app: Flask, admin_client: FlaskClient) -> None:
    with app.app_context():
        themes = db.session.scalars(select(Theme).order_by(Theme.name)).all()[:2]
        by_theme = {t.id: {r.number or "(unnumbered)" for r in _with_theme(t)} for t in themes}
        states = ["SWE", "FRA"]
        by_state = {
            code: set(
                db.session.scalars(
                    select(Recommendation.number)
                    .join(RecommendingState)
                    .where(RecommendingState.state_code == code)
                )
            )
            for code in states
        }
    first, second = themes[0].id, themes[1].id
    assert by_theme[first] and by_theme[second]
    assert _numbers(admin_client, f"theme={first}&theme={second}") == by_theme[first] | by_theme[second]
    assert _numbers(admin_client, "state=SWE&state=FRA") == by_state["SWE"] | by_state["FRA"]
    both = _numbers(admin_client, f"state=SWE&state=FRA&theme={first}&theme={second}")
    assert both == (by_state["SWE"] | by_state["FRA"]) & (by_theme[first] | by_theme[second])
    page = admin_client.get(f"/recommendations?theme={first}&theme={second}").get_data(as_text=True)
    assert page.count("selected") >= 2  # both themes stay chosen in the form


def _with_theme(theme: Theme) -> list[Recommendation]:
    return [rec for rec in db.session.scalars(select(Recommendation)) if theme in rec.themes]


@pytest.mark.usefixtures("annex")
def test_the_list_downloads_as_csv_and_xlsx_with_states_by_name(
    app: Flask, admin_client: FlaskClient
) -> None:
    expected = _numbers(admin_client, "q=Xinjiang")
    response = admin_client.get("/recommendations/export.csv?q=Xinjiang")
    assert response.headers["Content-Disposition"].endswith("filename=recommendations.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert {row["number"] for row in rows} == expected
    with app.app_context():
        names = dict(db.session.execute(select(State.code, State.name)).all())
    for row in rows:
        codes = row["recommending_states"].split(";")
        assert row["recommending_state_names"] == "; ".join(names[code] for code in codes)
    workbook = load_workbook(io.BytesIO(admin_client.get("/recommendations/export.xlsx?q=Xinjiang").data))
    sheet = workbook["Recommendations"]
    header = [cell.value for cell in sheet[1]]
    number_column = header.index("number")
    assert {row[number_column] for row in sheet.iter_rows(min_row=2, values_only=True)} == expected
    # The page links to the downloads of what it shows.
    page = admin_client.get("/recommendations?q=Xinjiang").get_data(as_text=True)
    assert 'href="/recommendations/export.xlsx?q=Xinjiang"' in page


@pytest.mark.usefixtures("annex")
def test_each_recommendation_links_to_who_to_brief_which_names_states(
    app: Flask, admin_client: FlaskClient
) -> None:
    page = admin_client.get("/recommendations?q=28.83").get_data(as_text=True)
    [link] = re.findall(r'href="(/recommendations/\d+/who-to-brief)"', page)
    brief = admin_client.get(link)
    assert brief.status_code == 200
    text = brief.get_data(as_text=True)
    with app.app_context():
        rec = db.session.scalar(select(Recommendation).where(Recommendation.number == "28.83"))
        assert rec is not None
        names = [state.name for state in rec.recommending_states]
        codes = rec.recommending_codes
    assert f"Made by {', '.join(names)}" in text
    assert not any(f"Made by {code}" in text for code in codes)
