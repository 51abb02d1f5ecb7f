"""Day one in a real Chromium, on a fresh database, with no step done in SQL or code.

The accounts come from ``upr user create`` (the one documented way to make them); everything else is done
through the pages: the team lead creates a team, adds two officers, imports China's fourth review, splits
its recommending states and sees a double assignment refused (then moves it explicitly); an officer enters
a person twice, previews the merge, merges and undoes it. Screenshots at 1366 and 390 pixels wide are kept
in ``test-artifacts/day-one-*.png``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskCliRunner

from upr.cli import cli

from .conftest import screenshot

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
CHN4 = Path(__file__).parent / "samples" / "recommendations" / "uhri-chn4.csv"


def _create_account(runner: FlaskCliRunner, email: str, role: str, name: str) -> None:
    made = runner.invoke(
        cli,
        ["user", "create", "--email", email, "--role", role, "--name", name],
        env={"UPR_NEW_USER_PASSWORD": PASSWORD},
    )
    assert made.exit_code == 0, made.output


def _sign_in(page: Any, email: str) -> None:
    page.goto("/sign-in")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard")


def _sign_out(page: Any) -> None:
    page.click("form.signout button[type=submit]")
    page.wait_for_url("**/sign-in")


def _shots(page: Any, name: str) -> None:
    """The page as a laptop (1366 px) and a phone (390 px) show it."""
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"day-one-{name}-{width}")
    page.set_viewport_size({"width": 1366, "height": 900})


def _recommending_states() -> dict[str, int]:
    """How many of the file's recommendations each state made, read from the file itself."""
    counts: dict[str, int] = {}
    with CHN4.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            for state in row["Recommending States"].split(";"):
                counts[state.strip()] = counts.get(state.strip(), 0) + 1
    return counts


