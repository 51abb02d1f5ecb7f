"""What every response and request goes through: security headers, and text refused before any view.

The CSP allows scripts from our own files only (templates carry no inline script or ``on*=`` handler;
the few scripts live in ``static/``). Inline ``style`` attributes stay allowed: bar widths and traffic
colours are computed per row, and a style cannot run code. Pages may not be framed (clickjacking), and
no page tells another site its address, since feed and unsubscribe URLs carry secret tokens.
"""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import BadRequest
from werkzeug.wrappers import Response

from crm.db import db
from crm.text import TextError, has_control_characters

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
HSTS = "max-age=31536000; includeSubDomains"
# Our own CSS and scripts may be cached; nothing else (every page, export and feed may name people).
CACHEABLE_ENDPOINTS = frozenset({"static"})


class ControlCharacters(BadRequest):
    """A query or form value holding a control character no field accepts (shown as a 400 page)."""


def install(app: Flask, *, https: bool) -> None:
    """Add the headers to every response and refuse control characters in every query and form value."""

    @app.before_request
    def refuse_control_characters() -> None:
        for source, values in (("address", request.args), ("form", request.form)):
            for name, value in values.items(multi=True):
                if has_control_characters(value):
                    message = (
                        _(
                            "The address field “%(name)s” holds a control character (such as NUL), which no "
                            "field accepts; remove it and try again.",
                            name=name[:60],
                        )
                        if source == "address"
                        else _(
                            "The form field “%(name)s” holds a control character (such as NUL), which no "
                            "field accepts; remove it and try again.",
                            name=name[:60],
                        )
                    )
                    raise ControlCharacters(message)

    @app.after_request
    def security_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if request.endpoint not in CACHEABLE_ENDPOINTS:
            response.headers["Cache-Control"] = "no-store"
            response.headers.pop("Expires", None)
        return response

    @app.errorhandler(TextError)
    def refused_text(error: TextError) -> tuple[str, int]:
        db.session.rollback()
        return render_template("error.html", code=400, message=str(error)), 400
