"""China's real recommendations for the demo: OHCHR's matrices for CHN-2 and CHN-3, then the 2018 annex.

The matrices (copied unchanged from the field's files into ``data/demo/``) give every recommendation of
the 2nd (252) and 3rd (346) cycles with China's own responses. The annex of the 2018 civil-society guide
(seed 000, ``chn-3-recommendations.csv``) stays the source of what the seed adds: the headings ISHR
filed 76 of them under, and the corrections it needed (the misprinted 8.140...), kept in each one's
source note. The annex never overrides the matrix's wording, states or responses.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from crm.db import db
from crm.demo_files import DEMO_DIR, read_csv
from crm.models import Recommendation, Theme
from crm.recommendations.importing import ImportFileError, ImportReport, import_recommendations
from crm.recommendations.rows import wording_key
from crm.reviews.services import get_review

MATRICES = {"CHN-2": "ohchr-matrix-chn-2.docx", "CHN-3": "ohchr-matrix-chn-3.docx"}
ANNEX_FILE = "chn-3-recommendations.csv"
ANNEX_REVIEW = "CHN-3"


def load_matrix(review_code: str) -> str:
    """One of OHCHR's matrices, through the importer like any file (an error stops the demo).

    A review that already holds the matrix is left as it is: importing it again would take back the
    annex's headings, which the matrix does not have, only for ``apply_annex`` to add them once more.
    """
    name = MATRICES[review_code]
    checked = import_recommendations(DEMO_DIR / name, review_code, dry_run=True)
    if checked.problem_count:
        problems = "; ".join(str(problem) for problem in checked.problems[:3])
        raise ImportFileError(
            _(
                "The demo matrix %(file)s has %(count)s problem(s): %(problems)s",
                file=name,
                count=checked.problem_count,
                problems=problems,
            )
        )
    if not checked.added:
        return str(
            _(
                "%(review)s already holds the %(count)s recommendations of OHCHR's matrix.",
                review=review_code,
                count=checked.rows,
            )
        )
    report: ImportReport = import_recommendations(DEMO_DIR / name, review_code)
    return str(
        _(
            "Recommendations of %(review)s from OHCHR's matrix: %(summary)s.",
            review=review_code,
            summary=report.summary,
        )
    )


def apply_annex() -> tuple[int, list[str]]:
    """Give the annex's recommendations its headings and notes; returns how many it found, and the rest.

    A row is found by its number, else by its wording (Latvia's, unnumbered in the seed, is 28.29).
    """
    review = get_review(ANNEX_REVIEW)
    held = list(db.session.scalars(select(Recommendation).where(Recommendation.review_id == review.id)))
    by_number = {rec.number: rec for rec in held if rec.number}
    by_wording = {wording_key(rec.text): rec for rec in held}
    themes = {theme.name: theme for theme in db.session.scalars(select(Theme))}
    found, missing = 0, []
    for row in read_csv(ANNEX_FILE):
        rec = by_number.get(row["number"].strip()) or by_wording.get(wording_key(row["text"]))
        if rec is None:
            missing.append(row["number"] or row["text"][:40])
            continue
        found += 1
        heading = row["theme"].strip()
        theme = themes.get(heading)
        if theme is None:
            theme = themes[heading] = Theme(name=heading)
            db.session.add(theme)
        if theme not in rec.themes:
            rec.themes.append(theme)
        note = row["seed_note"].strip()
        if note and note not in rec.source_note:
            rec.source_note = f"{rec.source_note}\n{note}".strip()
    return found, missing


def load_demo() -> list[str]:
    """Stage both matrices and the annex's additions (into the reviews the reviews demo made)."""
    lines = [load_matrix(code) for code in MATRICES]
    found, missing = apply_annex()
    if missing:
        lines.append(
            _(
                "The 2018 annex files %(found)s of them under its headings; not in the matrix: %(missing)s.",
                found=found,
                missing=", ".join(missing),
            )
        )
    else:
        lines.append(_("The 2018 annex files %(found)s of them under its headings.", found=found))
    return lines
