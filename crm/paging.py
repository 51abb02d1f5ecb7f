"""Long lists a page at a time: the page a request asks for, and how many rows a page holds."""

from __future__ import annotations

from flask import request

PAGE_SIZE = 50


def page_number() -> int:
    """The ``?page=`` of the current request, 1 when it is missing or not a positive whole number."""
    value = request.args.get("page", "1")
    return max(1, int(value)) if value.isdigit() else 1
