"""The recommendations a review already holds, in the shape an import compares a file's rows with."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from crm.db import db
from crm.models import Recommendation, RecommendingState, Review, Theme, recommendation_themes
from crm.recommendations.parsing import ParsedRow, wording_key


@dataclass(slots=True)
class StoredRow:
    """A recommendation as stored, compared with the row of a file that has the same key."""

    id: int
    number: str | None
    text: str
    response: str
    response_raw: str
    response_source: str
    affected_persons: str
    sdgs: str
    source_note: str
    action_category: int | None
    set_by_person: bool
    codes: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()

    @property
    def wording_key(self) -> str:
        return wording_key(self.text)


def load_stored(review: Review) -> dict[str, StoredRow]:
    """The review's recommendations as stored, by the key a file's row is matched on."""
    found: dict[int, tuple[str, StoredRow]] = {}
    query = select(
        Recommendation.id,
        Recommendation.number,
        Recommendation.text,
        Recommendation.response,
        Recommendation.response_raw,
        Recommendation.response_source,
        Recommendation.affected_persons,
        Recommendation.sdgs,
        Recommendation.source_note,
        Recommendation.action_category,
        Recommendation.action_category_set_by_person,
    ).where(Recommendation.review_id == review.id)
    # The columns are StoredRow's fields, in its order.
    for rec_id, number, text, *stored in db.session.execute(query):
        found[rec_id] = (ParsedRow.key_for(number, text), StoredRow(rec_id, number, text, *stored))
    codes = db.session.execute(
        select(RecommendingState.recommendation_id, RecommendingState.state_code)
        .join(Recommendation)
        .where(Recommendation.review_id == review.id)
        .order_by(RecommendingState.recommendation_id, RecommendingState.position)
    )
    for rec_id, code in codes:
        found[rec_id][1].codes += (code,)
    themes = db.session.execute(
        select(recommendation_themes.c.recommendation_id, Theme.name)
        .join(Theme, Theme.id == recommendation_themes.c.theme_id)
        .join(Recommendation, Recommendation.id == recommendation_themes.c.recommendation_id)
        .where(Recommendation.review_id == review.id)
        .order_by(Theme.name)
    )
    for rec_id, theme in themes:
        found[rec_id][1].themes += (theme,)
    return dict(found.values())
