"""An officer's and a coordinator's day in a real Chromium, on a fresh database set up with the `upr`
commands only: find who recommended on Xinjiang, open who to brief, build a campaign, fix its timing,
preview the French briefing, have it approved; export the whole CHN-4 calendar and subscribe to it.

Then every main page at 1366 and 390 px wide: no sideways scroll, a menu that folds, readable charts,
visible focus. Screenshots are kept in test-artifacts/day-one/.
"""

from __future__ import annotations

import csv
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from crm.db import db
from crm.models import Recommendation, Review
from tests.calendar_helpers import parse_with_icaljs
from tests.conftest import ARTIFACTS, TEST_PASSWORD
from tests.outreach_support import coming_monday
from upr.cli import cli
from upr_calendar.deadlines import review_deadlines

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.browser

OFFICER = "officer@example.org"
COORDINATOR = "coordinator@example.org"
SHOTS = ARTIFACTS / "day-one"
WIDE, PHONE = 1366, 390
# Words of the English template and English names that must not appear in the French briefing.
ENGLISH = (
    "Dear",
    "Switzerland",
    "China's",
    "supported",
    "unknown",
    "noted",
    "Response:",
    "Ahead of",
    "regards",
)


def _setup(runner: FlaskCliRunner) -> None:
    """What an administrator types on day one: the demo data and two accounts."""
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    for email, role in ((OFFICER, "officer"), (COORDINATOR, "coordinator")):
        result = runner.invoke(
            cli, ["user", "create", "--email", email, "--role", role, "--password", TEST_PASSWORD]
        )
        assert result.exit_code == 0, result.output


def _sign_in(page: Any, email: str) -> None:
    page.goto("/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard")


def _shoot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def _milestones(app: Flask, code: str) -> set[str]:
    with app.app_context():
        review = db.session.scalar(
            select(Review).where(Review.state_code == code[:3], Review.cycle == int(code[4:]))
        )
        assert review is not None
        return {
            f"{code}: {d.kind.label}" + ("" if d.official else " (estimated)")
            for d in review_deadlines(review)
            if d.effective is not None
        }


