"""The reviews panel: each review with its responses and its recommending states' regional groups."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from crm.models import Response, Review
from crm.panels import Panel
from crm.reviews.queries import recommendations_by_regional_group, recommending_state_count, response_counts
from crm.reviews.services import list_reviews


@dataclass(frozen=True)
class ReviewSummary:
    review: Review
    responses: dict[Response, int]
    by_group: dict[str, int]
    states: int

    @property
    def worth_showing(self) -> bool:
        # A future review with no date, totals or recommendations yet (the next cycle) is noise here.
        review = self.review
        return bool(review.review_date or review.reported_recommendations or any(self.responses.values()))


def panels() -> list[Panel]:
    summaries = [
        ReviewSummary(
            review,
            response_counts(review.id),
            recommendations_by_regional_group(review.id),
            recommending_state_count(review.id),
        )
        for review in list_reviews()
    ]
    shown = [summary for summary in summaries if summary.worth_showing]
    return [Panel(_("Reviews"), "reviews/panel.html", {"summaries": shown}, order=10, wide=True)]
