"""A review's recommendations as table rows, one per recommendation, for CSV and XLSX exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask_babel import lazy_pgettext, ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.db import db
from crm.models import Recommendation
from crm.recommendations.classify import CATEGORY_NAMES
from crm.reviews.services import shown_name

RECOMMENDATION_COLUMNS = (
    "number",
    "text",
    "recommending_states",
    "response",
    "response_raw",
    "action_category",
    "themes",
    "affected_persons",
    "response_source",
    "action_category_name",
    "action_category_set_by_person",
    "is_time_bound",
    "is_specific_action",
    "is_measurable",
    "is_continue_form",
    "implementation_status",
    "sdgs",
)


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _row(rec: Recommendation) -> list[object]:
    return [
        rec.number or "",
        rec.text,
        ";".join(rec.recommending_codes),
        rec.response.value,
        rec.response_raw,
        rec.action_category or "",
        ";".join(theme.name for theme in rec.themes),
        rec.affected_persons,
        rec.response_source,
        CATEGORY_NAMES.get(rec.action_category or 0, ""),
        _yes(rec.action_category_set_by_person),
        _yes(rec.is_time_bound),
        _yes(rec.is_specific_action),
        _yes(rec.is_measurable),
        _yes(rec.is_continue_form),
        rec.implementation_status.value,
        rec.sdgs,
    ]


def recommendation_rows(review_id: int) -> list[list[object]]:
    query = (
        select(Recommendation)
        .where(Recommendation.review_id == review_id)
        .options(selectinload(Recommendation.recommending), selectinload(Recommendation.themes))
        .order_by(Recommendation.sort_key)
    )
    return [_row(rec) for rec in db.session.scalars(query)]


# A search's results span reviews, and people read states by name: the review and the names come first.
SEARCH_COLUMNS = ("review", "recommending_state_names", *RECOMMENDATION_COLUMNS)


# A download from the browser is for a person: its header row is in the reader's language (English: the keys
# themselves, as ``upr export recommendations`` writes them). The values stay the data's own.
COLUMN_LABELS = {
    "review": lazy_pgettext("export column", "review"),
    "recommending_state_names": lazy_pgettext("export column", "recommending_state_names"),
    "number": lazy_pgettext("export column", "number"),
    "text": lazy_pgettext("export column", "text"),
    "recommending_states": lazy_pgettext("export column", "recommending_states"),
    "response": lazy_pgettext("export column", "response"),
    "response_raw": lazy_pgettext("export column", "response_raw"),
    "action_category": lazy_pgettext("export column", "action_category"),
    "themes": lazy_pgettext("export column", "themes"),
    "affected_persons": lazy_pgettext("export column", "affected_persons"),
    "response_source": lazy_pgettext("export column", "response_source"),
    "action_category_name": lazy_pgettext("export column", "action_category_name"),
    "action_category_set_by_person": lazy_pgettext("export column", "action_category_set_by_person"),
    "is_time_bound": lazy_pgettext("export column", "is_time_bound"),
    "is_specific_action": lazy_pgettext("export column", "is_specific_action"),
    "is_measurable": lazy_pgettext("export column", "is_measurable"),
    "is_continue_form": lazy_pgettext("export column", "is_continue_form"),
    "implementation_status": lazy_pgettext("export column", "implementation_status"),
    "sdgs": lazy_pgettext("export column", "sdgs"),
}


def web_header(columns: Iterable[str]) -> list[str]:
    return [str(COLUMN_LABELS[column]) for column in columns]


def search_rows(recommendations: Iterable[Recommendation]) -> Iterator[list[object]]:
    for rec in recommendations:
        yield [rec.review.code, "; ".join(shown_name(state) for state in rec.recommending_states), *_row(rec)]


def wrote(count: int, review_code: str, path: object) -> str:
    """What ``upr export recommendations`` and ``upr export matrix`` say once the file is written."""
    return str(
        ngettext(
            "Wrote %(num)d recommendation of %(review)s to %(file)s.",
            "Wrote %(num)d recommendations of %(review)s to %(file)s.",
            count,
            review=review_code,
            file=path,
        )
    )
