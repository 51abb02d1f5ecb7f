"""Links between cycles: every similar pair, found without trying them all, on real and multi-State files.

The importer finds similar recommendations through word prefixes and positions instead of comparing every
pair; these tests compare every pair themselves, by the definition in ``links`` (Jaccard similarity of the
stemmed words, a bonus for a recommending state in common), and ask for exactly the same links.
"""

from __future__ import annotations

import csv
import random
import re
from collections import defaultdict
from itertools import combinations
from pathlib import Path

from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.db import db
from crm.models import Recommendation
from crm.recommendations.importing import import_recommendations
from crm.recommendations.models import RecommendationLink
from crm.recommendations.rows import wording_key
from crm.recommendations.signatures import Stems, _stem, signature
from crm.recommendations.similarity import (
    SAME_STATE_BONUS,
    THRESHOLD,
    Loaded,
    Prefixes,
    build_index,
    similar_pairs,
)
from crm.recommendations.words import letter_runs
from crm.states import normalise_name
from upr.benchmarks.recommendations import write_multi_state_sample

from .real_files import MATRICES, UPR_INFO_XLS

Links = dict[tuple[int, int], tuple[float, int]]


def _score(
    words: frozenset[str], codes: set[str], other_words: frozenset[str], other_codes: set[str]
) -> float:
    shared = len(words & other_words)
    union = len(words | other_words)
    score = shared / union if union else 0.0
    return min(1.0, score + SAME_STATE_BONUS) if codes & other_codes else score


def _every_pair() -> Links:
    """Every pair of recommendations to one State in two of its reviews, compared the long way."""
    query = select(Recommendation).options(
        selectinload(Recommendation.recommending), selectinload(Recommendation.review)
    )
    by_state: dict[str, list[tuple[int, int, frozenset[str], set[str]]]] = defaultdict(list)
    for rec in db.session.scalars(query):
        held = (rec.id, rec.review_id, signature(rec.text), set(rec.recommending_codes))
        by_state[rec.review.state_code].append(held)
    expected: Links = {}
    for held in by_state.values():
        for (a, review_a, words_a, codes_a), (b, review_b, words_b, codes_b) in combinations(held, 2):
            if review_a == review_b or not words_a or not words_b:
                continue
            score = _score(words_a, codes_a, words_b, codes_b)
            if score >= THRESHOLD:
                value = (round(score, 3), len(codes_a & codes_b))
                expected[a, b] = expected[b, a] = value
    return expected


def _stored() -> Links:
    link = RecommendationLink
    rows = db.session.execute(select(link.recommendation_id, link.similar_id, link.score, link.shared_states))
    return {(a, b): (round(score, 3), shared) for a, b, score, shared in rows}


def test_the_real_files_link_every_similar_pair_of_chinas_three_cycles(app: Flask) -> None:
    with app.app_context():
        reports = [import_recommendations(UPR_INFO_XLS)]
        reports += [import_recommendations(MATRICES[code], code) for code in ("CHN-2", "CHN-3", "SVN-3")]
        db.session.commit()
        expected = _every_pair()
        assert expected  # China's cycles repeat themselves: there is something to find
        assert _stored() == expected
        # Each pair is counted once, by the import that made it.
        assert sum(report.links for report in reports) == len(expected) // 2


def test_a_multi_state_export_links_the_cycles_it_creates_and_relinks_what_changed(
    app: Flask, tmp_path: Path
) -> None:
    export = tmp_path / "upr-info.csv"
    write_multi_state_sample(export, 3_000)
    with app.app_context():
        report = import_recommendations(export)
        db.session.commit()
        expected = _every_pair()
        assert expected and _stored() == expected
        assert report.links == len(expected) // 2
    # Some rows name other recommending states: shared states change scores, so links come and go.
    changed = tmp_path / "upr-info-changed.csv"
    chooser = random.Random(12)
    with export.open(newline="") as source, changed.open("w", newline="") as target:
        rows = list(csv.reader(source))
        for row in rows[1:]:
            if chooser.random() < 0.3:
                row[4] = chooser.choice(["Norway", "Chile", "Mexico"])
        csv.writer(target).writerows(rows)
    with app.app_context():
        again = import_recommendations(changed, skip_invalid=True)
        db.session.commit()
        assert again.written and again.updated
        assert _stored() == _every_pair()


VOCABULARY = [f"word{index}" for index in range(12)]


@st.composite
def held(draw: st.DrawFn, first_id: int) -> Loaded:
    count = draw(st.integers(min_value=0, max_value=12))
    return {
        first_id + index: (
            frozenset(draw(st.sets(st.sampled_from(VOCABULARY), max_size=9))),
            draw(st.sets(st.sampled_from(["CHN", "SWE", "NOR"]), max_size=2)),
        )
        for index in range(count)
    }


@settings(max_examples=300, deadline=None)
@given(held(1), held(100), held(200))
def test_the_prefix_and_position_filters_miss_no_pair(mine: Loaded, first: Loaded, second: Loaded) -> None:
    prefix = Prefixes((mine, first, second))
    theirs = [(other, build_index(other, prefix)) for other in (first, second)]
    found = {(a, b): round(score, 9) for a, b, score, _shared in similar_pairs(mine, theirs, prefix)}
    expected = {}
    for a, (words, codes) in mine.items():
        for other in (first, second):
            for b, (other_words, other_codes) in other.items():
                score = _score(words, codes, other_words, other_codes) if words else 0.0
                if words and score >= THRESHOLD:
                    expected[a, b] = round(score, 9)
    assert found == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab Th.;,`'\t\n\r\x0b\x0c\x1c\x1f\u00a0\u2019éﬁ")), max_size=14))
def test_the_short_way_to_a_word_key_is_the_same_key(text: str) -> None:
    for wording in (text, "the " + text, "The" + text):
        assert wording_key(wording) == "text:" + normalise_name(wording).rstrip(" .;")


# Stopwords, endings taken off or kept, apostrophes inside and around words, non-ASCII letters.
SIGNATURE_WORDS = [
    "Ratifies",
    "states",
    "the",
    "conventions",
    "women's",
    "it's",
    "'",
    "l'homme",
    "ÉTATS",
    "torture",
    "ratification",
    "ensure",
    "don`t",
    "rights",
    "2030",
    "-",
    ",",
]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("abzAZ '’`-.,;\t\n\x00\x7f\x80éßİﬁ0")), max_size=20))
def test_the_fast_split_finds_the_words_the_pattern_finds(text: str) -> None:
    for lowered in (text, text.casefold()):
        assert letter_runs(lowered) == re.findall("[a-z]+", lowered)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(SIGNATURE_WORDS), max_size=12))
def test_a_signature_is_the_stems_of_the_words_the_pattern_finds(words: list[str]) -> None:
    text = " ".join(words)
    stems = {_stem(word) for word in re.findall(r"[a-z]+(?:'[a-z]+)?", text.casefold())}
    assert signature(text) == signature(text, Stems()) == stems - {""}
