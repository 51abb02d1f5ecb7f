"""Reviews and the questions every page asks of them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from crm.db import db, utcnow
from crm.models import Review, State
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
                f"{code!r} is not a review code: write the State-under-Review's alpha-3 code and the "
                "cycle, e.g. CHN-3."
            )
        return cls(match.group(1).upper(), int(match.group(2)))

    def __str__(self) -> str:
        return f"{self.state_code}-{self.cycle}"


def find_review(code: str) -> Review | None:
    parsed = ReviewCode.parse(code)
    return db.session.scalar(
        select(Review).where(Review.state_code == parsed.state_code, Review.cycle == parsed.cycle)
    )


def get_review(code: str) -> Review:
    review = find_review(code)
    if review is None:
        known = ", ".join(r.code for r in list_reviews()) or "none yet"
        raise ReviewNotFound(f"There is no review {code}. Known reviews: {known}.")
    return review


def get_or_create_review(code: str) -> Review:
    """The review named ``code``, staged as new when it does not exist (its state must exist)."""
    review = find_review(code)
    if review is not None:
        return review
    parsed = ReviewCode.parse(code)
    if db.session.get(State, parsed.state_code) is None:
        raise ReviewNotFound(f"{parsed.state_code} is not the alpha-3 code of a UN member or observer state.")
    review = Review(state_code=parsed.state_code, cycle=parsed.cycle)
    db.session.add(review)
    db.session.flush()
    return review


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
        raise ReviewEditError({"team_id": "That team no longer exists: choose another one."})
    if (
        changes.review_date is not None
        and changes.outcome_adopted_on is not None
        and changes.outcome_adopted_on < changes.review_date
    ):
        raise ReviewEditError(
            {"outcome_adopted_on": "The outcome cannot be adopted before the review: check both dates."}
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
