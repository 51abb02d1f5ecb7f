"""Which pairs of word sets are similar enough to link: a set-similarity join, with no database.

Two recommendations are linked when the share of meaningful words they have in common (Jaccard
similarity of their stemmed word sets) reaches ``THRESHOLD``; having a recommending state in common adds
``SAME_STATE_BONUS``, because a state repeating itself is the strongest sign of a follow-up. Candidates
are found by the prefix and positional filters of PPJoin (see ``Prefixes`` and ``candidates``) and every
candidate's score is computed exactly, so the pairs found are those a comparison of every pair would find.
Kept apart from ``links`` (which reads and writes the links) so that it can be compiled (``compiled``).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from itertools import chain, count

THRESHOLD = 0.5
SAME_STATE_BONUS = 0.1

# A recommendation's meaningful words and its recommending states, by recommendation id.
Loaded = dict[int, tuple[frozenset[str], set[str]]]


class Prefixes:
    """Each word set in one order, rarest word first, and the prefix of it that similar sets must share.

    With the words of every set in one order, two sets whose Jaccard similarity reaches ``t`` share a
    word among the first ``len - ceil(t * len) + 1`` of each (the prefix filter of set-similarity joins),
    whatever the order, as long as it is the same for both; rarest first leaves out the common words that
    would make every recommendation a candidate for every other one. ``t`` is the threshold less the
    shared-state bonus, the lowest score that can still reach it.
    """

    lowest = THRESHOLD - SAME_STATE_BONUS

    def __init__(self, held: Iterable[Loaded]) -> None:
        sets = [words for loaded in held for words, _codes in loaded.values()]
        frequency = Counter(chain.from_iterable(sets))
        self.longest = max(map(len, sets), default=0)
        # A word in one set only is shared with none: it goes first, before the words sets have in common,
        # rarest first, those as rare as each other in the order they were first counted (any one order
        # will do, as long as every set is put in it). A shared word is known by its rank, counted from 1
        # so that ``rank.get(word, 0)`` is false for the others, and the ranks sort as plain numbers.
        shared = sorted([word for word, times in frequency.items() if times > 1], key=frequency.__getitem__)
        rank = dict(zip(shared, count(1), strict=False))
        # Every set's prefix, worked out in one pass: the index of the reviews compared with and the sets
        # compared with it both ask for it. Each is its shared words by rank, each with how many words the
        # set has from that word on (``left``), for as many as the prefix holds of them: a set of ``size``
        # words keeps ``size - ceil(lowest * size) + 1``, the unshared ones first, so its shared words lose
        # ``ceil(lowest * size) - 1`` of theirs.
        cut = [math.ceil(self.lowest * size) - 1 for size in range(self.longest + 1)]
        # By word set: the prefix's words that other sets have too, by rank, each with how many words the
        # set has from it on.
        self.of: dict[frozenset[str], list[tuple[int, int]]] = {}
        for words in sets:
            ranks = [found for word in words if (found := rank.get(word, 0))]
            left = len(ranks)  # the shared words come last
            kept = left - cut[len(words)]
            prefixed = []
            if kept > 0:
                ranks.sort()
                for place in range(min(kept, left)):
                    prefixed.append((left - place, ranks[place]))
            self.of[words] = prefixed
        self._overlaps: dict[int, list[int]] = {}

    def overlaps(self, size: int) -> list[int]:
        """The fewest words a set of ``size`` words shares with one of each size when their similarity
        reaches ``lowest``, by that size (up to the longest set given).

        ``shared / (size + other_size - shared) >= t`` is ``shared >= t * (size + other_size) / (1 + t)``;
        rounded down by a hair, so that floating point can only let a pair through, never keep one out.
        """
        found = self._overlaps.get(size)
        if found is None:
            t = self.lowest
            found = self._overlaps[size] = [
                math.ceil(t * (size + other_size) / (1 + t) - 1e-9) for other_size in range(self.longest + 1)
            ]
        return found


# By word (its rank): the sets whose prefix holds it, by their size, each with how many words it has from
# that word on, most first.
Index = dict[int, dict[int, list[tuple[int, int]]]]


def build_index(theirs: Loaded, prefix: Prefixes) -> Index:
    index: Index = defaultdict(dict)
    for rec_id, (words, _codes) in theirs.items():
        size = len(words)
        for left, word in prefix.of[words]:
            index[word].setdefault(size, []).append((left, rec_id))
    for by_size in index.values():
        for postings in by_size.values():
            postings.sort(reverse=True)
    return index


def candidates(prefixed: list[tuple[int, int]], overlaps: list[int], index: Index) -> set[int]:
    """The sets of ``index`` that may be similar enough to a set, found through their prefixes and its
    prefix ``prefixed`` (``overlaps`` are its ``Prefixes.overlaps``).

    A pair is found through the first word of the order that the two share (it is in both prefixes),
    after which at most ``min(words from there on in one, in the other)`` can be shared: where that is
    fewer than the pair needs, that word is not how it would be found (the positional filter of PPJoin).
    The postings are by size, most words left first, so the loop stops at the first one that falls short.
    """
    found = set()
    for left, word in prefixed:
        by_size = index.get(word)
        if by_size is None:
            continue
        for other_size, postings in by_size.items():
            needed = overlaps[other_size]
            if left < needed:
                continue
            for other_left, other in postings:
                if other_left < needed:
                    break
                found.add(other)
    return found


def similar_pairs(
    mine: Loaded, theirs: list[tuple[Loaded, Index]], prefix: Prefixes
) -> Iterator[tuple[int, int, float, int]]:
    """Pairs of ``mine`` and each of ``theirs`` (a review's recommendations and their index) whose score
    reaches ``THRESHOLD``; each candidate's score is computed exactly."""
    prefix_of = prefix.of
    for rec_id, (words, codes) in mine.items():
        prefixed = prefix_of[words]
        if not prefixed:
            continue  # no word it shares with any other set could find one
        overlaps = prefix.overlaps(len(words))
        for held, index in theirs:
            for other in candidates(prefixed, overlaps, index):
                other_words, other_codes = held[other]
                shared = len(words & other_words)
                score = shared / (len(words) + len(other_words) - shared)
                common_states = len(codes & other_codes)
                if common_states:
                    score = min(1.0, score + SAME_STATE_BONUS)
                if score >= THRESHOLD:
                    yield rec_id, other, score, common_states
