"""The teams board and the who-to-brief page in a real Chromium."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.db import db
from crm.teams.models import Assignment
from crm.teams.services import set_priority_themes
from tests.conftest import browser_sign_in, screenshot
from tests.contacts_world import build_world


def test_board_split_and_who_to_brief_in_a_browser(
    app: Flask, page: Any, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        world = build_world()
        set_priority_themes(world.team, {world.ids["theme"]})
        db.session.commit()
    coordinator = make_user(Role.COORDINATOR, email="coord@example.org", teams=[world.team])
    officer = make_user(Role.OFFICER, email="officer@example.org", teams=[world.team])
    browser_sign_in(page, coordinator)

    page.click("nav >> text=Teams")
    page.wait_for_url("**/teams")
    assert "Sweden (1, 1 on priority themes)" in page.inner_text("#unassigned")
    page.click("text=Suggest a split")
    page.select_option("select[name=state_SWE]", str(officer.id))
    page.select_option("select[name=state_NOR]", "")
    page.select_option("select[name=state_CHE]", "")
    page.click("#split button[type=submit]")
    page.wait_for_selector("text=1 states assigned for CHN-3.")
    loads = page.inner_text("#loads")
    assert "officer@example.org" in loads and "Sweden" in loads
    assert "Norway (1, 1 on priority themes)" in page.inner_text("#unassigned")
    screenshot(page, "contacts-board")
    with app.app_context():
        assert [(a.state_code, a.officer_id) for a in db.session.scalars(select(Assignment))] == [
            ("SWE", officer.id)
        ]

    page.goto("/who-to-brief")
    page.fill("input[name=review]", "CHN-3")
    page.fill("input[name=number]", "28.83")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("#ranked")
    rows = page.locator("#ranked tbody tr").all_inner_texts()
    assert rows[0].startswith("1\tÅsa Bergström") and "Johan Ekholm" in rows[2]
    assert "Hidden Person" in page.inner_text("#ranked")  # a coordinator of the holding team sees them
    screenshot(page, "contacts-who-to-brief")
    page.click("#ranked >> text=Åsa Bergström")
    page.wait_for_selector("table.basis")
    assert "Adopt a law against domestic violence." in page.inner_text("table.basis")
