"""Browsing recommendations and the per-state page, in Flask's client and in a real Chromium."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from crm.auth.models import Role, User
from crm.db import db
from crm.models import ImplementationStatus, Recommendation, RecommendingState, Response
from crm.recommendations.importing import import_recommendations
from crm.reviews.services import get_or_create_review

from .conftest import browser_sign_in, screenshot, sign_in

SAMPLES = Path(__file__).parent / "samples" / "recommendations"


def _load(app: Flask) -> None:
    with app.app_context():
        import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        import_recommendations(SAMPLES / "uhri-chn4.csv", "CHN-4")
        db.session.commit()


def test_filters_search_and_counts(app: Flask, client: FlaskClient, make_user: Callable[..., User]) -> None:
    _load(app)
    sign_in(client, make_user(Role.VIEWER))
    everything = client.get("/recommendations").get_data(as_text=True)
    assert "16 found" in everything
    hong_kong = client.get("/recommendations?q=hong+kong").get_data(as_text=True)
    assert "1 found" in hong_kong and "28.205" in hong_kong
    sweden = client.get("/recommendations?state=SWE&response=noted").get_data(as_text=True)
    assert "3 found" in sweden
    weog = client.get("/recommendations?group=WEOG&category=5").get_data(as_text=True)
    assert "28.336" in weog and "28.221" not in weog
    odd = client.get("/recommendations?q=100%25_&page=x")
    assert odd.status_code == 200 and "0 found" in odd.get_data(as_text=True)
    counts = client.get("/recommendations/counts?keywords=Hong+Kong,Internet").get_data(as_text=True)
    assert '<td class="num">2</td><td class="num">2</td>' in counts  # Internet: France and Sweden (twice)


def test_browse_and_state_page_in_a_real_browser(
    app: Flask, page: Any, make_user: Callable[..., User]
) -> None:
    _load(app)
    browser_sign_in(page, make_user(Role.OFFICER))
    page.goto("/recommendations")
    page.fill("input[name=q]", "Internet")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**q=Internet**")
    rows = page.locator("table.recommendations tbody tr")
    assert rows.count() == 3
    assert "specific" in page.locator("table.recommendations").inner_text()
    page.click('table.recommendations a:text-is("Sweden") >> nth=0')
    page.wait_for_url("**/states/SWE")
    assert page.locator("section.review-block").count() == 2
    assert "To China in CHN-3" in page.inner_text("#review-CHN-3")
    assert "To China in CHN-4" in page.inner_text("#review-CHN-4")
    page.select_option("select[name=under_review]", "CHN")
    page.click("form.filters button[type=submit]")
    assert page.locator("#review-CHN-4 tbody tr").count() == 2
    screenshot(page, "recommendations-state-sweden")


def test_import_a_file_through_the_page_in_a_real_browser(
    app: Flask, page: Any, make_user: Callable[..., User]
) -> None:
    browser_sign_in(page, make_user(Role.COORDINATOR))
    page.goto("/recommendations")
    page.click("text=Import a file")
    page.set_input_files("input[name=file]", str(SAMPLES / "bad-unknown-state.csv"))
    page.fill("input[name=review]", "CHN-3")
    page.click("#import-form button[type=submit]")
    assert "UPR Info database export · 2 rows for CHN-3" in page.inner_text("#detected")
    assert "Row 3: Unknown state 'Swedden'. Did you mean: Sweden" in page.inner_text("ul.problems")
    assert page.locator("table.preview tbody tr").count() == 1
    screenshot(page, "recommendations-import-preview")
    page.click("text=Import, skipping the 1 invalid row")
    page.wait_for_url("**/recommendations/import/confirm")
    assert page.inner_text("#count-added") == "1" and page.inner_text("#count-skipped") == "1"
    page.click("text=Browse the recommendations")
    assert page.locator("table.recommendations tbody tr").count() == 1
    assert "28.338" in page.inner_text("table.recommendations")


def test_a_prolific_state_page_counts_everything_and_lists_a_page_at_a_time(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    """Sweden made 60 recommendations to China and 3 to Cuba: the summary counts them all, 50 per page."""
    with app.app_context():
        china, cuba = get_or_create_review("CHN-3"), get_or_create_review("CUB-3")
        for n in range(60):
            rec = Recommendation(
                review=china,
                number=f"28.{n + 1}",
                sort_key=280_000 + n + 1,
                text=f"Recommendation {n + 1}",
                response=Response.SUPPORTED if n < 10 else Response.NOTED,
                implementation_status=(
                    ImplementationStatus.IMPLEMENTED if n < 4 else ImplementationStatus.NOT_ASSESSED
                ),
            )
            rec.recommending.append(RecommendingState(state_code="SWE"))
            db.session.add(rec)
        for n in range(3):
            rec = Recommendation(review=cuba, number=f"24.{n + 1}", sort_key=n, text=f"To Cuba {n + 1}")
            rec.recommending.append(RecommendingState(state_code="SWE"))
            db.session.add(rec)
        db.session.commit()
    sign_in(client, make_user(Role.VIEWER))
    first = client.get("/states/SWE").get_data(as_text=True)
    summary = first.split('id="summary"')[1].split("</table>")[0]
    assert '<td class="num">60</td><td class="num">10</td><td class="num">4</td>' in summary
    assert '<td class="num">3</td><td class="num">0</td><td class="num">0</td>' in summary
    assert "Page 1 of 2 (63 in all)" in first
    assert first.count('<tr id="rec-') == 50 and "28.50<" in first and "28.51<" not in first
    second = client.get("/states/SWE?page=2").get_data(as_text=True)
    assert second.count('<tr id="rec-') == 13 and "28.51<" in second and "To Cuba 3" in second
    only_cuba = client.get("/states/SWE?under_review=CUB").get_data(as_text=True)
    assert "Page 1 of 1 (3 in all)" in only_cuba and "28.1<" not in only_cuba
