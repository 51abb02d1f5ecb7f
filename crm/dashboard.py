"""The reviews panel: each review with its responses and its recommending states' regional groups."""

from __future__ import annotations

from crm.panels import Panel
from crm.services import (
    list_reviews,
    recommendations_by_regional_group,
    recommending_state_count,
    response_counts,
)


def panels() -> list[Panel]:
    summaries = [
        {
            "review": review,
            "responses": response_counts(review.id),
            "by_group": recommendations_by_regional_group(review.id),
            "states": recommending_state_count(review.id),
        }
        for review in list_reviews()
    ]
    # A future review with no date, totals or recommendations yet (the next cycle) is noise here.
    summaries = [
        s
        for s in summaries
        if s["review"].review_date or s["review"].reported_recommendations or any(s["responses"].values())
    ]
    return [Panel("Reviews", "dashboard/reviews.html", {"summaries": summaries}, order=10, wide=True)]
