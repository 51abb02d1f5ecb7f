"""Linking recommendations that ask much the same thing of one State in different cycles.

Recommending states are asked to repeat what was not implemented, "as previously recommended"; officers
need to see that Sweden asked China to ratify the ICCPR in 2013, 2018 and 2024. Which recommendations are
similar enough is ``similarity``'s to say; this module reads what they are and writes the links.

An import links every review it wrote to with the other cycles of its State, review by review in the
order it wrote them, each against the others as they stood then (those written before it as they are
now, those still to come as they were). That is worked out in memory from one read of the States'
recommendations and links, and the difference is written once: a whole export's hundreds of reviews cost
a few queries, not a dozen each.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Table, and_, bindparam, not_, or_, select

from crm.db import db, result_rows
from crm.models import Recommendation, RecommendingState, Review
from crm.recommendations.models import RecommendationLink
from crm.recommendations.rows import ParsedRow
from crm.recommendations.signatures import Stems, signature
from crm.recommendations.similarity import Index, Loaded, Prefixes, build_index, similar_pairs
from crm.recommendations.stored import IDS_PER_QUERY
from crm.recommendations.writing import Statement

# More runs of new ids than this (other writers took ids in between): the new rows are read back too.
MAX_RUNS = 100

Pair = tuple[int, int]
Value = tuple[float, int]


class _Links:
    """The stored links touching some recommendations, changed in memory and written back as a difference."""

    def __init__(self, stored: dict[Pair, Value]) -> None:
        self.stored = stored
        self.now = dict(stored)
        self.partners: dict[int, set[int]] = defaultdict(set)
        for a, b in stored:
            self.partners[a].add(b)
            self.partners[b].add(a)

    def touching(self, ids: Loaded) -> dict[Pair, Value]:
        now = self.now
        found = {}
        for a in ids:
            for b in self.partners.get(a, ()):
                for pair in ((a, b), (b, a)):
                    value = now.get(pair)
                    if value is not None:
                        found[pair] = value
        return found

    def relink(self, mine: Loaded, wanted: dict[Pair, Value]) -> int:
        """Links of ``mine`` become ``wanted``; returns how many from ``mine`` are new or changed."""
        current = self.touching(mine)
        for pair, value in current.items():
            if wanted.get(pair) != value:
                del self.now[pair]
        added = 0
        for pair, value in wanted.items():
            if current.get(pair) != value:
                self.now[pair] = value
                self.partners[pair[0]].add(pair[1])
                self.partners[pair[1]].add(pair[0])
                added += pair[0] in mine
        return added

    def save(self, connection: Connection) -> None:
        table = RecommendationLink.__table__
        assert isinstance(table, Table)
        gone = [{"a": a, "b": b} for (a, b), value in self.stored.items() if self.now.get((a, b)) != value]
        if gone:
            connection.execute(
                table.delete().where(
                    table.c.recommendation_id == bindparam("a"), table.c.similar_id == bindparam("b")
                ),
                gone,
            )
        columns = ("recommendation_id", "similar_id", "score", "shared_states")
        Statement(connection, table, columns).run(
            [(a, b, *value) for (a, b), value in self.now.items() if self.stored.get((a, b)) != value]
        )


@dataclass(frozen=True)
class Written:
    """A review an import writes to, in the order it writes them; ``existed``: before the import."""

    review_id: int
    state_code: str
    existed: bool


class CrossCycleLinks:
    """The links of the reviews an import writes to: made before the writing, ``link()`` after it.

    Each review is linked with the other reviews its State had when that review was written: those
    written before it as they are now, those still to come as they were (a review the import creates
    comes into being when it is written). What the reviews to come held is read before the writing; a
    review with no other review of its State is not linked at all, and costs nothing.
    """

    def __init__(self, written: list[Written]) -> None:
        self.written = written
        states = sorted({review.state_code for review in written})
        reviews_of: dict[str, list[int]] = defaultdict(list)
        for start in range(0, len(states), IDS_PER_QUERY):
            query = select(Review.id, Review.state_code).where(
                Review.state_code.in_(states[start : start + IDS_PER_QUERY])
            )
            for review_id, state_code in result_rows(db.session.execute(query.order_by(Review.id))):
                reviews_of[state_code].append(review_id)
        self.reviews_of = reviews_of
        place = {review.review_id: index for index, review in enumerate(written)}
        # For each review written: the others of its State then, and whether they are still to be written.
        self.others: list[list[tuple[int, bool]]] = []
        for index, review in enumerate(written):
            others = []
            for other in reviews_of[review.state_code]:
                later = place.get(other, -1) > index
                if other != review.review_id and (not later or written[place[other]].existed):
                    others.append((other, later))
            self.others.append(others)
        self.states = sorted(
            {review.state_code for review, others in zip(written, self.others, strict=True) if others}
        )
        # The reviews whose recommendations are compared: those linked and those they are linked with.
        self.compared = {
            review.review_id for review, others in zip(written, self.others, strict=True) if others
        }
        self.compared.update(other for others in self.others for other, _later in others)
        later_ids = sorted({other for others in self.others for other, later in others if later})
        self.before: dict[int, Loaded] = {}
        for start in range(0, len(later_ids), IDS_PER_QUERY):
            chosen = Recommendation.review_id.in_(later_ids[start : start + IDS_PER_QUERY])
            self.before.update(_load(db.session.connection(), chosen))
        # The stems of this import's wordings, those the inserter splits and those read back.
        self.stems: Stems = {}

    def link(self, inserted: list[tuple[int, int, ParsedRow, frozenset[str]]]) -> dict[int, int]:
        """Recompute the links of every review written; returns the links added, by review id.

        ``inserted`` are the new recommendations (review id, id, row, word set) of the reviews
        ``compared``: taken as they are rather than read back, with what the database held before.
        """
        added = {review.review_id: 0 for review in self.written}
        if not self.states:
            return added
        db.session.flush()
        connection = db.session.connection()
        chosen = Review.state_code.in_(self.states)
        runs = _runs(sorted(rec_id for _review_id, rec_id, _row, _words in inserted))
        if len(runs) > MAX_RUNS:
            inserted, runs = [], []  # ids scattered by other writers: everything is read back
        excluded = (not_(Recommendation.id.between(*run)) for run in runs)
        now = _load(connection, and_(chosen, *excluded), self.stems)
        # A link joins two stored recommendations (its foreign keys say so) and is written only below:
        # when the States held none before this import, none of theirs is linked yet.
        held_before = any(now.values())
        for review_id, rec_id, row, words in inserted:
            if review_id in self.compared:
                now[review_id][rec_id] = (words, set(row.codes))
        links = _Links(_stored_links(connection, self.states) if held_before else {})
        # Only recommendations to one State are compared, so each State's words are put in an order of
        # their own: fewer words to count at a time, and a word shared with other States only is no
        # candidate here.
        prefixes = {
            state: Prefixes(
                held
                for review_id in self.reviews_of[state]
                for held in (now.get(review_id), self.before.get(review_id))
                if held
            )
            for state in self.states
        }
        # Each review's index is built once: as it is now, or as it was while reviews before it are linked.
        indexes: dict[tuple[int, bool], tuple[Loaded, Index]] = {}
        for review, others in zip(self.written, self.others, strict=True):
            if not others:
                continue
            prefix = prefixes[review.state_code]
            theirs = []
            for other, later in others:
                if (other, later) not in indexes:
                    held = self.before.get(other, {}) if later else now[other]
                    indexes[other, later] = (held, build_index(held, prefix))
                theirs.append(indexes[other, later])
            mine = now[review.review_id]
            wanted: dict[Pair, Value] = {}
            for rec_id, other_id, score, common_states in similar_pairs(mine, theirs, prefix):
                rounded = round(score, 3)
                wanted[(rec_id, other_id)] = wanted[(other_id, rec_id)] = (rounded, common_states)
            added[review.review_id] = links.relink(mine, wanted)
        links.save(connection)
        return added


def _runs(ids: list[int]) -> list[tuple[int, int]]:
    """Sorted ids as runs of consecutive ones, (first, last)."""
    runs: list[tuple[int, int]] = []
    for rec_id in ids:
        if runs and runs[-1][1] == rec_id - 1:
            runs[-1] = (runs[-1][0], rec_id)
        else:
            runs.append((rec_id, rec_id))
    return runs


def _load(
    connection: Connection, where: ColumnElement[bool], stems: Stems | None = None
) -> defaultdict[int, Loaded]:
    """The recommendations of the reviews ``where`` chooses, as words and states, by review id."""
    by_review: defaultdict[int, Loaded] = defaultdict(dict)
    found: Loaded = {}
    for rec_id, review_id, text in result_rows(
        connection.execute(
            select(Recommendation.id, Recommendation.review_id, Recommendation.text).join(Review).where(where)
        )
    ):
        found[rec_id] = by_review[review_id][rec_id] = (signature(text, stems), set())
    for rec_id, code in result_rows(
        connection.execute(
            select(RecommendingState.recommendation_id, RecommendingState.state_code)
            .join(Recommendation, Recommendation.id == RecommendingState.recommendation_id)
            .join(Review)
            .where(where)
        )
    ):
        found[rec_id][1].add(code)
    return by_review


def _stored_links(connection: Connection, states: list[str]) -> dict[Pair, Value]:
    """The links from or to a recommendation of the States' reviews."""
    held = select(Recommendation.id).join(Review).where(Review.state_code.in_(states))
    link = RecommendationLink
    query = select(link.recommendation_id, link.similar_id, link.score, link.shared_states).where(
        or_(link.recommendation_id.in_(held), link.similar_id.in_(held))
    )
    return {(a, b): (score, states) for a, b, score, states in result_rows(connection.execute(query))}
