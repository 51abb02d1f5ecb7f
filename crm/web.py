"""Flask glue every layer shares: a page of a long list, the real app behind ``current_app``.

Typed here once: Flask types ``current_app`` as the app itself, so reaching the object behind the proxy
(needed by anything that outlives the request, such as a thread) takes a cast, written here only.
"""

from __future__ import annotations

from typing import cast

from flask import Flask, current_app, request
from werkzeug.local import LocalProxy

PAGE_SIZE = 50


def page_number() -> int:
    """The ``?page=`` of the current request, 1 when it is missing or not a positive whole number."""
    value = request.args.get("page", "1")
    return max(1, int(value)) if value.isdigit() else 1


def app_object() -> Flask:
    """The app behind ``current_app``, for work that outlives the current request or command."""
    return cast("LocalProxy[Flask]", current_app)._get_current_object()
