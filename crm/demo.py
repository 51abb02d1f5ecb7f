"""Loading the demo: China's reviews and the annex recommendations from the seeds, classified on import.

Every loader here is idempotent: it finds records by their natural key and only fills what is missing or
changed, so ``upr demo`` can run any number of times.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from crm.db import db
from crm.models import Recommendation, Review
from crm.recommendations.formats import parse_mapping
from crm.recommendations.importing import ImportFileError, ImportReport, import_recommendations
from crm.services import find_review, get_or_create_review

DEMO_DIR = Path(__file__).resolve().parents[1] / "data" / "demo"
ANNEX_FILE = "chn-3-recommendations.csv"


def read_csv(name: str) -> list[dict[str, str]]:
    with (DEMO_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def parse_date(value: object) -> date | None:
    """A full ISO date, or None for a missing or partial one ("2019-03" is only a month)."""
    if isinstance(value, str) and len(value) == 10:
        return date.fromisoformat(value)
    return None


def load_reviews() -> list[Review]:
    """China's reviews with the dates and totals the seeds and the verified facts give."""
    reviews = []
    for entry in json.loads((DEMO_DIR / "reviews.json").read_text(encoding="utf-8")):
        review = get_or_create_review(f"{entry['state']}-{entry['cycle']}")
        totals: dict[str, Any] = entry.get("totals") or {}
        review.session = entry.get("session")
        review.review_date = parse_date(entry.get("review_date"))
        review.outcome_session = entry.get("hrc_session")
        review.outcome_adopted_on = parse_date(entry.get("outcome_adopted"))
        review.reported_recommendations = totals.get("recommendations")
        review.reported_recommending_states = totals.get("recommending_states")
        review.reported_supported = totals.get("supported")
        review.reported_supported_in_part = totals.get("supported_in_part")
        review.reported_noted = totals.get("noted")
        review.reported_not_supported = totals.get("not_supported")
        reviews.append(review)
    return reviews


def load_annex_recommendations() -> ImportReport:
    """The annex of the 2018 guide (seed 000), through the importer so it is classified like any file.

    The demo file is in this app's own layout; its ``seed_note`` column (the corrections made to the seed:
    the misprinted 8.140, Latvia's unnumbered recommendation...) becomes each recommendation's source note.
    """
    report = import_recommendations(
        DEMO_DIR / ANNEX_FILE, "CHN-3", file_format="csv", mapping=parse_mapping(["seed_note=source_note"])
    )
    if not report.written:
        problems = "; ".join(str(problem) for problem in report.problems[:3])
        raise ImportFileError(
            f"The demo annex {ANNEX_FILE} has {report.problem_count} problem(s): {problems}"
        )
    _keep_annex_order(report.review_code)
    return report


def _keep_annex_order(review_code: str) -> None:
    """The annex prints its recommendations theme by theme, not by number; list them in that order."""
    review = find_review(review_code)
    assert review is not None  # the import has just written into it
    positions = {
        (row["number"].strip() or None, row["text"].strip()): position
        for position, row in enumerate(read_csv(ANNEX_FILE), start=1)
    }
    for rec in db.session.scalars(select(Recommendation).where(Recommendation.review_id == review.id)):
        rec.sort_key = positions.get((rec.number, rec.text), rec.sort_key)


def load_demo() -> list[str]:
    """Stage the crm part of the demo; returns report lines."""
    reviews = sorted(review.code for review in load_reviews())
    db.session.flush()
    annex = load_annex_recommendations()
    return [f"Reviews: {', '.join(reviews)}.", f"Recommendations from the 2018 annex: {annex.summary}."]
