"""What a calendar file or feed holds: a review's calendar is the whole review; a team's or a person's keeps a
window (the last ``past_days``, the next ``years``) and says what it leaves out.

The command line, the agenda's download and the subscription feeds all build their calendars here, so they
hold the same events and name them the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from babel.lists import format_list
from sqlalchemy import select

from crm.auth.models import User
from crm.dates import format_long_day
from crm.db import db
from crm.i18n import current_language, locale_for
from crm.models import Review
from crm.teams.models import Team
from upr_calendar.agenda import agenda
from upr_calendar.items import AgendaItem
from upr_calendar.translate import _, ngettext

PAST_DAYS = 90
YEARS_AHEAD = 5
# The whole of a review: its dates never fall outside these (the UPR began in 2008).
EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
NO_REVIEW = ""


@dataclass(frozen=True)
class Scope:
    """Whose calendar: one review, one team, one person, or (all empty) everyone's."""

    review: Review | None = None
    team: Team | None = None
    user: User | None = None
    kinds: frozenset[str] | None = None

    @property
    def title(self) -> str:
        """The calendar's name in calendar apps, e.g. "UPR Outreach · CHN-4"."""
        parts = [
            self.review.code if self.review else "",
            _("Team %(name)s", name=self.team.name) if self.team else "",
            self.user.display_name if self.user else "",
        ]
        return " · ".join(["UPR Outreach", *filter(None, parts)])

    @property
    def filename(self) -> str:
        """The file name a download gets, after what it holds: ``upr-CHN-4.ics``, ``upr-team-asia.ics``."""
        parts = [
            self.review.code if self.review else "",
            f"team-{self.team.name}" if self.team else "",
            self.user.email.split("@")[0] if self.user else "",
            "-".join(sorted(self.kinds)) if self.kinds else "",
        ]
        slug = "-".join(_slug(part) for part in parts if part) or "all-deadlines"
        return f"upr-{slug}.ics"


def _slug(text: str) -> str:
    """Letters, digits and hyphens only: safe in a Content-Disposition header and on every file system."""
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-") or "calendar"


@dataclass(frozen=True)
class CalendarExport:
    """The events a calendar holds, and how many of the scope's events its window leaves out."""

    scope: Scope
    items: list[AgendaItem]
    start: date | None
    end: date | None
    earlier: Counter[str]
    later: int

    @property
    def is_whole(self) -> bool:
        return self.start is None

    def left_out(self, *, hints: bool = True) -> str:
        """What the window leaves out, e.g. "12 earlier events of CHN-4 left out, use --past-days"
        (``hints``: name the command-line option that brings them back)."""
        sentences = []
        if self.earlier:
            earlier = self._earlier_events()
            if hints:
                sentences.append(_("%(events)s left out, use --past-days", events=earlier))
            else:
                sentences.append(_("%(events)s left out", events=earlier))
        if self.later:
            if hints:
                sentences.append(
                    ngettext(
                        "%(num)d later event left out, use --years",
                        "%(num)d later events left out, use --years",
                        self.later,
                    )
                )
            else:
                sentences.append(
                    ngettext("%(num)d later event left out", "%(num)d later events left out", self.later)
                )
        if len(sentences) == 2:
            return _("%(earlier)s; %(later)s", earlier=sentences[0], later=sentences[1])
        return sentences[0] if sentences else ""

    def _earlier_events(self) -> str:
        """ "12 earlier events of CHN-4, 3 of CHN-3 and 2 others": the earlier events, most first."""
        others = self.earlier.get(NO_REVIEW, 0)
        by_review = sorted(
            ((code, count) for code, count in self.earlier.items() if code != NO_REVIEW),
            key=lambda pair: (-pair[1], pair[0]),
        )
        if not by_review:
            return ngettext("%(num)d earlier event", "%(num)d earlier events", others)
        (first_code, first_count), rest = by_review[0], by_review[1:]
        parts = [
            ngettext(
                "%(num)d earlier event of %(review)s",
                "%(num)d earlier events of %(review)s",
                first_count,
                review=first_code,
            ),
            *[
                ngettext("%(num)d of %(review)s", "%(num)d of %(review)s", count, review=code)
                for code, count in rest
            ],
        ]
        if others:
            parts.append(ngettext("%(num)d other", "%(num)d others", others))
        return format_list(parts, locale=locale_for(current_language()))

    def window(self) -> str:
        """In words, what the calendar covers (inside a sentence: "12 events: events from …")."""
        if self.start is None or self.end is None:
            return _("every milestone of the review, past ones included")
        return _(
            "events from %(start)s to %(end)s",
            start=format_long_day(self.start),
            end=format_long_day(self.end),
        )

    def description(self) -> str:
        """What calendar apps show about the calendar: its window and what that leaves out."""
        if self.start is None or self.end is None:
            return _("Every milestone of the review, past ones included.")
        window = {"start": format_long_day(self.start), "end": format_long_day(self.end)}
        left_out = self.left_out(hints=False)
        if left_out:
            return _("Events from %(start)s to %(end)s; %(left_out)s.", left_out=left_out, **window)
        return _("Events from %(start)s to %(end)s.", **window)


def build_export(
    scope: Scope, today: date, *, past_days: int | None = None, years: int = YEARS_AHEAD
) -> CalendarExport:
    """The scope's calendar: a review whole unless ``past_days`` is given, anything else in its window."""
    everything = agenda(
        EARLIEST,
        LATEST,
        review_id=scope.review.id if scope.review else None,
        team_id=scope.team.id if scope.team else None,
        user_id=scope.user.id if scope.user else None,
        kinds=set(scope.kinds) if scope.kinds else None,
    )
    if scope.review is not None and past_days is None:
        return CalendarExport(scope, _within_the_review(everything, scope.review), None, None, Counter(), 0)
    start = today - timedelta(days=PAST_DAYS if past_days is None else past_days)
    end = today + timedelta(days=366 * years)
    codes = _review_codes()
    earlier = Counter(codes.get(item.review_id or 0, NO_REVIEW) for item in everything if item.day < start)
    later = sum(1 for item in everything if item.day > end)
    chosen = [item for item in everything if start <= item.day <= end]
    return CalendarExport(scope, chosen, start, end, earlier, later)


def _within_the_review(items: list[AgendaItem], review: Review) -> list[AgendaItem]:
    """The review's own milestones, and the state's other dates (treaty bodies) from its first milestone to
    its next review: the state's treaty-body dates of 2023 are not part of its 2009 review."""
    own = [item.day for item in items if item.review_id == review.id]
    if not own:
        return []
    first, last = min(own), max(own)
    return [item for item in items if item.review_id == review.id or first <= item.day < last]


def _review_codes() -> dict[int, str]:
    return {review.id: review.code for review in db.session.scalars(select(Review))}


def no_dates_message(review: Review) -> str:
    """Why a review's calendar is empty, and what to do about it."""
    return _(
        "%(review)s has no dates yet, so its calendar would be empty: enter its review date on the "
        "review's page (Calendar → %(review)s → Edit the review's dates).",
        review=review.code,
    )
