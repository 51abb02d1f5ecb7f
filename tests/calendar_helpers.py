"""Shared helpers for the calendar tests: China's reviews as the seeds date them, and ical.js under node."""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

from crm.db import db
from crm.models import Review
from crm.reviews.services import get_or_create_review
from upr_calendar.deadlines import set_official_date
from upr_calendar.models import DeadlineKind

JS_DIR = Path(__file__).resolve().parent / "js"


def china_reviews() -> tuple[Review, Review]:
    """CHN-3 (6 November 2018, adopted 15 March 2019) and CHN-4 (23 January 2024, adopted 4 July 2024)
    with the NGO deadline the seeds give (18 July 2023)."""
    chn3 = get_or_create_review("CHN-3")
    chn3.review_date, chn3.outcome_session, chn3.outcome_adopted_on = date(2018, 11, 6), 40, date(2019, 3, 15)
    chn4 = get_or_create_review("CHN-4")
    chn4.review_date, chn4.outcome_session, chn4.outcome_adopted_on = date(2024, 1, 23), 56, date(2024, 7, 4)
    db.session.flush()
    set_official_date(chn4, DeadlineKind.STAKEHOLDER_SUBMISSION, date(2023, 7, 18), "OHCHR, seed 001")
    db.session.commit()
    return chn3, chn4


def parse_with_icaljs(path: Path) -> dict[str, Any]:
    """What Thunderbird's parser reads from an .ics file (node, tests/js/parse.mjs, in UTC)."""
    result = subprocess.run(
        ["node", str(JS_DIR / "parse.mjs"), str(path)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "TZ": "UTC"},
    )
    parsed: dict[str, Any] = json.loads(result.stdout)
    return parsed