def test_a_team_lead_sets_up_and_splits_a_review_and_an_officer_merges_and_undoes(
    page: Any, runner: FlaskCliRunner
) -> None:
    _create_account(runner, "lena@example.org", "coordinator", "Lena Lead")
    _create_account(runner, "anna@example.org", "officer", "Anna Berg")
    _create_account(runner, "ben@example.org", "officer", "Ben Carter")

    # The team lead creates the team and adds two officers.
    _sign_in(page, "lena@example.org")
    page.click("nav >> text=Teams")
    page.click("text=Create the first team")
    page.fill("#new-team input[name=name]", "China team")
    page.click("#new-team button[type=submit]")
    page.wait_for_selector("text=Team China team created.")
    for name, email in (("Anna Berg", "anna@example.org"), ("Ben Carter", "ben@example.org")):
        page.select_option("#add-member select[name=user_id]", label=f"{name} ({email}) · officer")
        page.select_option("#add-member select[name=role]", "officer")
        page.click("#add-member button[type=submit]")
        page.wait_for_selector(f"text={name} added to China team as officer.")
    members = page.inner_text("#members")
    assert "Lena Lead" in members and "Anna Berg" in members and "Ben Carter" in members
    _shots(page, "team")

    # China's fourth review, imported through the page.
    page.goto("/recommendations/import")
    page.set_input_files("input[name=file]", str(CHN4))
    page.fill("input[name=review]", "CHN-4")
    page.click("#import-form button[type=submit]")
    page.click("form >> text=Import")
    page.wait_for_url("**/recommendations/import/confirm")

    # The board: the review's recommending states, unassigned, first; a split between the two officers.
    page.click("nav >> text=Teams")
    expected = _recommending_states()
    unassigned = page.inner_text("#unassigned")
    for state, count in expected.items():
        assert f"{state} ({count})" in unassigned
    page.click("text=Suggest a split")
    page.click("#split button[type=submit]")
    page.wait_for_selector(f"text={len(expected)} states assigned for CHN-4.")
    assert "Nothing unassigned for CHN-4." in page.inner_text("#unassigned")
    loads = {row.split("\t")[0]: row for row in page.locator("#loads tbody tr").all_inner_texts()}
    holder, other = (
        ("Anna Berg", "Ben Carter") if "Sweden" in loads["Anna Berg"] else ("Ben Carter", "Anna Berg")
    )
    assert "Sweden" in loads[holder] and "Sweden" not in loads[other]
    assert all(loads[name].count(",") >= 1 for name in loads if name != "Lena Lead")  # both have states

    # Giving Sweden to the other officer is refused, naming who holds it.
    page.fill("#assign input[name=state]", "Sweden")
    page.select_option("#assign select[name=officer_id]", label=other)
    page.click("#assign button[type=submit]")
    refusal = page.locator(".flash.error").inner_text()
    assert refusal.startswith(f"Sweden is already held by {holder} (China team, Sweden for CHN-4).")
    assert f"Move from {holder} to {other}" in page.inner_text("#pending-move")
    _shots(page, "double-assignment-refused")
    # Only an explicit move hands it over, and the history shows it.
    page.click(f"#pending-move >> text=Move from {holder} to {other}")
    page.wait_for_selector(f"text=Sweden assigned to {other} for CHN-4.")
    history = page.inner_text("#history")
    assert f"moved from {holder} to {other}" in history and "Lena Lead" in history
    _shots(page, "board")
    _sign_out(page)

    # An officer enters the same person twice, then merges the duplicate, previewed, and undoes it.
    _sign_in(page, "anna@example.org")
    page.goto("/organisations/new")
    page.fill("input[name=name]", "Permanent Mission of Sweden")
    page.select_option("select[name=kind]", "mission_geneva")
    page.fill("input[name=state]", "Sweden")
    page.fill("input[name=city]", "Geneva")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("text=Permanent Mission of Sweden saved.")
    mission_url = page.url
    for email, phone in (("karin.lund@example.org", ""), ("k.lund@example.org", "+41 22 908 08 00")):
        page.goto(mission_url)
        page.click("text=Add a person")
        page.fill("input[name=full_name]", "Karin Lund")
        page.fill("input[name=email]", email)
        page.fill("input[name=phone]", phone)
        page.click("form.card button[type=submit]")
        page.wait_for_selector("text=Karin Lund added.")
    duplicate_url = page.url
    page.click("text=Log an interaction")
    page.fill("input[name=occurred_at]", "2025-03-04T10:30")
    page.fill("textarea[name=summary]", "Asked about follow-up to 161.72.")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("text=Interaction logged.")

    page.goto("/contacts")
    page.locator("table >> text=Karin Lund").first.click()
    if page.url == duplicate_url:
        page.goto("/contacts")
        page.locator("table >> text=Karin Lund").nth(1).click()
    kept_url = page.url
    choice = page.locator("#merge-choice select[name=duplicate_id]")
    assert choice.input_value() == ""  # nothing pre-selected
    choice.select_option(label="Karin Lund (k.lund@example.org) · Permanent Mission of Sweden")
    page.click("#merge-choice button[type=submit]")
    moves = page.inner_text("#merge-moves")
    assert "1 interaction move to Karin Lund" in moves
    assert "phone: +41 22 908 08 00" in page.inner_text("#merge-fills")
    button = "Merge Karin Lund (k.lund@example.org) into Karin Lund (karin.lund@example.org)"
    assert page.get_by_role("button", name=button).is_visible()
    _shots(page, "merge-preview")
    page.get_by_role("button", name=button).click()
    page.wait_for_selector("text=merged into Karin Lund")
    assert page.url.startswith(kept_url)
    assert "Asked about follow-up to 161.72." in page.inner_text("body")
    _shots(page, "merged")
    page.goto("/contacts")
    assert page.locator("table >> text=Karin Lund").count() == 1  # the duplicate is out of the list

    page.goto(kept_url)
    page.click("#merges >> text=Undo this merge")
    page.wait_for_selector("text=Merge undone:")
    assert "+41 22 908 08 00" in page.inner_text("body")  # back on the duplicate's own page
    _shots(page, "merge-undone")
    page.goto("/contacts")
    assert page.locator("table >> text=Karin Lund").count() == 2
