"""The calendar in the web app: agenda, month, forms with bad input, feeds with tokens, ETag and 304."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.dates import format_day
from crm.db import db
from outreach.models import Campaign
from outreach.rendering import ensure_default_template
from tests.calendar_helpers import china_reviews, parse_with_icaljs
from tests.conftest import sign_in
from upr_calendar import feeds
from upr_calendar.deadlines import review_deadlines
from upr_calendar.items import UID_DOMAIN
from upr_calendar.models import DeadlineKind, Event, FeedScope, FeedToken


def test_agenda_and_month_show_deadlines_with_links(app: Flask, admin_client: FlaskClient) -> None:
    with app.app_context():
        _chn3, chn4 = china_reviews()
    page = admin_client.get("/calendar/?from=2023-07-01").get_data(as_text=True)
    assert "CHN-4: Stakeholder submission deadline" in page
    assert f"/calendar/reviews/{chn4.id}#stakeholder_submission" in page
    month = admin_client.get("/calendar/month?year=2024&month=1").get_data(as_text=True)
    assert "CHN-4: UPR review" in month
    review = admin_client.get(f"/calendar/reviews/{chn4.id}").get_data(as_text=True)
    assert "16 Jun 2023" in review and "18 Jul 2023" in review
    assert admin_client.get("/calendar/reviews/999999").status_code == 404


def test_visit_form_refuses_bad_input_and_writes_nothing(app: Flask, admin_client: FlaskClient) -> None:
    base = {
        "kind": "dialogue",
        "title": "Human-rights dialogue",
        "timezone": "Europe/Zurich",
        "start_time": "10:00",
        "end_time": "12:00",
        "review_id": "0",
        "team_id": "0",
    }
    cases = [
        ({"day": "2025-06-31"}, "There is no 31 June 2025."),
        ({"day": "2025-03-30", "start_time": "02:30"}, "does not exist in Europe/Zurich"),
        ({"day": "2025-05-01", "end_time": "09:00"}, "The end must be after the start."),
        ({"day": "2025-05-01", "timezone": "Europe/Geneva"}, "is not a time zone"),
    ]
    for change, message in cases:
        response = admin_client.post("/calendar/events/new", data={**base, **change})
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.query(Event).count() == 0
    saved = admin_client.post("/calendar/events/new", data={**base, "day": "2025-05-01"})
    assert saved.status_code == 302


def test_official_date_form_sets_and_removes(app: Flask, admin_client: FlaskClient) -> None:
    with app.app_context():
        _chn3, chn4 = china_reviews()
    url = f"/calendar/reviews/{chn4.id}/official"
    bad = admin_client.post(url, data={"kind": "adoption", "day": "2024-02-30"}, follow_redirects=True)
    assert "There is no 30 February 2024." in bad.get_data(as_text=True)
    # An empty date is refused with a sentence, and the official date stays.
    empty = admin_client.post(url, data={"kind": "stakeholder_submission", "day": ""}, follow_redirects=True)
    text = empty.get_data(as_text=True)
    assert "Give the official date of the stakeholder submission deadline (YYYY-MM-DD)." in text
    assert "18 Jul 2023" in text
    # Removing is its own button, behind a confirmation naming what applies instead.
    with app.app_context():
        derived = next(
            d.derived for d in review_deadlines(chn4) if d.kind is DeadlineKind.STAKEHOLDER_SUBMISSION
        )
    assert f"The stakeholder submission deadline goes back to the derived {format_day(derived)}" in text
    removed = admin_client.post(
        url, data={"kind": "stakeholder_submission", "remove": "1"}, follow_redirects=True
    ).get_data(as_text=True)
    assert "Official date of the stakeholder submission deadline removed" in removed
    assert "18 Jul 2023" not in removed


def test_viewers_cannot_edit(client: FlaskClient, make_user: Callable[..., User]) -> None:
    sign_in(client, make_user(Role.VIEWER))
    assert client.get("/calendar/events/new").status_code == 403
    assert client.get("/calendar/sensitive").status_code == 403


def _feed_token(app: Flask, scope: FeedScope = FeedScope.REVIEW) -> tuple[int, str]:
    with app.app_context():
        _chn3, chn4 = china_reviews()
        owner = db.session.scalar(select(User))
        assert owner is not None
        row, token = feeds.create_token(owner, scope, review=chn4)
        db.session.commit()
        return row.id, token


def test_feed_serves_calendar_then_304_without_rebuilding(
    app: Flask, admin_client: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _feed_id, token = _feed_token(app)
    builds: list[int] = []
    real_build = feeds.build_feed
    monkeypatch.setattr(feeds, "build_feed", lambda *a, **k: builds.append(1) or real_build(*a, **k))
    client = app.test_client()  # a calendar app: no cookies
    first = client.get(f"/calendar/feed/{token}.ics")
    assert first.status_code == 200
    assert first.headers["Content-Type"] == "text/calendar; charset=utf-8"
    body = first.get_data(as_text=True)
    for needle in (
        "X-WR-CALNAME:",
        "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
        "X-PUBLISHED-TTL:PT1H",
        "BEGIN:VALARM",
    ):
        assert needle in body
    etag = first.headers["ETag"]
    again = client.get(f"/calendar/feed/{token}.ics", headers={"If-None-Match": etag})
    assert again.status_code == 304 and builds == [1]
    (tmp_path / "feed.ics").write_bytes(first.data)
    uids = {event["uid"] for event in parse_with_icaljs(tmp_path / "feed.ics")["events"]}
    assert any(uid.endswith(f"-next_review@{UID_DOMAIN}") for uid in uids)  # 2029: in the window
    # A change to the calendar changes the tag and the feed is rebuilt.
    with app.app_context():
        from crm.reviews.services import find_review
        from upr_calendar.deadlines import set_official_date
        from upr_calendar.models import DeadlineKind

        review = find_review("CHN-4")
        assert review is not None
        set_official_date(review, DeadlineKind.PRE_SESSION, date(2023, 12, 18))
        db.session.commit()
    changed = client.get(f"/calendar/feed/{token}.ics", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag and builds == [1, 1]


def test_revoked_and_guessed_tokens_are_plain_404s(app: Flask, admin_client: FlaskClient) -> None:
    feed_id, token = _feed_token(app)
    client = app.test_client()
    guessed = client.get("/calendar/feed/not-a-real-token.ics")
    assert guessed.status_code == 404
    assert admin_client.post(f"/calendar/feeds/{feed_id}/revoke").status_code == 302
    revoked = client.get(f"/calendar/feed/{token}.ics")
    assert revoked.status_code == 404
    assert revoked.get_data() == guessed.get_data()
    with app.app_context():
        row = db.session.get(FeedToken, feed_id)
        assert row is not None and row.token_hash != token and row.revoked_at is not None


def test_feed_page_shows_the_address_once(app: Flask, admin_client: FlaskClient) -> None:
    response = admin_client.post("/calendar/feeds", data={"scope": "user", "team_id": "0", "review_id": "0"})
    page = response.get_data(as_text=True)
    assert "/calendar/feed/" in page
    assert "/calendar/feed/" not in admin_client.get("/calendar/feeds").get_data(as_text=True)


def test_export_calendar_command(app: Flask, runner: FlaskCliRunner, tmp_path: Path) -> None:
    from upr.cli import cli

    with app.app_context():
        china_reviews()
    out = tmp_path / "chn4.ics"
    result = runner.invoke(
        cli, ["export", "calendar", "--review", "CHN-4", "--past-days", "4000", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    events = parse_with_icaljs(out)["events"]
    assert any(e["summary"] == "CHN-4: Adoption at the Human Rights Council" for e in events)
    missing = runner.invoke(cli, ["export", "calendar", "--review", "CHN-9", "-o", str(out)])
    assert missing.exit_code != 0 and "There is no review CHN-9." in missing.output
    malformed = runner.invoke(cli, ["export", "calendar", "--review", "CHN", "-o", str(out)])
    assert malformed.exit_code == 1 and "Error: " in malformed.output and "ValueError" not in malformed.output
    wrong_name = runner.invoke(cli, ["export", "calendar", "-o", str(tmp_path / "feed.txt")])
    assert wrong_name.exit_code != 0 and "an iCalendar file ends in .ics" in wrong_name.output
    assert not (tmp_path / "feed.txt").exists()


def test_each_deadline_links_to_the_campaigns_timed_on_it(
    app: Flask, admin_client: FlaskClient, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        _chn3, chn4 = china_reviews()
        # Timed on a deadline that has passed since: such a campaign stays listed beside its deadline.
        campaign = Campaign(
            name="Stakeholder briefing",
            review=chn4,
            template=ensure_default_template(),
            deadline_kind="stakeholder_submission",
            offset_days=-21,
        )
        db.session.add(campaign)
        db.session.commit()
        campaign_id, chn4_id = campaign.id, chn4.id
    page = admin_client.get(f"/calendar/reviews/{chn4_id}").get_data(as_text=True)
    row = page.split('<tr id="stakeholder_submission">')[1].split("</tr>")[0]
    assert f'href="/outreach/campaigns/{campaign_id}"' in row and "Stakeholder briefing" in row
    plan = f"/outreach/campaigns?review={chn4_id}&amp;deadline=stakeholder_submission#new-campaign"
    assert plan in row
    adoption = page.split('<tr id="adoption">')[1].split("</tr>")[0]
    assert "/outreach/campaigns/" not in adoption and "deadline=adoption" in adoption
    # The plan link opens the form with the review and the deadline already chosen.
    form = admin_client.get(plan.replace("&amp;", "&")).get_data(as_text=True)
    assert f'<option selected value="{chn4_id}">' in form
    assert '<option selected value="stakeholder_submission">' in form
    # A viewer sees the campaign but is not offered to plan one.
    sign_in(client, make_user(Role.VIEWER))
    viewed = client.get(f"/calendar/reviews/{chn4_id}").get_data(as_text=True)
    assert f'href="/outreach/campaigns/{campaign_id}"' in viewed and "Plan a briefing campaign" not in viewed
