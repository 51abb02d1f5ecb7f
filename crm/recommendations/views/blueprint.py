"""The ``recommendations`` blueprint, shared by the view modules of the package."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("recommendations", __name__)
