"""The rules engine: China's reviews reproduce the seeds' dates; official dates override and fall back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from flask import Flask

from crm.db import db
from tests.calendar_helpers import china_reviews
from upr_calendar.deadlines import deadline_date, review_deadlines, set_official_date
from upr_calendar.items import CalendarError
from upr_calendar.models import DeadlineKind
from upr_calendar.rules import Deadline, RulesError, add_months, load_rules, parse_rules


def test_add_months_clamps_to_the_end_of_a_shorter_month() -> None:
    assert add_months(date(2024, 8, 31), -6) == date(2024, 2, 29)
    assert add_months(date(2023, 8, 31), -6) == date(2023, 2, 28)
    assert add_months(date(2024, 1, 23), 60) == date(2029, 1, 23)
    assert add_months(date(2024, 11, 30), 2) == date(2025, 1, 30)


def test_rules_come_from_the_data_file() -> None:
    derived = {kind: rule.apply(date(2024, 1, 23)) for kind, rule in load_rules().items()}
    # Estimates err early and land on working days: a deadline moves earlier, a meeting later.
    assert derived[DeadlineKind.STAKEHOLDER_SUBMISSION] == date(2023, 6, 16)  # before the real 18 July
    assert derived[DeadlineKind.DOCUMENTS] == date(2023, 12, 21)  # the seeds' publication date
    assert derived[DeadlineKind.PRE_SESSION] == date(2023, 12, 18)  # a Monday
    assert derived[DeadlineKind.ADVANCE_QUESTIONS] == date(2024, 1, 12)  # Friday, not Saturday 13
    assert derived[DeadlineKind.MIDTERM_REPORT].year in (2026, 2027)
    assert derived[DeadlineKind.NEXT_REVIEW].year == 2029


def test_a_malformed_rules_file_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "rules.csv"
    bad.write_text(
        "kind,months,days,remind_days_before,action,description,moves,basis\nreview,soon,0,1,x,y,later,z\n"
    )
    with pytest.raises(RulesError, match="line 2"):
        parse_rules(bad)


def test_china_2024_review_reproduces_the_seeds(app: Flask) -> None:
    with app.app_context():
        _chn3, chn4 = china_reviews()
        effective = {d.kind: d.effective for d in review_deadlines(chn4)}
        assert effective[DeadlineKind.STAKEHOLDER_SUBMISSION] == date(2023, 7, 18)
        assert effective[DeadlineKind.DOCUMENTS] == date(2023, 12, 21)
        assert effective[DeadlineKind.REVIEW] == date(2024, 1, 23)
        assert effective[DeadlineKind.ADOPTION] == date(2024, 7, 4)
        assert effective[DeadlineKind.MIDTERM_REPORT] == date(2026, 7, 23)
        assert effective[DeadlineKind.NEXT_REVIEW] == date(2029, 1, 23)
        stakeholder = next(d for d in review_deadlines(chn4) if d.kind is DeadlineKind.STAKEHOLDER_SUBMISSION)
        assert (stakeholder.derived, stakeholder.official) == (date(2023, 6, 16), date(2023, 7, 18))
        assert stakeholder.overridden
        assert deadline_date(chn4.id, "adoption") == date(2024, 7, 4)


def test_china_2018_review_points_to_the_actual_next_review(app: Flask) -> None:
    with app.app_context():
        chn3, _chn4 = china_reviews()
        deadlines = {d.kind: d for d in review_deadlines(chn3)}
        assert deadlines[DeadlineKind.REVIEW].effective == date(2018, 11, 6)
        assert deadlines[DeadlineKind.ADOPTION].effective == date(2019, 3, 15)
        assert deadlines[DeadlineKind.MIDTERM_REPORT].effective == date(2021, 5, 6)  # "by 2021"
        # Derived five years on, but the fourth review actually took place on 23 January 2024.
        assert deadlines[DeadlineKind.NEXT_REVIEW].derived == date(2023, 11, 6)
        assert deadlines[DeadlineKind.NEXT_REVIEW].effective == date(2024, 1, 23)


def test_an_undated_review_is_anchored_on_the_previous_cycle(app: Flask) -> None:
    from crm.reviews.services import get_or_create_review

    with app.app_context():
        china_reviews()
        chn5 = get_or_create_review("CHN-5")
        db.session.commit()
        assert deadline_date(chn5.id, "review") == date(2029, 1, 23)
        assert deadline_date(chn5.id, "stakeholder_submission") == date(2028, 6, 16)


def test_removing_an_official_date_falls_back_and_bumps_the_sequence(app: Flask) -> None:
    with app.app_context():
        _chn3, chn4 = china_reviews()
        row = set_official_date(chn4, DeadlineKind.STAKEHOLDER_SUBMISSION, None)
        db.session.commit()
        assert deadline_date(chn4.id, "stakeholder_submission") == date(2023, 6, 16)
        assert row.sequence == 2

        def submission() -> Deadline:
            return next(d for d in review_deadlines(chn4) if d.kind is DeadlineKind.STAKEHOLDER_SUBMISSION)

        before = submission().sequence
        # Moving the review itself moves every derived deadline and raises their sequence too.
        set_official_date(chn4, DeadlineKind.REVIEW, date(2024, 1, 30))
        db.session.commit()
        moved = submission()
        assert moved.effective == date(2023, 6, 23)
        assert moved.sequence == before + 1


def test_unknown_kind_and_non_review_kind_are_refused(app: Flask) -> None:
    with app.app_context():
        _chn3, chn4 = china_reviews()
        with pytest.raises(CalendarError, match="Unknown deadline kind"):
            deadline_date(chn4.id, "birthday")
        with pytest.raises(CalendarError, match="not a review deadline"):
            set_official_date(chn4, DeadlineKind.VISIT, date(2024, 1, 1))
        assert deadline_date(999_999, "review") is None


def test_estimates_fall_on_working_days_outside_the_year_end_closure() -> None:
    from datetime import timedelta

    from upr_calendar.rules import in_closure

    rules = load_rules()
    day = date(2023, 1, 1)
    while day < date(2026, 1, 1):
        for rule in rules.values():
            estimate = rule.apply(day)
            assert estimate.weekday() < 5 and not in_closure(estimate), (rule.kind, day, estimate)
            raw = add_months(day, rule.months) + timedelta(days=rule.days)
            # A deadline moves earlier and a meeting later, never by more than the closure and a weekend.
            assert (estimate >= raw) if rule.later else (estimate <= raw), (rule.kind, day)
            assert abs((estimate - raw).days) <= 12
        day += timedelta(days=1)
    assert all(rule.basis for rule in rules.values())
    # Seed 001: the real deadline for China's review of 23 January 2024 was 18 July 2023.
    assert rules[DeadlineKind.STAKEHOLDER_SUBMISSION].apply(date(2024, 1, 23)) <= date(2023, 7, 18)
    # UPR Info's note on the 41st session (opened 7 November 2022): the deadline was 31 March 2022.
    assert rules[DeadlineKind.STAKEHOLDER_SUBMISSION].apply(date(2022, 11, 7)) <= date(2022, 3, 31)
