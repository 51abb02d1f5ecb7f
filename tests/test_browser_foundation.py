"""The first screen in a real browser: sign in, see China's reviews, follow the links."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskCliRunner

from crm.auth.models import Role, User
from upr.cli import cli

from .conftest import browser_sign_in, screenshot

pytestmark = pytest.mark.browser


def test_sign_in_and_dashboard_in_chromium(
    page: Any, runner: FlaskCliRunner, make_user: Callable[..., User]
) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    user = make_user(Role.COORDINATOR)

    page.goto("/dashboard")
    assert "/sign-in" in page.url  # signed out: sent to the sign-in page
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", "not the password")
    page.click("button[type=submit]")
    assert page.locator(".flash.error").inner_text().startswith("That e-mail address and password")

    browser_sign_in(page, user)
    cycle3 = page.locator("#review-CHN-3")
    assert "6 November 2018" in cycle3.inner_text()
    assert "346" in cycle3.inner_text()
    assert page.locator("#review-CHN-4").is_visible()
    screenshot(page, "dashboard")

    cycle3.get_by_role("link", name="See the recommendations").click()
    page.wait_for_selector("table.recommendations")
    assert page.locator("table.recommendations tbody tr").count() >= 50
    page.get_by_role("link", name="States", exact=True).first.click()
    page.get_by_role("link", name="Sweden", exact=True).click()
    assert "Sweden" in page.locator("h1").inner_text()
    # One table per review Sweden made recommendations in (CHN-2 and CHN-3 in the demo).
    assert "28.83" in " ".join(page.locator("table.recommendations").all_inner_texts())
