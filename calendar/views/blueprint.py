"""The calendar blueprint, shared by the view modules that register routes on it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
