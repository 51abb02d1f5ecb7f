"""The calendar blueprint, shared by the view modules that register routes on it."""

from __future__ import annotations

from flask import Blueprint

from upr_calendar.rule_texts import described
from upr_calendar.wording import register_filters

bp = Blueprint("calendar", __name__, url_prefix="/calendar")
register_filters(bp)
bp.add_app_template_filter(described, "described")
