"""Reviews and the questions every page asks of them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import insert, select

from crm.dates import today
from crm.db import db, utcnow
from crm.i18n import current_language
from crm.models import Review, State
from crm.state_names import display_name
from crm.states import StateResolver
from crm.teams.models import Team

REVIEW_CODE = re.compile(r"^\s*([A-Za-z]{3})[-\s]?(\d{1,2})\s*$")


class ReviewNotFound(LookupError):
    pass


@dataclass(frozen=True)
class ReviewCode:
    state_code: str
    cycle: int

    @classmethod
    def parse(cls, code: str) -> ReviewCode:
        """Parse ``CHN-3`` (State-under-Review's alpha-3 code and the cycle number)."""
        match = REVIEW_CODE.match(code)
        if not match:
            raise ValueError(
                _(
                    "%(code)s is not a review code: write the State-under-Review's alpha-3 code and the "
                    "cycle, e.g. CHN-3.",
                    code=repr(code),
                )
            )
        return cls(match.group(1).upper(), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.state_code}-{self.cycle}"


# The UPR's sessions by cycle: 1-12 the first, 13-26 the second, 27-40 the third, 41-54 the fourth;
# every cycle since the second has 14 sessions.
FIRST_CYCLE_SESSIONS = 12
SESSIONS_PER_CYCLE = 14


def cycle_of_session(session: int) -> int:
    """The UPR cycle a Working Group session belongs to (sessions 1-12: cycle 1, 13-26: 2, ...)."""
    if session < 1:
        raise ValueError(_("session %(session)s is not a UPR session number", session=session))
    if session <= FIRST_CYCLE_SESSIONS:
        return 1
    return 2 + (session - FIRST_CYCLE_SESSIONS - 1) // SESSIONS_PER_CYCLE


# The first sessions of each cycle: the first review of cycle 1 was in April 2008, of cycle 4 in November
# 2022. Later cycles are expected every 14 sessions at three sessions a year.
CYCLE_STARTS = {1: date(2008, 4, 7), 2: date(2012, 5, 21), 3: date(2017, 5, 1), 4: date(2022, 11, 7)}
MONTHS_PER_SESSION = 4


def current_cycle(on: date) -> int:
    """The UPR cycle under way on ``on`` (by the cycles' first sessions)."""
    known = [cycle for cycle, starts in CYCLE_STARTS.items() if starts <= on]
    if not known:
        return 1
    latest = max(known)
    months = (on.year - CYCLE_STARTS[latest].year) * 12 + on.month - CYCLE_STARTS[latest].month
    return latest + months // (SESSIONS_PER_CYCLE * MONTHS_PER_SESSION)


def refuse_new_review(code: ReviewCode, *, asked: bool = False) -> str | None:
    """Why a review that does not exist yet should not be created from ``code`` (None: it may be).

    A review of a past or the current cycle, or of the next one, is plausible; "CHN-9" or "CHN-0" is a
    typo, and silently creating it would scatter recommendations where nobody looks for them. ``asked``:
    the person said they mean it, so any cycle from 1 on is taken.
    """
    latest = current_cycle(today()) + 1
    if code.cycle < 1:
        return str(
            _(
                "There is no cycle %(cycle)s: UPR cycles are numbered from 1, e.g. %(example)s",
                cycle=code.cycle,
                example=f"{code.state_code}-4",
            )
        )
    if asked or code.cycle <= latest:
        return None
    held = [review.code for review in list_reviews() if review.state_code == code.state_code]
    return str(
        _(
            "There is no review %(code)s, and cycle %(cycle)s is not plausible: cycles run from 1 to "
            "%(latest)s, the next one. Reviews of %(state)s held: %(held)s. Check the code, or add "
            "--create-review if you really mean it",
            code=str(code),
            cycle=code.cycle,
            latest=latest,
            state=code.state_code,
            held=", ".join(held) or _("none yet"),
        )
    )


_NAMED_REVIEW = re.compile(r"^\s*(?P<name>.+?)[\s-]*(?P<cycle>\d{1,2})\s*$")


def read_review_code(written: str) -> ReviewCode:
    """``ReviewCode.parse``, or the State's name in any of the UN's languages and the cycle ("Suisse 3",
    "la République islamique d'Iran-4", "瑞士-3"): people find a review as they name the State."""
    try:
        return ReviewCode.parse(written)
    except ValueError:
        match = _NAMED_REVIEW.match(written)
        state_code = StateResolver.from_database().find(match["name"]) if match else None
        if match is None or state_code is None:
            raise
        return ReviewCode(state_code, int(match["cycle"]))


def find_review(code: str) -> Review | None:
    """The review ``code`` names ("CHN-3", or a State's name and the cycle), if it exists."""
    parsed = read_review_code(code)
    return db.session.scalar(
        select(Review).where(Review.state_code == parsed.state_code, Review.cycle == parsed.cycle)
    )


def get_review(code: str) -> Review:
    review = find_review(code)
    if review is None:
        known = ", ".join(r.code for r in list_reviews()) or _("none yet")
        raise ReviewNotFound(
            _("There is no review %(code)s. Known reviews: %(known)s.", code=code, known=known)
        )
    return review


def get_or_create_review(code: str) -> Review:
    """The review named ``code``, staged as new when it does not exist (its state must exist)."""
    review = find_review(code)
    if review is not None:
        return review
    parsed = ReviewCode.parse(code)
    if db.session.get(State, parsed.state_code) is None:
        raise ReviewNotFound(not_a_state(parsed.state_code))
    review = Review(state_code=parsed.state_code, cycle=parsed.cycle)
    db.session.add(review)
    db.session.flush()
    return review


def not_a_state(code: str) -> str:
    return str(_("%(code)s is not the alpha-3 code of a UN member or observer state.", code=code))


def shown_name(state: State) -> str:
    """The state's name as the reader's language shows it ("Suède", "瑞典"; English: the app's own)."""
    return display_name(state.code, current_language(), state.name)


def name_order(name: str) -> str:
    """A sort key for names as shown: case and accents folded, so that "Égypte" sorts among the E.

    Chinese names sort by code point: without a collation library (ICU) there is no pinyin order."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def by_shown_name(states: Iterable[State]) -> list[State]:
    return sorted(states, key=lambda state: name_order(shown_name(state)))


def find_reviews(codes: Iterable[str]) -> dict[str, Review]:
    """The reviews named by ``codes`` that exist, by code: one query however many a whole export names."""
    wanted = {str(ReviewCode.parse(code)) for code in codes}
    states = sorted({code.split("-")[0] for code in wanted})
    found = db.session.scalars(select(Review).where(Review.state_code.in_(states)))
    return {review.code: review for review in found if review.code in wanted}


def get_or_create_reviews(codes: list[str]) -> dict[str, Review]:
    """Like ``get_or_create_review`` for many codes at once; new reviews are inserted in the order given
    (within the caller's transaction, as a flush would)."""
    reviews = find_reviews(codes)
    parsed_codes = dict.fromkeys(ReviewCode.parse(code) for code in codes)
    missing = [parsed for parsed in parsed_codes if str(parsed) not in reviews]
    known = set(db.session.scalars(select(State.code).where(State.code.in_({c.state_code for c in missing}))))
    for parsed in missing:
        if parsed.state_code not in known:
            raise ReviewNotFound(not_a_state(parsed.state_code))
    if missing:
        # One statement for them all (a whole export names hundreds), then read like those found.
        db.session.execute(insert(Review), [{"state_code": c.state_code, "cycle": c.cycle} for c in missing])
        reviews.update(find_reviews(str(parsed) for parsed in missing))
    return reviews


def list_reviews() -> list[Review]:
    return list(db.session.scalars(select(Review).order_by(Review.state_code, Review.cycle)))


@dataclass(frozen=True)
class ReviewChanges:
    session: int | None
    review_date: date | None
    outcome_session: int | None
    outcome_adopted_on: date | None
    team_id: int | None
    notes: str


class ReviewEditError(ValueError):
    """Bad input, one message per form field (``""`` for the form as a whole)."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def update_review(review: Review, changes: ReviewChanges) -> bool:
    """Stage the changes on the review; True if anything changed (``updated_at`` then moves by itself)."""
    if changes.team_id is not None and db.session.get(Team, changes.team_id) is None:
        raise ReviewEditError({"team_id": _("That team no longer exists: choose another one.")})
    if (
        changes.review_date is not None
        and changes.outcome_adopted_on is not None
        and changes.outcome_adopted_on < changes.review_date
    ):
        raise ReviewEditError(
            {"outcome_adopted_on": _("The outcome cannot be adopted before the review: check both dates.")}
        )
    values = {
        "session": changes.session,
        "review_date": changes.review_date,
        "outcome_session": changes.outcome_session,
        "outcome_adopted_on": changes.outcome_adopted_on,
        "team_id": changes.team_id,
        "notes": changes.notes,
    }
    changed = {name: value for name, value in values.items() if getattr(review, name) != value}
    for name, value in changed.items():
        setattr(review, name, value)
    if changed:
        # Calendars turn updated_at into iCal SEQUENCE in whole seconds: two edits within one second
        # must still count as two.
        review.updated_at = max(utcnow(), review.updated_at + timedelta(seconds=1))
    return bool(changed)
