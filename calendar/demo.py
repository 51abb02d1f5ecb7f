"""Demo data: China's official UPR dates from the seeds and its treaty-body dates, if the file is there."""

from __future__ import annotations

from datetime import date

from crm.services import find_review
from upr_calendar.models import DeadlineKind
from upr_calendar.rules import DATA_DIR
from upr_calendar.services import set_official_date
from upr_calendar.treaties import load_treaty_file

TREATY_FILE = DATA_DIR / "demo" / "treaty-bodies.json"
# Dates the seeds state outright (seed 001): OHCHR's deadline for NGO reports on China's fourth review.
OFFICIAL_DATES = {
    ("CHN-4", DeadlineKind.STAKEHOLDER_SUBMISSION): (date(2023, 7, 18), "seed 001: OHCHR deadline")
}


def load_demo() -> list[str]:
    lines = []
    for (code, kind), (on, source) in OFFICIAL_DATES.items():
        review = find_review(code)
        if review is not None:
            set_official_date(review, kind, on, source)
            lines.append(f"calendar: {code} {kind.label} officially {on:%-d %B %Y}")
    if TREATY_FILE.exists():
        ratified, events = load_treaty_file("CHN", TREATY_FILE)
        lines.append(
            f"calendar: China's treaty bodies — {ratified} ratifications added, {events} dates added or moved"
        )
    else:
        lines.append("calendar: data/demo/treaty-bodies.json not found; no treaty-body dates loaded")
    return lines
