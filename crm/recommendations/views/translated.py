"""A recommendation's translation in the reader's language, for the pages that show one recommendation."""

from __future__ import annotations

from crm.i18n import current_language
from crm.models import Recommendation
from crm.recommendations.models import RecommendationTranslation
from crm.recommendations.translations import translation_for
from crm.recommendations.views.blueprint import bp


@bp.app_template_filter("translation")
def translation_filter(recommendation: Recommendation) -> RecommendationTranslation | None:
    """``{{ recommendation|translation }}``: its translation in the reader's language, none where no file
    gave one or where it reads as the original does (the reader's language is the original's)."""
    found = translation_for(recommendation, current_language())
    return found if found is not None and found.text != recommendation.text else None
