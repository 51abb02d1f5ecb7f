"""Classification from the wording: what officers filter on, and the fast signal tests behind it."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crm.recommendations.classify import MEASURABLE, SPECIFIC_WORDS, TIME_BOUND, classify

ANNEX = Path(__file__).resolve().parents[1] / "data" / "demo" / "chn-3-recommendations.csv"
SIGNALS = {"time-bound": TIME_BOUND, "measurable": MEASURABLE, "specific": SPECIFIC_WORDS}

# Pieces the patterns are made of, their near misses, and the characters around words that decide a match.
# A word list reads better as one string than as a column of quoted words.
VOCABULARY = [
    *"""
    by before until within in from during no later than the end of its next fourth fifth following
    upr review cycle universal periodic mid-term timeline timetables time-bound time frame deadline
    one two twelve 2 2030 1999 2100 19 20 5.5 year years month months % per cent percent
    indicator benchmarks targets statistics data database disaggregated number of figures
    measurable baseline publish publishes publishing annual ratify ratification accede accession
    repeal abolished amend amendments release criminalise decriminalize standing invitation
    adopt adopting a an comprehensive law legislation bill adoption ensure continue consider
    """.split(),  # noqa: SIM905  # a word list reads better as one block
    "é",
    "Ⅻ",
    "٢٠",
]
SEPARATORS = [" ", "  ", "\n", "-", ",", ".", "'", ""]


@st.composite
def wordings(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=14))
    glue = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(words), max_size=len(words)))
    return "".join(word + sep for word, sep in zip(words, glue, strict=True))


@settings(max_examples=600, deadline=None)
@given(wordings())
def test_each_signal_answers_exactly_as_its_bare_pattern(text: str) -> None:
    lowered = text.casefold()
    for name, signal in SIGNALS.items():
        assert signal.found_in(lowered) == (signal.pattern.search(lowered) is not None), (name, text)


def test_signals_agree_with_their_patterns_on_the_real_annex() -> None:
    with ANNEX.open(encoding="utf-8", newline="") as handle:
        texts = [row["text"].casefold() for row in csv.DictReader(handle)]
    assert len(texts) == 76
    for text in texts:
        for name, signal in SIGNALS.items():
            assert signal.found_in(text) == (signal.pattern.search(text) is not None), (name, text)


@pytest.mark.parametrize(
    ("text", "category", "signals"),
    [
        # Typical wordings of UPR recommendations, one or more per category and signal. The signals are
        # (time-bound, specific action, measurable, "continue to" form).
        ("Consider ratifying the International Covenant on Civil and Political Rights", 3, (0, 1, 0, 0)),
        ("Continue to strengthen the protection of the rights of ethnic minorities", 2, (0, 0, 0, 1)),
        ("Share its experience in poverty alleviation with other developing countries", 1, (0, 0, 0, 0)),
        ("Take measures to guarantee the right to a fair trial", 4, (0, 0, 0, 0)),
        ("Abolish the death penalty", 5, (0, 1, 0, 0)),
        (
            "Release all individuals arbitrarily detained for exercising their rights within one year",
            5,
            (1, 1, 0, 0),
        ),
        (
            "Further reduce the number of crimes punishable by death by 2030, and publish the data",
            5,
            (1, 1, 1, 0),
        ),
        ("Ensure that statistics disaggregated by sex are collected", 4, (0, 0, 1, 0)),
        ("Adopt a comprehensive law against discrimination before the next review", 5, (1, 1, 0, 0)),
        # A subject before the verb, an opening clause, "adopt measures" against "adopt a law", two verbs.
        ("That the Hong Kong SAR government protect freedom of expression", 4, (0, 0, 0, 0)),
        ("In line with CEDAW's recommendations, adopt a law on domestic violence", 5, (0, 1, 0, 0)),
        ("Adopt all necessary measures to combat trafficking", 4, (0, 0, 0, 0)),
        ("Sign and ratify the Optional Protocol to the Convention against Torture", 5, (0, 1, 0, 0)),
        ("Become a party to the Rome Statute", 5, (0, 1, 0, 0)),
        ("Speed up the adoption of the draft law on NGOs", 4, (0, 0, 0, 0)),
        ("Continue and strengthen efforts in the field of health", 4, (0, 0, 0, 0)),
        ("Reconsider its position on the death penalty", 3, (0, 0, 0, 0)),
        ("Recommended the establishment of an independent human rights institution", 5, (0, 1, 0, 0)),
        ("Pursue the dialogue with the Dalai Lama", 2, (0, 0, 0, 1)),
        # What follows the verb (wordings from UPR Info's export): a general object, a concrete
        # instrument, the means named, "seek to".
        ("Adopt a proactive approach to implement the recommendations of the commission", 4, (0, 0, 0, 0)),
        ("Develop a plan of action to prevent the recruitment of child soldiers", 5, (0, 1, 0, 0)),
        ("Develop a national strategy to eliminate poverty", 4, (0, 0, 0, 0)),
        ("Undertake an in-depth study on trafficking and exploitation of children", 5, (0, 1, 0, 0)),
        ("Provide human rights training to law enforcement and judicial officers", 5, (0, 1, 0, 0)),
        ("Provide adequate protection to indigenous peoples", 4, (0, 0, 0, 0)),
        (
            "Take all adequate measures to guarantee religious freedom, including by adopting legislation",
            5,
            (0, 1, 0, 0),
        ),
        (
            "Take measures to improve prison conditions, including by ensuring access to health care",
            4,
            (0, 0, 0, 0),
        ),
        ("Seek to improve the enrolment rate of girls in primary and secondary schools", 4, (0, 0, 0, 0)),
        ("Seek technical assistance from OHCHR to improve the promotion of human rights", 1, (0, 0, 0, 0)),
    ],
)
def test_classification_of_real_wordings(text: str, category: int | None, signals: tuple[int, ...]) -> None:
    found = classify(text)
    assert found.action_category == category
    assert (
        found.is_time_bound,
        found.is_specific_action,
        found.is_measurable,
        found.is_continue_form,
    ) == tuple(bool(signal) for signal in signals)


REAL_EXPORT = Path(__file__).parent / "data" / "real" / "upr-info-export-2015-sessions-1-5.xls"


def test_agreement_with_upr_info_on_its_own_export_is_at_least_ninety_percent() -> None:
    """UPR Info's Action column, read here with the bare xlrd, against the classifier reading the wording."""
    import html
    import io

    import xlrd

    book = xlrd.open_workbook(str(REAL_EXPORT), ignore_workbook_corruption=True, logfile=io.StringIO())
    sheet = book.sheet_by_index(0)
    header = sheet.row_values(0)
    text, action = header.index("Recommendation"), header.index("Action")
    rows = [sheet.row_values(index) for index in range(1, sheet.nrows)]
    agreed = sum(classify(html.unescape(row[text])).action_category == int(row[action]) for row in rows)
    assert len(rows) > 6_000
    assert agreed / len(rows) >= 0.90, f"{agreed / len(rows):.1%}"
    # The rules read wordings, not these sessions: each half of the file agrees as well as the whole.
    session = header.index("Session")
    for sessions in ({1, 2, 3}, {4, 5}):
        half = [row for row in rows if int(float(row[session])) in sessions]
        agreed = sum(classify(html.unescape(row[text])).action_category == int(row[action]) for row in half)
        assert agreed / len(half) >= 0.90, (sorted(sessions), f"{agreed / len(half):.1%}")
