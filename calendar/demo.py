"""Demo data: China's official UPR dates from the seeds, its treaty-body dates, and one invented meeting.

Around the demo's "today" nothing real falls due (China's next review is in 2029), so one clearly invented
meeting a few weeks ahead shows how a visit and its "send the briefing" reminder look. It is marked
"(demo)" in its title and description and never stands for a real-world event.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from crm import dates
from crm.contacts.demo import DEMO_TEAM
from crm.db import db
from crm.reviews.services import find_review
from crm.teams.models import Team
from upr_calendar.deadlines import set_official_date
from upr_calendar.models import DeadlineKind, Event, EventKind
from upr_calendar.rules import DATA_DIR
from upr_calendar.translate import _
from upr_calendar.treaties import load_treaty_file
from upr_calendar.visits import local_instant, save_event

TREATY_FILE = DATA_DIR / "demo" / "treaty-bodies.json"
# Dates the seeds state outright (seed 001): OHCHR's deadline for NGO reports on China's fourth review, and
# the day its documents went online.
OFFICIAL_DATES = {
    ("CHN-4", DeadlineKind.STAKEHOLDER_SUBMISSION): (date(2023, 7, 18), "seed 001: OHCHR deadline"),
    ("CHN-4", DeadlineKind.DOCUMENTS): (
        date(2023, 12, 21),
        'seed 001: "All these reports were made available on the UN website on 21 December 2023."',
    ),
}
DEMO_MEETING = "(demo) Briefing of the demo team's Geneva contacts"


def load_demo() -> list[str]:
    lines = [_invented_meeting()]
    for (code, kind), (on, source) in OFFICIAL_DATES.items():
        review = find_review(code)
        if review is not None:
            set_official_date(review, kind, on, source)
            lines.append(
                _(
                    "calendar: %(review)s %(deadline)s officially %(day)s",
                    review=code,
                    deadline=kind.label,
                    day=dates.format_long_day(on),
                )
            )
    if TREATY_FILE.exists():
        ratified, events = load_treaty_file("CHN", TREATY_FILE)
        lines.append(
            _(
                "calendar: China's treaty bodies — %(ratified)s ratifications added, "
                "%(events)s dates added or moved",
                ratified=ratified,
                events=events,
            )
        )
    else:
        lines.append(_("calendar: data/demo/treaty-bodies.json not found; no treaty-body dates loaded"))
    return lines


def _invented_meeting() -> str:
    """The invented meeting, three weeks from the day the demo is loaded; loaded once, never moved."""
    existing = db.session.scalar(select(Event).where(Event.title == DEMO_MEETING))
    if existing is not None:
        return _(
            "calendar: invented demo meeting already planned for %(day)s",
            day=dates.format_long_day(existing.local_start.date()),
        )
    zone = ZoneInfo("Europe/Zurich")
    day = dates.today() + timedelta(days=21)  # the demo visit is always three weeks ahead
    starts = local_instant(day, time(10, 0), zone)
    review = find_review("CHN-4")
    team = db.session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    save_event(
        None,
        kind=EventKind.MEETING,
        title=DEMO_MEETING,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1, minutes=30),
        timezone=zone.key,
        location="Geneva (demo)",
        description="Invented for the demo: not a real event. Shows a meeting with a pre-visit reminder.",
        briefing_days_before=7,
        review_id=review.id if review else None,
        team_id=team.id if team else None,
    )
    return _(
        "calendar: invented demo meeting planned for %(day)s, briefing reminder 7 days before",
        day=dates.format_long_day(day),
    )
