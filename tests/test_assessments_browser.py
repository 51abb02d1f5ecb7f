"""In Chromium: assess a recommendation with evidence, export the mid-term matrix, see the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from openpyxl import load_workbook

from crm.auth.models import Role, User
from tests.assessments_data import DETENTIONS, seed_review
from tests.conftest import browser_sign_in, screenshot

pytestmark = pytest.mark.browser


def test_assess_export_and_dashboard(
    page: Any, app: Flask, make_user: Callable[..., User], tmp_path: Path
) -> None:
    with app.app_context():
        seeded = seed_review()
    browser_sign_in(page, make_user(Role.OFFICER))

    page.goto(f"/assessments/recommendations/{seeded.ids['28.176']}")
    page.select_option("select[name=status]", "no_progress")
    page.fill("input[name=assessed_on]", "2026-03-01")
    page.fill(
        "textarea[name=text]", "Lawyers are still held under RSDL; 指定居所监视居住 remains in the law."
    )
    page.select_option("select[name=evidence_source]", "court_record")
    page.fill("input[name=evidence_description]", "Verdict database search")
    page.fill("input[name=evidence_url]", "https://example.org/verdicts")
    page.click("#assess button[type=submit]")
    page.wait_for_selector("text=Assessment of 28.176 recorded: no progress (red).")
    history = page.locator(".history").inner_text()
    assert "1 Mar 2026" in history and "Court record or verdict" in history
    screenshot(page, "assessment")

    page.goto("/assessments/reviews/CHN-3")
    page.check(f"input[name=ids][value='{seeded.ids['28.170']}']")
    page.check(f"input[name=ids][value='{seeded.ids['28.171']}']")
    page.select_option("#bulk select[name=status]", "partial")
    page.click("#bulk button[type=submit]")
    page.wait_for_selector("text=2 recommendations assessed as partial (orange).")

    page.select_option("#export-matrix select[name=format]", "xlsx")
    page.click("#export-matrix button[type=submit]")
    page.wait_for_selector("#job-download:not([hidden])")
    assert page.locator("#job-progress").get_attribute("value") == "100"
    screenshot(page, "matrix-export")
    with page.expect_download() as info:
        page.click("#job-download a")
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    assert target.name == "CHN-3-mid-term-matrix.xlsx"
    cells = [str(c.value) for row in load_workbook(target).active.iter_rows() for c in row if c.value]
    assert DETENTIONS in cells
    assert any(c.startswith("NO PROGRESS (RED)") and "指定居所监视居住" in c for c in cells)

    page.goto("/dashboard")
    chart = page.locator("svg[aria-label='Implementation status by theme, CHN-3']")
    assert chart.locator("rect[data-series=partial]").count() == 1
    assert chart.locator("rect[data-series=no_progress]").get_attribute("data-count") == "1"
    screenshot(page, "dashboard")
