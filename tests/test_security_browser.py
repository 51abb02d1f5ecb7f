"""In Chromium, under the real Content-Security-Policy: the pages' scripts still work, none is blocked, and
two-factor sign-in is enrolled and used as a person would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pyotp
import pytest
from flask import Flask

from crm.auth.models import Role, User
from crm.db import utcnow
from tests.conftest import TEST_PASSWORD, browser_sign_in, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def app_config(app_config: dict[str, Any]) -> dict[str, Any]:
    return {**app_config, "WTF_CSRF_ENABLED": True}


def _csp_violations(page: Any) -> list[str]:
    seen: list[str] = []
    page.on(
        "console",
        lambda message: seen.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return seen


def test_the_template_editor_previews_live_and_nothing_is_blocked(
    page: Any, app: Flask, make_user: Callable[..., User]
) -> None:
    violations = _csp_violations(page)
    browser_sign_in(page, make_user(Role.COORDINATOR))
    page.goto("/outreach/templates")
    page.fill("input[name=language]", "de")
    page.click("form.add-translation button")
    page.wait_for_url("**/outreach/templates/*/de")
    page.fill("#subject", "Briefing für {{ contact.name }}")
    # (Playwright's wait_for_function evaluates a string, which this CSP rightly refuses.)
    page.locator("#live-subject", has_text="Briefing für Alex Example").wait_for()
    page.fill("#subject", "{{ 'a' * 100000000 }}")
    page.wait_for_selector("#preview-error:not([hidden])")
    assert "too long" in page.inner_text("#preview-error")
    for path in ("/dashboard", "/contacts", "/calendar/agenda", "/outreach/outbox", "/account"):
        page.goto(path)
    assert violations == []


def test_two_factor_enrolment_and_sign_in(page: Any, app: Flask, make_user: Callable[..., User]) -> None:
    violations = _csp_violations(page)
    user = make_user(Role.OFFICER)
    browser_sign_in(page, user)
    page.click("a.who")
    page.click("text=Set up two-factor sign-in")
    page.click("button:has-text('Set up two-factor sign-in')")
    assert page.locator(".qr svg").is_visible()
    totp = pyotp.TOTP(page.inner_text("code.secret").strip())
    page.fill("input[name=code]", totp.now())
    page.click("text=Turn two-factor sign-in on")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    screenshot(page, "two-factor-recovery-codes")
    page.click("text=Sign out")

    page.goto("/sign-in")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/sign-in/code")
    page.fill("input[name=code]", totp.at(utcnow() + timedelta(seconds=30)))
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard")
    page.goto("/account/sessions")
    assert page.locator("text=this browser").count() == 1
    assert violations == []
