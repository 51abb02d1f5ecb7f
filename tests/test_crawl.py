"""Every page reachable from the dashboard, crawled as an admin and as a viewer, on the demo data.

A crawl catches what per-feature tests miss: a link to a page that crashes, a template that prints ``None``, a
heading forgotten on a rarely visited page, a POST form rendered without its CSRF token.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from crm.auth.models import Role, User
from upr.app import create_app
from upr.cli import cli

from .conftest import TEST_PASSWORD

MAX_PAGES = 400
# Pages of one shape (/contacts/1, /contacts/2...) share a template: a few of each leave room for every other.
PER_SHAPE = 6
# Downloads are fetched (they must not crash) but not parsed as pages.
DOWNLOAD_SUFFIXES = (".ics", ".xlsx", ".docx", ".pdf", ".csv", ".vcf", ".eml", ".html.zip")
NOT_CRAWLED = ("/static/", "/sign-out")
# The one-click unsubscribe link in a briefing is answered from a mail client with no session to hold a token.
CSRF_EXEMPT = re.compile(r"^/unsubscribe/")
# Text a user should never read outside these: the template editor shows Jinja source on purpose.
RAW_TEXT_IGNORED_IN = {"script", "style", "textarea", "pre", "code"}
# ...and its help text explains the syntax with examples such as {{ review.code }}.
TEMPLATE_SYNTAX_EXPLAINED = re.compile(r"^/outreach/templates/\d+/")
# What only a developer should read: the project's own file names (a seed "000_7fc7fd6113448fcf.txt", a
# "china-facts.json", "data/demo/SOURCES.md") and notes about how a text was extracted. Checked in every
# element but the ones the template editor uses to show template source on purpose.
DEVELOPER_TEXT_IGNORED_IN = {"script", "style", "textarea", "pre"}
DEVELOPER_TEXT = re.compile(
    r"\b[\w-]+\.(?:json|txt|md|py|po|mo|sqlite3|jinja2?)\b"
    r"|\b\d{3}_[0-9a-f]{16}\b"
    r"|\b(?:data|tests|templates|migrations)/\w"
    r"|\b(?:seed|seeds|extraction|TODO|FIXME|Traceback)\b",
    re.IGNORECASE,
)
# An iCalendar file's links to the app, which calendar apps open for the person.
ICAL_URL = re.compile(r"^URL:(.*)$", re.MULTILINE)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Page:
    """What the crawl checks in one HTML page."""

    h1: int = 0
    title: str = ""
    links: list[str] = field(default_factory=list)
    post_forms: list[tuple[str, bool]] = field(default_factory=list)  # (action, has a CSRF token)
    visible_text: list[str] = field(default_factory=list)
    # Text outside script, style, textarea and pre: what the developer-text check reads.
    readable_text: list[str] = field(default_factory=list)


class PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._open: list[str] = []
        self._form: list[Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "h1":
            self.page.h1 += 1
        elif tag == "a" and attributes.get("href"):
            self.page.links.append(attributes["href"])
        elif tag == "form" and attributes.get("method", "get").lower() == "post":
            self._form = [attributes.get("action", ""), False]
        elif tag == "input" and self._form is not None and attributes.get("name") == "csrf_token":
            self._form[1] = bool(attributes.get("value"))
        if tag not in VOID:
            self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            self.page.post_forms.append((self._form[0], self._form[1]))
            self._form = None
        if tag in self._open:
            while self._open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if "title" in self._open:
            self.page.title += data
            return
        if not RAW_TEXT_IGNORED_IN & set(self._open):
            self.page.visible_text.append(data)
        if not DEVELOPER_TEXT_IGNORED_IN & set(self._open):
            self.page.readable_text.append(data)


def _normalise(base: str, href: str) -> str | None:
    """The internal path?query an ``href`` names, or None when it is not to be crawled."""
    url = urlsplit(urljoin(base, href))
    if url.scheme not in ("", "http", "https") or url.netloc not in ("", "localhost"):
        return None
    if url.path.startswith(NOT_CRAWLED):
        return None
    query = parse_qsl(url.query, keep_blank_values=True)
    # Pages beyond the second of a list show the same template as the first two: not worth a visit each.
    if any(name == "page" and value.isdigit() and int(value) > 2 for name, value in query):
        return None
    return url.path + (f"?{urlencode(sorted(query))}" if query else "")


def _problems(path: str, page: Page) -> list[str]:
    problems = []
    if page.h1 != 1:
        problems.append(f"{path}: {page.h1} <h1> elements")
    if not page.title.strip():
        problems.append(f"{path}: no <title>")
    text = " ".join(page.visible_text)
    if ("{{" in text or "{%" in text) and not TEMPLATE_SYNTAX_EXPLAINED.match(path):
        problems.append(f"{path}: raw template markers in the text")
    developer = {match[0] for chunk in page.readable_text for match in DEVELOPER_TEXT.finditer(chunk)}
    if developer:
        problems.append(f"{path}: internal names or developer notes shown: {', '.join(sorted(developer))}")
    if any(chunk.strip() == "None" for chunk in page.visible_text) or re.search(r"\sNone\s", f" {text} "):
        problems.append(f"{path}: 'None' shown as text")
    for action, has_token in page.post_forms:
        target = urlsplit(urljoin(path, action or path)).path
        if not has_token and not CSRF_EXEMPT.match(target):
            problems.append(f"{path}: POST form to {target} without a CSRF token")
    return problems


def _shape(path: str) -> str:
    """One shape for /contacts/12/edit and /contacts/7/edit, or /states/SWE and /states/FRA."""
    return re.sub(r"/[A-Z]{3}\b|\d+", "#", path)


def crawl(client: FlaskClient, start: str = "/dashboard") -> tuple[set[str], list[str]]:
    """Breadth-first GET of every internal link from ``start`` (and every link in an iCalendar file it
    downloads): the paths seen and every problem found, a link to a missing or forbidden page included."""
    queue, seen, problems = deque([start]), {start}, []
    shapes: Counter[str] = Counter()
    came_from = {start: "(start)"}

    def visit_later(target: str | None, source: str) -> None:
        if target and target not in seen and shapes[_shape(target)] < PER_SHAPE:
            shapes[_shape(target)] += 1
            seen.add(target)
            came_from[target] = source
            queue.append(target)

    while queue and len(seen) <= MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code >= 400:
            problems.append(f"{path} (linked from {came_from[path]}): HTTP {response.status_code}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            visit_later(_normalise(path, response.headers["Location"]), path)
            continue
        if response.mimetype == "text/calendar":
            for link in ICAL_URL.findall(response.get_data(as_text=True).replace("\r\n ", "")):
                visit_later(_normalise(path, link.strip()), path)
            continue
        if response.mimetype != "text/html" or urlsplit(path).path.endswith(DOWNLOAD_SUFFIXES):
            continue
        parser = PageParser()
        parser.feed(response.get_data(as_text=True))
        problems += _problems(path, parser.page)
        for href in parser.page.links:
            visit_later(_normalise(path, href), path)
    return seen, problems


@pytest.fixture
def csrf_app(app_config: dict[str, Any], app: Flask) -> Flask:
    """The app as served, with CSRF on, so that a form missing its token shows."""
    return create_app({**app_config, "WTF_CSRF_ENABLED": True})


def _signed_in(application: Flask, user: User) -> FlaskClient:
    client = application.test_client()
    form = client.get("/sign-in").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert token is not None
    response = client.post(
        "/sign-in", data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": token[1]}
    )
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("role", [Role.ADMIN, Role.VIEWER])
def test_every_page_reachable_from_the_dashboard_renders_cleanly(
    role: Role, runner: FlaskCliRunner, csrf_app: Flask, make_user: Callable[..., User]
) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    client = _signed_in(csrf_app, make_user(role))
    seen, problems = crawl(client)
    assert not problems, "\n".join(problems)
    # The crawl must actually have walked the app, not stopped at the first page.
    for area in ("/recommendations", "/contacts", "/calendar", "/states/", "/outreach/"):
        assert any(path.startswith(area) for path in seen), area
    assert len(seen) > 100


def test_the_checks_catch_each_kind_of_broken_page() -> None:
    parser = PageParser()
    parser.feed(
        "<html><head><title> </title></head><body><h1>A</h1><h1>B</h1><p>Owner: <b>None</b></p>"
        "<p>{{ contact.name }}</p><form method='post' action='/contacts/1/delete'><button>x</button></form>"
        "<form method='POST' action='/unsubscribe/abc'></form><textarea>{% raw %}</textarea>"
        "<p>Source: 000_7fc7fd6113448fcf.txt and <code>china-facts.json</code>; a space from PDF "
        "extraction</p>"
        "</body></html>"
    )
    assert _problems("/contacts/1", parser.page) == [
        "/contacts/1: 2 <h1> elements",
        "/contacts/1: no <title>",
        "/contacts/1: raw template markers in the text",
        "/contacts/1: internal names or developer notes shown: 000_7fc7fd6113448fcf.txt, china-facts.json, "
        "extraction",
        "/contacts/1: 'None' shown as text",
        "/contacts/1: POST form to /contacts/1/delete without a CSRF token",
    ]
    clean = PageParser()
    clean.feed(
        "<title>Contacts</title><h1>Contacts</h1><p>Nonesuch</p><textarea>{{ state }}</textarea>"
        "<p>Download chn4.ics or the export.csv; the seedlings grow.</p><pre>notes.txt</pre>"
        "<form method='post'><input type='hidden' name='csrf_token' value='t'></form>"
    )
    assert _problems("/contacts", clean.page) == []


def test_the_crawl_fails_on_a_missing_or_forbidden_page_and_on_a_dead_link_in_a_calendar() -> None:
    site = Flask("crawl-check")
    site.add_url_rule(
        "/",
        "start",
        lambda: (
            "<title>Start</title><h1>Start</h1><a href='/gone'>gone</a> <a href='/locked'>locked</a> "
            "<a href='/deadlines.ics'>calendar</a>"
        ),
    )
    site.add_url_rule("/locked", "locked", lambda: ("Forbidden", 403))
    site.add_url_rule(
        "/deadlines.ics",
        "ics",
        lambda: (
            "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nURL:http://localhost/calendar/agenda?kind=ta\r\n sk\r\n"
            "END:VEVENT\r\nEND:VCALENDAR\r\n",
            200,
            {"Content-Type": "text/calendar"},
        ),
    )
    _seen, problems = crawl(site.test_client(), start="/")
    assert problems == [
        "/gone (linked from /): HTTP 404",
        "/locked (linked from /): HTTP 403",
        "/calendar/agenda?kind=task (linked from /deadlines.ics): HTTP 404",
    ]
