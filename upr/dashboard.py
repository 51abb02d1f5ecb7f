"""The first screen after sign-in, assembled from the panels each package contributes."""

from __future__ import annotations

from flask import Blueprint, render_template

from crm.panels import Panel
from upr.plugins import panel_providers

bp = Blueprint("dashboard", __name__)


@bp.route("/dashboard")
def index() -> str:
    panels: list[Panel] = [panel for provider in panel_providers() for panel in provider()]
    return render_template("dashboard/index.html", panels=sorted(panels, key=lambda p: p.order))
