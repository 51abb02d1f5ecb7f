"""Dashboard charts: implementation status by theme and by recommending state, and responses per cycle."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from flask import url_for
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import func, select

from crm.assessments.charts import Series, stacked_bars
from crm.assessments.matrix import STATUS_COLOURS
from crm.db import db
from crm.i18n import current_language
from crm.models import (
    ImplementationStatus,
    Recommendation,
    RecommendingState,
    Response,
    Review,
    State,
    Theme,
    recommendation_themes,
)
from crm.panels import Panel
from crm.reviews.services import shown_name
from crm.state_names import display_name

STATES_SHOWN = 12
STATUS_ORDER = (
    ImplementationStatus.IMPLEMENTED,
    ImplementationStatus.PARTIAL,
    ImplementationStatus.NO_PROGRESS,
    ImplementationStatus.REGRESSED,
    ImplementationStatus.NOT_ASSESSED,
)
RESPONSE_COLOURS = {
    Response.SUPPORTED: ("#43A047", "#ffffff"),
    Response.SUPPORTED_IN_PART: ("#FB8C00", "#1d2733"),
    Response.NOTED: ("#E53935", "#ffffff"),
    Response.NOT_SUPPORTED: ("#8E1C1C", "#ffffff"),
    Response.VOLUNTARY_PLEDGE: ("#1E88E5", "#ffffff"),
    Response.UNKNOWN: ("#B0BEC5", "#1d2733"),
}


def status_series() -> list[Series]:
    """The legend of the status charts, in the reader's language."""
    return [Series(status.value, str(status.label), *STATUS_COLOURS[status]) for status in STATUS_ORDER]


def response_series() -> list[Series]:
    """The legend of the response charts; an unknown response reads "not known" as the matrix says it."""
    return [
        Series(
            response.value,
            _("not known") if response is Response.UNKNOWN else str(response.label),
            *RESPONSE_COLOURS[response],
        )
        for response in RESPONSE_COLOURS
    ]


Rows = list[tuple[str, dict[str, int]]]


def status_by_theme(review_id: int) -> Rows:
    """Recommendations per theme and status (one on two themes counts in both)."""
    query = (
        select(Theme.name, Recommendation.implementation_status, func.count())
        .join(recommendation_themes, recommendation_themes.c.theme_id == Theme.id)
        .join(Recommendation, Recommendation.id == recommendation_themes.c.recommendation_id)
        .where(Recommendation.review_id == review_id)
        .group_by(Theme.name, Recommendation.implementation_status)
    )
    return _rows(db.session.execute(query), order_by_total=False)


def status_by_state(review_id: int, limit: int = STATES_SHOWN) -> Rows:
    """The states that made most recommendations, with the status of what they recommended."""
    query = (
        select(State.code, State.name, Recommendation.implementation_status, func.count())
        .join(RecommendingState, RecommendingState.state_code == State.code)
        .join(Recommendation, Recommendation.id == RecommendingState.recommendation_id)
        .where(Recommendation.review_id == review_id)
        .group_by(State.code, State.name, Recommendation.implementation_status)
    )
    language = current_language()
    shown = (
        (display_name(code, language, name), status, count)
        for code, name, status, count in db.session.execute(query)
    )
    return _rows(shown, order_by_total=True)[:limit]


def responses_by_review() -> Rows:
    """Responses per review, in cycle order (e.g. China 2018 beside 2024)."""
    query = select(Recommendation.review_id, Recommendation.response, func.count()).group_by(
        Recommendation.review_id, Recommendation.response
    )
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for review_id, response, count in db.session.execute(query):
        counts[review_id][response.value] = count
    return [(review_label(review), counts[review.id]) for review in _reviews_with_recommendations()]


def reported_responses() -> Rows:
    """The responses each review's official outcome reports, for reviews only partly held in the app."""
    rows = []
    reviews = db.session.scalars(
        select(Review)
        .where(Review.reported_recommendations.is_not(None))
        .order_by(Review.state_code, Review.cycle)
    )
    for review in reviews:
        counts = {
            Response.SUPPORTED.value: review.reported_supported or 0,
            Response.SUPPORTED_IN_PART.value: review.reported_supported_in_part or 0,
            Response.NOTED.value: review.reported_noted or 0,
            Response.NOT_SUPPORTED.value: review.reported_not_supported or 0,
        }
        reported = review.reported_recommendations or 0
        counts[Response.UNKNOWN.value] = max(reported - sum(counts.values()), 0)
        rows.append((review_label(review), counts))
    return rows


def review_label(review: Review) -> str:
    """ "China cycle 3 (2018)" in the reader's language."""
    if review.review_date:
        return str(
            _(
                "%(state)s cycle %(cycle)s (%(year)s)",
                state=shown_name(review.state),
                cycle=review.cycle,
                year=review.review_date.year,
            )
        )
    return str(_("%(state)s cycle %(cycle)s", state=shown_name(review.state), cycle=review.cycle))


def _rows(triples: Iterable[tuple[str, ImplementationStatus, int]], *, order_by_total: bool) -> Rows:
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for label, status, count in triples:
        counts[label][status.value] = count
    if order_by_total:
        return sorted(counts.items(), key=lambda item: (-sum(item[1].values()), item[0]))
    return sorted(counts.items(), key=lambda item: item[0].lower())


def _reviews_with_recommendations() -> list[Review]:
    has_any = select(Recommendation.id).where(Recommendation.review_id == Review.id).exists()
    return list(db.session.scalars(select(Review).where(has_any).order_by(Review.state_code, Review.cycle)))


def panels() -> list[Panel]:
    result = []
    for review in _reviews_with_recommendations():
        charts: list[tuple[str, Markup]] = [
            (
                _("By theme"),
                stacked_bars(
                    _("Implementation status by theme, %(review)s", review=review.code),
                    status_by_theme(review.id),
                    status_series(),
                ),
            ),
            (
                _("By recommending state (the %(count)s that recommended most)", count=STATES_SHOWN),
                stacked_bars(
                    _("Implementation status by recommending state, %(review)s", review=review.code),
                    status_by_state(review.id),
                    status_series(),
                ),
            ),
        ]
        context = {
            "review": review,
            "charts": charts,
            "link": url_for("assessments.review", code=review.code),
        }
        result.append(
            Panel(
                _("Implementation: %(review)s", review=review_label(review)),
                "assessments/panel_status.html",
                context,
                order=30,
            )
        )
    context = {
        "chart": stacked_bars(_("Responses per review cycle"), responses_by_review(), response_series()),
        "reported": stacked_bars(_("Responses reported per cycle"), reported_responses(), response_series()),
    }
    result.append(Panel(_("Responses per cycle"), "assessments/panel_responses.html", context, order=31))
    return result
