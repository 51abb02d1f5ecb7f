"""Security headers on every response of every route in the URL map, no inline script, no version banner."""

from __future__ import annotations

import re
import threading
import urllib.request
from collections.abc import Callable
from typing import Any

from flask import Flask
from werkzeug.wrappers import Response

from crm.auth.models import Role, User
from upr.app import create_app
from upr.server import web_server

from .conftest import sign_in
from .test_security_routes import _plausible_values, _rules, _url, demo_app  # noqa: F401  # the fixture

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _header_problems(label: str, response: Response, *, endpoint: str) -> list[str]:
    headers = response.headers
    problems = []
    csp = headers.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in csp.split("; ") if part}
    if directives.get("script-src") != ["'self'"]:
        problems.append(f"{label}: script-src is {directives.get('script-src')}")
    if directives.get("frame-ancestors") != ["'none'"]:
        problems.append(f"{label}: frame-ancestors is {directives.get('frame-ancestors')}")
    expected = {
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
    }
    for name, value in expected.items():
        if headers.get(name) != value:
            problems.append(f"{label}: {name} is {headers.get(name)!r}")
    if endpoint != "static" and headers.get("Cache-Control") != "no-store":
        problems.append(f"{label}: Cache-Control is {headers.get('Cache-Control')!r}")
    if "Strict-Transport-Security" in headers:
        problems.append(f"{label}: HSTS over plain http")
    if response.mimetype == "text/html":
        page = response.get_data(as_text=True)
        if INLINE_SCRIPT.search(page) or EVENT_HANDLER.search(page) or "javascript:" in page:
            problems.append(f"{label}: inline script in the page")
    return problems


def test_every_route_answers_with_the_security_headers(
    demo_app: Flask,  # noqa: F811  # the fixture imported above
    make_user: Callable[..., User],
) -> None:
    values = _plausible_values(demo_app)
    anonymous, admin = demo_app.test_client(), demo_app.test_client()
    sign_in(admin, make_user(Role.ADMIN))
    problems: list[str] = []
    checked = 0
    for method in ("GET", "POST"):
        for rule in _rules(demo_app, method):
            url = _url(demo_app, rule, values)
            for who, client in (("anonymous", anonymous), ("admin", admin)):
                if rule.endpoint == "auth.sign_out" or (
                    who == "admin" and rule.endpoint.startswith("auth.end_")
                ):
                    continue  # would end the admin's session before the walk is over
                send = client.get if method == "GET" else client.post
                response = send(url, data={key: str(value) for key, value in values.items()})
                problems += _header_problems(f"{who} {method} {url}", response, endpoint=rule.endpoint)
                checked += 1
    assert checked > 200
    assert problems == [], "\n".join(problems[:40])


def test_error_pages_carry_them_too(client: Any) -> None:
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert _header_problems("404", response, endpoint="") == []


def test_hsts_when_the_base_url_is_https(app_config: dict[str, Any], app: Flask) -> None:
    secure = create_app({**app_config, "base_url": "https://upr.example.org"})
    response = secure.test_client().get("/sign-in")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_server_names_no_versions(app: Flask) -> None:
    server = web_server(app, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}/health") as answer:
            banner = answer.headers.get("Server", "")
    finally:
        server.shutdown()
        thread.join(timeout=10)
    assert banner == "UPR Outreach"
    assert "Werkzeug" not in banner and "Python" not in banner
