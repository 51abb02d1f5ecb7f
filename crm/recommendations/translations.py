"""Translations beside the original: a UHRI export in another of the UN's languages, read as translations.

OHCHR's Universal Human Rights Index publishes the same recommendations in each of the six languages; an
export downloaded from its French interface gives, in the same sixteen columns, the French text of the
recommendations the English one gives. Importing it with ``--translations fr`` creates no recommendation:
each row's text becomes the French translation of the recommendation it matches — the same review (its
State under Review, in any language, and the cycle of its session) and paragraph number, else the same
document symbol and paragraph number. Every row is accounted for; everything is checked before anything is
staged, and the caller commits (or, for a dry run, rolls back).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from crm.db import db
from crm.models import Recommendation, Review
from crm.recommendations.cells import split_group, trailing_group
from crm.recommendations.errors import ImportFileError
from crm.recommendations.importing import read_layout
from crm.recommendations.layouts import Record
from crm.recommendations.models import RecommendationTranslation
from crm.recommendations.parsing import MAX_TEXT, UPR_BODIES
from crm.recommendations.readers import open_table
from crm.reviews.services import cycle_of_session
from crm.state_names import LANGUAGES
from crm.states import StateResolver
from crm.text import TextError, clean_text

_DIGITS = re.compile(r"\d{1,3}")
_CHUNK = 500  # ids per IN (...) when reading the translations a file already has


class Outcome(enum.StrEnum):
    MATCHED = "matched"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    UNMATCHED = "unmatched"


@dataclass(frozen=True)
class RowOutcome:
    """What became of one row: the recommendation it matched ("CHN-4 161.25"), or why it matched none."""

    row: int
    outcome: Outcome
    recommendation: str = ""
    reason: str = ""

    def __str__(self) -> str:
        if self.outcome is Outcome.MATCHED:
            return str(
                _(
                    "Row %(row)s: %(recommendation)s, translation added.",
                    row=self.row,
                    recommendation=self.recommendation,
                )
            )
        if self.outcome is Outcome.UPDATED:
            return str(
                _(
                    "Row %(row)s: %(recommendation)s, already translated: updated.",
                    row=self.row,
                    recommendation=self.recommendation,
                )
            )
        if self.outcome is Outcome.UNCHANGED:
            return str(
                _(
                    "Row %(row)s: %(recommendation)s, already translated in the same words.",
                    row=self.row,
                    recommendation=self.recommendation,
                )
            )
        return str(_("Row %(row)s: unmatched, %(reason)s.", row=self.row, reason=self.reason))


@dataclass
class TranslationReport:
    file_name: str
    language: str
    rows: list[RowOutcome] = field(default_factory=list)
    written: bool = False

    def count(self, outcome: Outcome) -> int:
        return sum(1 for row in self.rows if row.outcome is outcome)

    @property
    def summary(self) -> str:
        """One sentence: how many rows matched (new or updated), were already there, and matched nothing."""
        return str(
            _(
                "%(rows)s, %(added)s added, %(updated)s updated, %(unchanged)s already there, "
                "%(unmatched)s unmatched",
                rows=ngettext("%(num)d row", "%(num)d rows", len(self.rows)),
                added=self.count(Outcome.MATCHED),
                updated=self.count(Outcome.UPDATED),
                unchanged=self.count(Outcome.UNCHANGED),
                unmatched=self.count(Outcome.UNMATCHED),
            )
        )


class _Unmatched(ValueError):
    """Why a row matches no recommendation: one clause, for "Row 7: unmatched, …"."""


@dataclass(frozen=True)
class _Match:
    row: int
    recommendation_id: int
    label: str
    text: str


class _Finder:
    """Finds the recommendation a row translates; each review's and each symbol's numbers read once."""

    def __init__(self, resolver: StateResolver) -> None:
        self.resolver = resolver
        self._reviews: dict[tuple[str, int], tuple[str, dict[str, int]] | None] = {}
        self._symbols: dict[str, dict[str, list[tuple[int, str]]]] = {}

    def find(self, record: Record) -> tuple[int, str]:
        """The id and label ("CHN-4 161.25") of the recommendation ``record`` translates."""
        number = record.get("number", "").strip()
        if not number:
            raise _Unmatched(_("the row gives no paragraph number"))
        symbol = record.get("response_source", "").strip()
        review = self._review_of(record)
        if review is not None:
            code, numbers = review
            if number in numbers:
                return numbers[number], f"{code} {number}"
        by_symbol = self._by_symbol(symbol).get(number, []) if symbol else []
        if len(by_symbol) == 1:
            return by_symbol[0]
        if len(by_symbol) > 1:
            raise _Unmatched(
                _(
                    "%(count)s recommendations of %(symbol)s are numbered %(number)s",
                    count=len(by_symbol),
                    symbol=symbol,
                    number=number,
                )
            )
        if review is not None:
            raise _Unmatched(
                _("%(review)s has no recommendation %(number)s", review=review[0], number=number)
            )
        return self._explain(record, number, symbol)

    def _explain(self, record: Record, number: str, symbol: str) -> tuple[int, str]:
        state, session = record.get("state_under_review", "").strip(), record.get("session", "").strip()
        if state and self._state(state) is None:
            raise _Unmatched(_("the State under Review %(state)s is not known", state=state))
        if state and session and self._cycle(session) is not None:
            raise _Unmatched(
                _(
                    "no review of %(state)s in the cycle of session %(session)s is held, nor a "
                    "recommendation %(number)s of %(symbol)s",
                    state=state,
                    session=session,
                    number=number,
                    symbol=symbol or "—",
                )
            )
        raise _Unmatched(
            _(
                "the row names no State under Review and session, and no recommendation %(number)s of "
                "%(symbol)s is held",
                number=number,
                symbol=symbol or "—",
            )
        )

    def _state(self, written: str) -> str | None:
        codes = [self.resolver.find(part) for part in written.split(";") if part.strip()]
        return codes[0] if len(codes) == 1 else None

    @staticmethod
    def _cycle(session: str) -> int | None:
        found = _DIGITS.search(session)
        return cycle_of_session(int(found[0])) if found and int(found[0]) >= 1 else None

    def _review_of(self, record: Record) -> tuple[str, dict[str, int]] | None:
        state = self._state(record.get("state_under_review", ""))
        cycle = self._cycle(record.get("session", ""))
        if state is None or cycle is None:
            return None
        if (state, cycle) not in self._reviews:
            review = db.session.scalar(
                select(Review).where(Review.state_code == state, Review.cycle == cycle)
            )
            self._reviews[state, cycle] = None
            if review is not None:
                numbers = db.session.execute(
                    select(Recommendation.number, Recommendation.id).where(
                        Recommendation.review_id == review.id, Recommendation.number.is_not(None)
                    )
                ).all()
                self._reviews[state, cycle] = (review.code, {n: i for n, i in numbers if n})
        return self._reviews[state, cycle]

    def _by_symbol(self, symbol: str) -> dict[str, list[tuple[int, str]]]:
        if symbol not in self._symbols:
            found: dict[str, list[tuple[int, str]]] = {}
            rows = db.session.execute(
                select(Recommendation.number, Recommendation.id, Review)
                .join(Review, Review.id == Recommendation.review_id)
                .where(Recommendation.response_source == symbol, Recommendation.number.is_not(None))
            ).all()
            for number, rec_id, review in rows:
                found.setdefault(number or "", []).append((rec_id, f"{review.code} {number}"))
            self._symbols[symbol] = found
        return self._symbols[symbol]


def import_translations(
    path: Path, language: str, *, dry_run: bool = False, display_name: str | None = None
) -> TranslationReport:
    """Read ``path`` (a UHRI export) as the ``language`` translations of recommendations already held.

    Raises ``ImportFileError`` when the language or the file as a whole is unusable; every row is in the
    report. Unless ``dry_run``, the translations are staged (the caller commits); nothing is created.
    """
    language = language.strip().lower()
    if language not in LANGUAGES:
        raise ImportFileError(
            _(
                "%(language)s is not one of the UN's six languages; write ar, zh, en, fr, ru or es",
                language=language or "—",
            )
        )
    name = display_name or path.name
    source = open_table(path, name)
    layout = read_layout(source, name, "uhri", None)
    finder = _Finder(StateResolver.from_database())
    text_column = layout.positions["text"]
    report = TranslationReport(name, language)
    matches: dict[int, _Match] = {}
    unmatched: dict[int, RowOutcome] = {}
    for number, cells in source.rows():
        if number <= layout.header_row or not "".join(cells).strip() or cells == layout.header:
            continue
        try:
            written_text = cells[text_column] if text_column < len(cells) else ""
            match = _match(number, layout.record(cells), written_text, finder)
            earlier = matches.get(match.recommendation_id)
            if earlier is not None:
                raise _Unmatched(
                    _(
                        "row %(row)s already gives the translation of %(recommendation)s",
                        row=earlier.row,
                        recommendation=match.label,
                    )
                )
        except _Unmatched as why:
            unmatched[number] = RowOutcome(number, Outcome.UNMATCHED, reason=str(why))
        else:
            matches[match.recommendation_id] = match
    held = _held(matches, language)
    by_row = dict(unmatched)
    for match in matches.values():
        before = held.get(match.recommendation_id)
        outcome = (
            Outcome.MATCHED
            if before is None
            else Outcome.UNCHANGED
            if before.text == match.text
            else Outcome.UPDATED
        )
        by_row[match.row] = RowOutcome(match.row, outcome, match.label)
        if dry_run or outcome is Outcome.UNCHANGED:
            continue
        if before is None:
            db.session.add(
                RecommendationTranslation(
                    recommendation_id=match.recommendation_id, language=language, text=match.text, source=name
                )
            )
        else:
            before.text, before.source = match.text, name
    report.rows = [by_row[row] for row in sorted(by_row)]
    if not dry_run:
        db.session.flush()
        report.written = True
    return report


def _match(row: int, record: Record, written_text: str, finder: _Finder) -> _Match:
    body = record.get("body", "").strip()
    if body and not any(upr in body.casefold() for upr in UPR_BODIES):
        raise _Unmatched(_("a recommendation of %(body)s, not of the UPR", body=body))
    try:
        text = clean_text(
            _wording(written_text, record.get("number", ""), finder.resolver),
            MAX_TEXT,
            "text",
            multiline=True,
        )
    except TextError as error:
        raise _Unmatched(str(error).rstrip(".")) from None
    if not text:
        raise _Unmatched(_("the text is empty"))
    recommendation_id, label = finder.find(record)
    return _Match(row, recommendation_id, label, text)


def _wording(written: str, number: str, resolver: StateResolver) -> str:
    """The text of a row without the paragraph number in front ("161.25 …") and the recommending states in
    brackets at its end, as UHRI writes them ("(Suisse, Suède)"); other brackets ("(No. 29)") are wording."""
    text = written.strip()
    if number and text.startswith(number):
        text = text[len(number) :].lstrip(". \t\n")
    while True:
        body = text.rstrip(" ;.")
        opening = trailing_group(body)
        if opening is None:
            return text
        names = split_group(body[opening + 1 : -1])
        if not names or any(resolver.find(name) is None for name in names):
            return text
        text = body[:opening].rstrip(" ;,")


def _held(matches: Iterable[int], language: str) -> dict[int, RecommendationTranslation]:
    ids = list(matches)
    held: dict[int, RecommendationTranslation] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        held |= {
            t.recommendation_id: t
            for t in db.session.scalars(
                select(RecommendationTranslation).where(
                    RecommendationTranslation.language == language,
                    RecommendationTranslation.recommendation_id.in_(chunk),
                )
            )
        }
    return held


def translations_of_review(review_id: int) -> dict[int, dict[str, str]]:
    """Every imported translation of the review's recommendations: text by language, by recommendation."""
    found: dict[int, dict[str, str]] = {}
    query = (
        select(
            RecommendationTranslation.recommendation_id,
            RecommendationTranslation.language,
            RecommendationTranslation.text,
        )
        .join(Recommendation, Recommendation.id == RecommendationTranslation.recommendation_id)
        .where(Recommendation.review_id == review_id)
    )
    for recommendation_id, language, text in db.session.execute(query):
        found.setdefault(recommendation_id, {})[language] = text
    return found


def translation_for(recommendation: Recommendation, language: str) -> RecommendationTranslation | None:
    """The translation of ``recommendation`` in ``language``, if one was imported."""
    return db.session.get(RecommendationTranslation, (recommendation.id, language))
