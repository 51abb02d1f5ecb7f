"""The recommendations reviews already hold, in the shape an import compares a file's rows with."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from crm.db import db
from crm.models import Recommendation, RecommendingState, Theme, recommendation_themes
from crm.recommendations.rows import ParsedRow, wording_key

# Review ids bound in one query: well under every SQLite build's limit of bound parameters.
IDS_PER_QUERY = 500


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


def load_stored(review_ids: Iterable[int]) -> dict[int, dict[str, StoredRow]]:
    """Each review's recommendations as stored, by the key a file's row is matched on, by review id.

    Three queries for every ``IDS_PER_QUERY`` reviews, so that a whole export's hundreds of reviews cost
    a few round trips rather than three each.
    """
    ids = list(review_ids)
    held: dict[int, dict[str, StoredRow]] = {review_id: {} for review_id in ids}
    for start in range(0, len(ids), IDS_PER_QUERY):
        for review_id, found in _load_some(ids[start : start + IDS_PER_QUERY]).items():
            held[review_id] = found
    return held


def _load_some(review_ids: list[int]) -> dict[int, dict[str, StoredRow]]:
    rows: dict[int, tuple[int, str, StoredRow]] = {}
    query = select(
        Recommendation.review_id,
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
    ).where(Recommendation.review_id.in_(review_ids))
    # The order the review's index gives: where two rows have one key the later one is kept, as before.
    query = query.order_by(Recommendation.review_id, Recommendation.sort_key, Recommendation.id)
    # The columns after the review's id are StoredRow's fields, in its order.
    for review_id, rec_id, number, text, *stored in db.session.execute(query):
        rows[rec_id] = (review_id, ParsedRow.key_for(number, text), StoredRow(rec_id, number, text, *stored))
    codes = db.session.execute(
        select(RecommendingState.recommendation_id, RecommendingState.state_code)
        .join(Recommendation)
        .where(Recommendation.review_id.in_(review_ids))
        .order_by(RecommendingState.recommendation_id, RecommendingState.position)
    )
    for rec_id, code in codes:
        rows[rec_id][2].codes += (code,)
    themes = db.session.execute(
        select(recommendation_themes.c.recommendation_id, Theme.name)
        .join(Theme, Theme.id == recommendation_themes.c.theme_id)
        .join(Recommendation, Recommendation.id == recommendation_themes.c.recommendation_id)
        .where(Recommendation.review_id.in_(review_ids))
        .order_by(Theme.name)
    )
    for rec_id, theme in themes:
        rows[rec_id][2].themes += (theme,)
    found: dict[int, dict[str, StoredRow]] = {}
    for review_id, key, stored_row in rows.values():
        found.setdefault(review_id, {})[key] = stored_row
    return found
