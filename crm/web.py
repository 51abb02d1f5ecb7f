"""Flask glue every layer shares: a page of a long list, the real app behind ``current_app``, links.

Typed here once: Flask types ``current_app`` as the app itself, so reaching the object behind the proxy
(needed by anything that outlives the request, such as a thread) takes a cast, written here only.
"""

from __future__ import annotations

from typing import Any, cast

from flask import Flask, current_app, has_request_context, request, url_for
from werkzeug.local import LocalProxy

PAGE_SIZE = 50


def page_number() -> int:
    """The ``?page=`` of the current request, 1 when it is missing or not a positive whole number."""
    value = request.args.get("page", "1")
    return max(1, int(value)) if value.isdigit() else 1


def app_object() -> Flask:
    """The app behind ``current_app``, for work that outlives the current request or command."""
    return cast("LocalProxy[Flask]", current_app)._get_current_object()


def base_url() -> str:
    """Where people reach the app (``UPR_BASE_URL``), without the trailing slash."""
    return str(current_app.config["UPR_SETTINGS"].base_url).rstrip("/")


def absolute_url(endpoint: str, **values: Any) -> str:
    """An absolute link for feeds, e-mails and exports, built on ``UPR_BASE_URL``.

    Never on the request's Host header, which the client chooses: a forged one would otherwise be
    written into a feed or a message and reach everyone who reads it.
    """
    path = url_for(endpoint, **values)
    root = request.script_root if has_request_context() else ""
    if root and path.startswith(root):
        path = path[len(root) :]
    return base_url() + path
