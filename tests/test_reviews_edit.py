"""Editing a review's dates: who may, what bad input says, and how the calendar and its feeds follow."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.db import db
from crm.models import Review
from crm.reviews.services import find_review
from crm.teams.models import Team
from tests.calendar_helpers import china_reviews, parse_with_icaljs
from tests.conftest import sign_in
from upr_calendar import feeds
from upr_calendar.items import UID_DOMAIN
from upr_calendar.models import FeedScope

URL = "/reviews/CHN-4/edit"
CHN4_AS_SEEDED = {
    "session": "45",
    "review_date": "2024-01-23",
    "outcome_session": "56",
    "outcome_adopted_on": "2024-07-04",
    "team_id": "0",
    "notes": "",
}


def _chn4(app: Flask) -> Review:
    with app.app_context():
        review = find_review("CHN-4")
        assert review is not None
        return review


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OFFICER])
def test_viewers_and_officers_may_not_edit(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], role: Role
) -> None:
    with app.app_context():
        china_reviews()
    sign_in(client, make_user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, data={**CHN4_AS_SEEDED, "review_date": "2024-02-01"}).status_code == 403
    assert _chn4(app).review_date == date(2024, 1, 23)


def test_coordinator_sees_the_dates_with_help(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        china_reviews()
    sign_in(client, make_user(Role.COORDINATOR))
    page = client.get(URL).get_data(as_text=True)
    assert 'value="2024-01-23"' in page and 'value="56"' in page
    assert "Every derived deadline" in page and "YYYY-MM-DD" in page
    assert client.get("/reviews/CHN-9/edit").status_code == 404
    assert client.get("/reviews/not-a-code/edit").status_code == 404
    calendar_page = client.get(f"/calendar/reviews/{_chn4(app).id}").get_data(as_text=True)
    assert URL in calendar_page


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"review_date": "2024-06-31"}, "review_date", "There is no 31 June 2024."),
        ({"review_date": "23/01/2024"}, "review_date", "write it as YYYY-MM-DD"),
        ({"outcome_adopted_on": "2024-02-30"}, "outcome_adopted_on", "There is no 30 February 2024."),
        ({"session": "0"}, "session", "must be a positive whole number"),
        ({"outcome_session": "fifty-six"}, "outcome_session", "must be a positive whole number"),
        ({"outcome_adopted_on": "2023-12-01"}, "outcome_adopted_on", "cannot be adopted before the review"),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(
    app: Flask, admin_client: FlaskClient, change: dict[str, str], field: str, message: str
) -> None:
    with app.app_context():
        china_reviews()
    before = _chn4(app).updated_at
    # Another field is changed too: a refused form must not save half of it.
    response = admin_client.post(URL, data={**CHN4_AS_SEEDED, "notes": "half-written", **change})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert message in page
    assert page.count('role="alert"') == 1
    assert f'name="{field}"' in page.split(message)[0].rsplit('<p class="field">', 1)[1]
    review = _chn4(app)
    assert review.notes == "" and review.updated_at == before


def test_saving_moves_the_derived_deadlines_and_the_team(app: Flask, admin_client: FlaskClient) -> None:
    with app.app_context():
        chn3, _chn4_row = china_reviews()
        team = Team(name="China team")
        db.session.add(team)
        db.session.commit()
        team_id, chn3_id = team.id, chn3.id
    saved = admin_client.post(
        URL,
        data={**CHN4_AS_SEEDED, "review_date": "2024-01-30", "team_id": str(team_id), "notes": "seed 001"},
    )
    assert saved.status_code == 302
    assert "Saved CHN-4" in admin_client.get(saved.headers["Location"]).get_data(as_text=True)
    review = _chn4(app)
    assert (review.review_date, review.team_id, review.notes) == (date(2024, 1, 30), team_id, "seed 001")
    deadlines = admin_client.get(f"/calendar/reviews/{review.id}").get_data(as_text=True)
    assert "30 Jul 2026" in deadlines  # the mid-term report, 30 months after the new date
    # CHN-3's next review is CHN-4's actual date.
    assert "30 Jan 2024" in admin_client.get(f"/calendar/reviews/{chn3_id}").get_data(as_text=True)
    unchanged = admin_client.post(
        URL,
        data={**CHN4_AS_SEEDED, "review_date": "2024-01-30", "team_id": str(team_id), "notes": "seed 001"},
    )
    assert "Nothing changed in CHN-4" in admin_client.get(unchanged.headers["Location"]).get_data(
        as_text=True
    )


def test_dashboard_card_links_to_the_edit_page_for_coordinators(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        china_reviews()
    sign_in(client, make_user(Role.COORDINATOR))
    assert URL in client.get("/dashboard").get_data(as_text=True)
    viewer = app.test_client()
    sign_in(viewer, make_user(Role.VIEWER))
    assert URL not in viewer.get("/dashboard").get_data(as_text=True)


def test_editing_the_review_date_moves_the_feed_event_and_raises_its_sequence(
    app: Flask, admin_client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():
        _chn3, chn4 = china_reviews()
        owner = db.session.scalar(select(User))
        assert owner is not None
        _row, token = feeds.create_token(owner, FeedScope.REVIEW, review=chn4)
        db.session.commit()
        uid = f"review-{chn4.id}-next_review@{UID_DOMAIN}"
    builds: list[int] = []
    real_build = feeds.build_feed
    monkeypatch.setattr(feeds, "build_feed", lambda *a, **k: builds.append(1) or real_build(*a, **k))
    calendar_app = app.test_client()  # no cookies, as a calendar client polls

    def fetch(etag: str | None, name: str) -> tuple[int, str, dict[str, Any] | None]:
        headers = {"If-None-Match": etag} if etag else {}
        response = calendar_app.get(f"/calendar/feed/{token}.ics", headers=headers)
        if response.status_code != 200:
            return response.status_code, response.headers["ETag"], None
        (tmp_path / name).write_bytes(response.data)
        events = {event["uid"]: event for event in parse_with_icaljs(tmp_path / name)["events"]}
        return 200, response.headers["ETag"], events[uid]

    _status, first_tag, before = fetch(None, "before.ics")
    assert before is not None and before["start_value"] == "2029-01-23"
    assert fetch(first_tag, "unused.ics")[0] == 304 and builds == [1]

    assert admin_client.post(URL, data={**CHN4_AS_SEEDED, "review_date": "2024-01-30"}).status_code == 302

    status, second_tag, after = fetch(first_tag, "after.ics")
    assert status == 200 and second_tag != first_tag and builds == [1, 1]
    assert after is not None and after["start_value"] == "2029-01-30"
    assert after["sequence"] > before["sequence"]
    assert fetch(second_tag, "unused.ics")[0] == 304 and builds == [1, 1]


def test_a_refused_edit_says_why_in_the_coordinator_s_language(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    from crm.i18n import catalogue

    with app.app_context():
        china_reviews()
        coordinator = make_user(Role.COORDINATOR)
        db.session.get(User, coordinator.id).language = "zh"  # type: ignore[union-attr]
        db.session.commit()
    sign_in(client, coordinator)
    response = client.post(URL, data={**CHN4_AS_SEEDED, "outcome_adopted_on": "2023-12-01"})
    page = response.get_data(as_text=True)
    message = catalogue("zh").gettext("The outcome cannot be adopted before the review: check both dates.")
    assert message != "The outcome cannot be adopted before the review: check both dates."
    assert message in page
