"""The annex of the 2018 guide (seed 000): China's 3rd-cycle recommendations, through the importer."""

from __future__ import annotations

from sqlalchemy import select

from crm.db import db
from crm.demo_files import DEMO_DIR, read_csv
from crm.models import Recommendation
from crm.recommendations.importing import ImportFileError, ImportReport, import_recommendations
from crm.recommendations.layouts import parse_mapping
from crm.reviews.services import find_review

ANNEX_FILE = "chn-3-recommendations.csv"


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
    """Stage the annex's recommendations (into the CHN-3 the reviews demo made); returns report lines."""
    annex = load_annex_recommendations()
    return [f"Recommendations from the 2018 annex: {annex.summary}."]
