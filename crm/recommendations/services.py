"""Changes a person makes to a recommendation's classification (the view commits)."""

from __future__ import annotations

from flask_babel import gettext as _

from crm.models import Recommendation
from crm.recommendations.classify import CATEGORY_NAMES, classify


def set_action_category(rec: Recommendation, category: int | None) -> None:
    """Set the action category as a person's choice, or (``None``) go back to the one the wording gives.

    A person's choice marks the recommendation so that re-importing the file does not overwrite it.
    """
    if category is None:
        rec.action_category = classify(rec.text).action_category
        rec.action_category_set_by_person = False
        return
    if category not in CATEGORY_NAMES:
        raise ValueError(_("%(category)s is not an action category (1-5)", category=category))
    rec.action_category = category
    rec.action_category_set_by_person = True