def test_an_officer_and_a_coordinator_work_through_a_day(
    app: Flask, page: Any, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    _setup(runner)
    with app.app_context():
        # Every spelling the synonym list groups with "East Turkestan", read from the list itself.
        with (ROOT / "data" / "search_synonyms.csv").open(encoding="utf-8", newline="") as handle:
            spellings = next(
                row["variants"].split("|")
                for row in csv.DictReader(handle)
                if "East Turkestan" in row["variants"]
            )
        xinjiang = [
            rec
            for rec in db.session.scalars(select(Recommendation))
            if any(spelling.casefold() in rec.text.casefold() for spelling in spellings)
        ]
        recommending = {state.name for rec in xinjiang for state in rec.recommending_states}
        swiss = [
            rec
            for rec in db.session.scalars(select(Recommendation))
            if "CHE" in rec.recommending_codes and rec.review.code == "CHN-3"
        ]
    assert xinjiang and recommending
    page.set_viewport_size({"width": WIDE, "height": 900})

    # The officer finds the states that recommended on Xinjiang, and who to brief about one of them.
    _sign_in(page, OFFICER)
    page.click("nav >> text=Recommendations")
    page.fill("input[name=q]", "East Turkestan")  # another spelling of the same region
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("table.recommendations")
    assert f"{len(xinjiang)} found" in page.inner_text("h1")
    shown = page.locator("table.recommendations").inner_text()
    assert all(name in shown for name in recommending)
    _shoot(page, "search-xinjiang")
    page.locator("a.who-to-brief").first.click()
    page.wait_for_selector("#ranked")
    assert re.match(r"Who to brief about CHN-[234] ", page.inner_text("h1"))
    _shoot(page, "who-to-brief")

    # ... builds a campaign on China's 2018 review, and fixes its timing.
    page.click("nav >> text=Campaigns")
    page.fill("#name", "CHN-3 follow-up, Geneva missions")
    page.select_option("#review_id", label="CHN-3")
    page.fill("#send_at", coming_monday().strftime("%Y-%m-%dT%H:%M"))
    page.click("#new-campaign button[type=submit]")
    page.wait_for_selector("text=Campaign created as a draft")
    assert page.inner_text("#campaign-status") == "draft"
    page.click("#edit-campaign")
    yesterday = coming_monday() - timedelta(days=14)
    page.fill("#send_at", yesterday.strftime("%Y-%m-%dT%H:%M"))
    page.click("#edit-campaign-form button[type=submit]")
    page.wait_for_selector("text=has passed")  # refused when saved, not only at approval
    later = coming_monday() + timedelta(days=7)
    page.fill("#send_at", later.strftime("%Y-%m-%dT%H:%M"))
    page.click("#edit-campaign-form button[type=submit]")
    page.wait_for_selector("text=Saved. Check the previews again")
    assert f"{later.day} {later:%b %Y}" in page.inner_text("p.meta")
    campaign_url = page.url
    _shoot(page, "campaign")

    # ... previews the briefing to the Swiss mission's diplomat, who reads French: all of it in French.
    page.locator("tr", has_text="Zoë Favre").get_by_role("link", name="Preview", exact=True).click()
    page.wait_for_selector("#preview-text")
    assert page.inner_text("#preview-language") == "fr"
    subject = page.inner_text("#preview-subject")
    assert subject == f"EPU de la Chine (CHN-3) : les {len(swiss)} recommandations de la Suisse"
    text = page.inner_text("#preview-text")
    assert text.startswith("Madame, Monsieur,\n") and "Zoë" not in text.split("\n")[0]
    assert f"Lors de l'examen de la Chine le 6 novembre 2018, la Suisse a formulé {len(swiss)}" in text
    assert text.count("Réponse : ") == len(swiss)
    fixed_words = "\n".join(line for line in text.splitlines() if not re.match(r"^\d+\.\d+  ", line))
    assert not [word for word in ENGLISH if word in fixed_words], fixed_words
    _shoot(page, "preview-french")
    page.click("text=Sign out")

    # The coordinator approves it.
    _sign_in(page, COORDINATOR)
    page.goto(campaign_url)
    page.click("#approve")
    page.wait_for_selector("text=Campaign approved")
    assert page.inner_text("#campaign-status") == "approved"
    assert page.locator("#withdraw").is_visible()  # nothing has left yet

    # ... then exports the whole CHN-4 calendar, past milestones included, and subscribes to it.
    expected = _milestones(app, "CHN-4")
    page.click("nav >> text=Calendar")
    page.select_option("select[name=review]", label="CHN-4")
    page.click("form.filters button[type=submit]")
    with page.expect_download() as download:
        page.click("#download-ics")
    assert download.value.suggested_filename == "upr-CHN-4.ics"
    target = tmp_path / "chn4.ics"
    download.value.save_as(target)
    assert expected <= {event["summary"] for event in parse_with_icaljs(target)["events"]}
    with app.app_context():
        chn4 = db.session.scalar(select(Review).where(Review.state_code == "CHN", Review.cycle == 4))
        assert chn4 is not None
        chn4_id = chn4.id
    page.goto(f"/calendar/reviews/{chn4_id}")
    page.click("#review-subscribe")
    page.click("#create-feed")
    feed_url = page.inner_text("#feed-url")
    feed = page.request.get(feed_url)  # as a calendar app asks for it
    assert feed.ok and feed.headers["content-type"].startswith("text/calendar")
    (tmp_path / "feed.ics").write_bytes(feed.body())
    assert expected <= {event["summary"] for event in parse_with_icaljs(tmp_path / "feed.ics")["events"]}
    _shoot(page, "feeds")

    # Every main page, on a laptop and on a phone.
    pages = {
        "dashboard": "/dashboard",
        "recommendations": "/recommendations",
        "contacts": "/contacts",
        "states": "/states",
        "calendar": "/calendar/",
        "review-deadlines": f"/calendar/reviews/{chn4_id}",
        "campaigns": "/outreach/campaigns",
        "campaign": campaign_url,
        "planned": "/outreach/planned",
        "outbox": "/outreach/outbox",
        "teams": "/teams",
    }
    for width in (WIDE, PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(url)
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width, f"{name} scrolls sideways at {width} px ({scroll} px wide)"
            _shoot(page, name)
        page.goto("/dashboard")
        smallest = page.evaluate(
            """() => Math.min(...Array.from(document.querySelectorAll('svg.chart text')).map(
                t => parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a))"""
        )
        assert smallest >= 12, f"chart text at {smallest:.1f} px on a {width} px screen"
    # At phone width the menu folds behind its button and opens on a tap.
    assert not page.locator("#main-nav").is_visible()
    page.click(".menu-toggle")
    assert page.locator("#main-nav").is_visible()
    assert page.get_attribute(".menu-toggle", "aria-expanded") == "true"
    # Keyboard focus shows, and the tab has an icon.
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    icon = page.get_attribute("link[rel=icon]", "href")
    assert icon is not None and page.request.get(icon).ok
