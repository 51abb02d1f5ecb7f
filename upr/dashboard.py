"""The first screen after sign-in, assembled from the panels each package contributes."""

from __future__ import annotations

from flask import Blueprint, render_template

from crm.panels import Panel
from upr.plugins import DASHBOARD_MODULES, optional_modules

bp = Blueprint("dashboard", __name__)


@bp.route("/dashboard")
def index() -> str:
    panels: list[Panel] = [
        panel for module in optional_modules(DASHBOARD_MODULES) for panel in module.panels()
    ]
    return render_template("dashboard/index.html", panels=sorted(panels, key=lambda p: p.order))
