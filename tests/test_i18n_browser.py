"""A coordinator who works in Chinese, in a real Chromium on a fresh database set up with the `upr` commands:
signs in, picks 中文 in the language menu at the foot of the page, and walks every page of the main menu and
the pages behind them a coordinator opens most. Each is in Chinese: no message of the catalogues is left in
English, state names are the UN's Chinese ones, dates are written the Chinese way, and the system's CJK fonts
draw the characters (not empty boxes). Screenshots are kept in test-artifacts/zh/.
"""

from __future__ import annotations

import re
import subprocess
from typing import Any

import pytest
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from crm.auth.models import User
from crm.db import db
from crm.i18n import TRANSLATIONS
from crm.models import Review
from crm.state_names import display_name
from tests.conftest import ARTIFACTS, TEST_PASSWORD
from tests.i18n_lint import _is_for_people
from upr.cli import cli

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator@example.org"
SHOTS = ARTIFACTS / "zh"
HAN = re.compile(r"[\u4e00-\u9fff]")
# Every text node of the page's body that a reader sees, except what users and files wrote: words in another
# language marked with their lang attribute (a translation, the language menu) and the file's own words
# (marked translate="no", as a response "Supported" is written in a UPR Info export).
VISIBLE_TEXTS = """() => {
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const element = node.parentElement;
    const skipped = "script, style, [lang]:not(html), [translate=no], [hidden], option";
    if (!element || element.closest(skipped)) continue;
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text) texts.push(text);
  }
  for (const element of document.querySelectorAll("[title], [placeholder], [aria-label]")) {
    for (const name of ["title", "placeholder", "aria-label"]) {
      const value = element.getAttribute(name);
      if (value && !element.closest("[lang]:not(html), [translate=no]")) texts.push(value.trim());
    }
  }
  return texts;
}"""
# Two different characters drawn with the page's own font: a missing font draws both as the same empty box.
GLYPHS_DIFFER = """() => {
  const font = getComputedStyle(document.body).font;
  const draw = (character) => {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 64;
    const context = canvas.getContext("2d");
    context.font = font.replace(/\\d+(\\.\\d+)?px/, "48px");
    context.fillText(character, 4, 52);
    return Array.from(context.getImageData(0, 0, 64, 64).data).join(",");
  };
  const [first, second] = [draw("概"), draw("览")];
  return first !== second && /[^0,]/.test(first);
}"""


def _english_messages() -> set[str]:
    """Every message whose Chinese differs from its English, as a reader would see it in English."""
    with (TRANSLATIONS / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="zh")
    english = set()
    for message in catalogue:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            if text and text not in strings and "%(" not in text and _is_for_people(text):
                english.add(" ".join(text.split()))
    return english


def _setup(runner: FlaskCliRunner) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    result = runner.invoke(
        cli, ["user", "create", "--email", COORDINATOR, "--role", "coordinator", "--password", TEST_PASSWORD]
    )
    assert result.exit_code == 0, result.output


def test_the_system_has_fonts_for_chinese() -> None:
    """The setup command installs them (fonts-noto-cjk): without them every character is an empty box."""
    fonts = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True, check=True)
    assert fonts.stdout.strip(), "no Chinese font: run scripts/setup.sh, which installs fonts-noto-cjk"


def test_a_coordinator_works_in_chinese(app: Flask, page: Any, runner: FlaskCliRunner) -> None:
    _setup(runner)
    english = _english_messages()
    with app.app_context():
        china_review = db.session.scalar(select(Review).where(Review.state_code == "CHN").limit(1))
        assert china_review is not None
        china = display_name("CHN", "zh", china_review.state.name)
    SHOTS.mkdir(parents=True, exist_ok=True)

    page.goto("/sign-in")
    page.fill("input[name=email]", COORDINATOR)
    page.fill("input[name=password]", TEST_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard")
    assert page.get_attribute("html", "lang") == "en"
    with page.expect_navigation():
        page.select_option("#language-choice", "zh")  # the menu sends itself when a language is picked
    assert page.get_attribute("html", "lang") == "zh"

    menu = page.eval_on_selector_all("#main-nav a", "links => links.map(a => a.getAttribute('href'))")
    assert len(menu) >= 8
    shown_everywhere: list[str] = []
    for path in [*menu, "/account", "/calendar/feeds", f"/states/{china_review.state_code}"]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.get_attribute("html", "lang") == "zh", path
        assert HAN.search(page.inner_text("h1")), (path, page.inner_text("h1"))
        left = sorted({text for text in page.evaluate(VISIBLE_TEXTS) if text in english})
        assert left == [], (path, left)
        shown_everywhere.append(page.inner_text("main"))
        name = path.strip("/").replace("/", "-") or "home"
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    assert page.evaluate(GLYPHS_DIFFER), "the page's font draws no Chinese characters"
    everything = "\n".join(shown_everywhere)
    assert china in everything  # the UN's Chinese name, not "China"
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", everything)  # dates as Chinese writes them


def test_the_choice_is_kept_in_the_profile(app: Flask, runner: FlaskCliRunner, client: FlaskClient) -> None:
    """A coordinator whose profile says Chinese gets Chinese pages whatever the browser asks for."""
    _setup(runner)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == COORDINATOR))
        assert user is not None
        user.language = "zh"
        db.session.commit()
    page = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    client.post(
        "/sign-in", data={"email": COORDINATOR, "password": TEST_PASSWORD, "csrf_token": token.group(1)}
    )
    dashboard = client.get("/dashboard", headers={"Accept-Language": "en-GB,en"}).get_data(as_text=True)
    assert '<html lang="zh">' in dashboard and "概览" in dashboard
