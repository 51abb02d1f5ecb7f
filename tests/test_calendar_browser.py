"""A real Chromium opens the agenda and the month view and downloads the .ics, which ical.js then reads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from crm.auth.models import Role, User
from tests.calendar_helpers import china_reviews, parse_with_icaljs
from tests.conftest import browser_sign_in, screenshot


@pytest.mark.browser
def test_agenda_month_and_download_in_chromium(
    app: Flask, page: Any, make_user: Callable[..., User], tmp_path: Path
) -> None:
    with app.app_context():
        _chn3, chn4 = china_reviews()
    browser_sign_in(page, make_user(Role.COORDINATOR))
    page.goto("/calendar/?from=2023-07-01")
    assert page.locator("a", has_text="CHN-4: Stakeholder submission deadline").count() == 1
    screenshot(page, "calendar-agenda")
    page.goto("/calendar/month?year=2024&month=1")
    assert page.locator("table.month a", has_text="CHN-4: UPR review").count() == 1
    screenshot(page, "calendar-month")
    page.goto(f"/calendar/?review={chn4.id}&from=2020-01-01")
    with page.expect_download() as download_info:
        page.click("#download-ics")
    target = tmp_path / "download.ics"
    download_info.value.save_as(target)
    summaries = {event["summary"] for event in parse_with_icaljs(target)["events"]}
    assert "CHN-4: Next review (estimated)" in summaries
