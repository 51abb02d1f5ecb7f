"""A review's calendar is all of it; team and personal ones keep a window and say what it leaves out."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner

from crm import dates
from crm.db import db
from crm.reviews.services import get_or_create_review
from crm.teams.models import Team
from tests.calendar_helpers import china_reviews, parse_with_icaljs
from upr.cli import cli
from upr_calendar.deadlines import review_deadlines
from upr_calendar.exports import PAST_DAYS


def _milestones(review_code: str) -> set[str]:
    """The review's deadlines that have a date, as their calendar titles read."""
    review = get_or_create_review(review_code)
    return {
        f"{review.code}: {deadline.kind.label}" + ("" if deadline.official else " (estimated)")
        for deadline in review_deadlines(review)
        if deadline.effective is not None
    }


def test_a_review_export_holds_every_milestone_past_ones_included(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    with app.app_context():
        china_reviews()
        expected = _milestones("CHN-3")
        past = {title for title in expected if "Next review" not in title}
    out = tmp_path / "chn3.ics"
    result = runner.invoke(cli, ["export", "calendar", "--review", "CHN-3", "-o", str(out)])
    assert result.exit_code == 0, result.output
    summaries = {event["summary"] for event in parse_with_icaljs(out)["events"]}
    # CHN-3 was in 2018: every one of its milestones but the next review is years before the 90-day window.
    assert len(past) >= 7 and past <= summaries and expected <= summaries
    assert result.output == f"Wrote {len(summaries)} events to {out}.\n"
    # Asked for a window explicitly, the review's export keeps to it and says what it leaves out.
    windowed = runner.invoke(
        cli, ["export", "calendar", "--review", "CHN-3", "--past-days", "30", "-o", str(out)]
    )
    assert windowed.exit_code == 0, windowed.output
    assert "earlier events of CHN-3 left out, use --past-days." in windowed.output


def test_a_team_export_keeps_its_window_and_says_what_it_leaves_out(
    app: Flask, runner: FlaskCliRunner, tmp_path: Path
) -> None:
    with app.app_context():
        _chn3, chn4 = china_reviews()
        team = Team(name="China team")
        db.session.add(team)
        db.session.flush()
        chn4.team_id = team.id
        db.session.commit()
        start = dates.today() - timedelta(days=PAST_DAYS)
        milestones = [d for d in review_deadlines(chn4) if d.effective is not None]
        earlier = sum(1 for d in milestones if d.effective < start)
        kept = len(milestones) - earlier
    assert earlier > 0
    out = tmp_path / "team.ics"
    result = runner.invoke(cli, ["export", "calendar", "--team", "China team", "-o", str(out)])
    assert result.exit_code == 0, result.output
    noun = "earlier event" if earlier == 1 else "earlier events"
    wrote = "event" if kept == 1 else "events"
    assert result.output.splitlines() == [
        f"Wrote {kept} {wrote}; {earlier} {noun} of CHN-4 left out, use --past-days.",
        f"The calendar is in {out}.",
    ]
    parsed = out.read_bytes().decode("utf-8")
    assert f"{earlier} {noun} of CHN-4 left out." in parsed.replace("\r\n ", "")  # X-WR-CALDESC
    assert len(parse_with_icaljs(out)["events"]) == kept
    everything = runner.invoke(
        cli, ["export", "calendar", "--team", "China team", "--past-days", "10000", "-o", str(out)]
    )
    assert everything.output == f"Wrote {len(milestones)} events to {out}.\n"


def test_a_review_without_dates_says_so_and_writes_nothing(
    app: Flask, runner: FlaskCliRunner, client: FlaskClient, admin_client: FlaskClient, tmp_path: Path
) -> None:
    with app.app_context():
        review_id = get_or_create_review("VNM-4").id
        db.session.commit()
    out = tmp_path / "vnm4.ics"
    result = runner.invoke(cli, ["export", "calendar", "--review", "VNM-4", "-o", str(out)])
    assert result.exit_code == 1
    assert "VNM-4 has no dates yet" in result.output and "Nothing was written." in result.output
    assert "Wrote 0 events" not in result.output and not out.exists()
    page = admin_client.get(f"/calendar/download.ics?review={review_id}", follow_redirects=True)
    assert page.mimetype == "text/html" and "VNM-4 has no dates yet" in page.get_data(as_text=True)


def test_the_download_is_named_after_what_it_holds_and_a_review_download_is_whole(
    app: Flask, admin_client: FlaskClient
) -> None:
    with app.app_context():
        chn3, _chn4 = china_reviews()
        team = Team(name="Asia & Pacific")
        db.session.add(team)
        db.session.commit()
        chn3_id, team_id = chn3.id, team.id
        expected = _milestones("CHN-3")
    review = admin_client.get(f"/calendar/download.ics?review={chn3_id}")
    assert review.headers["Content-Disposition"] == 'attachment; filename="upr-CHN-3.ics"'
    assert expected <= {
        line.removeprefix("SUMMARY:")
        for line in review.get_data(as_text=True).replace("\r\n ", "").splitlines()
        if line.startswith("SUMMARY:")
    }
    by_team = admin_client.get(f"/calendar/download.ics?team={team_id}&kind=review")
    assert by_team.headers["Content-Disposition"] == 'attachment; filename="upr-team-Asia-Pacific-review.ics"'
    everything = admin_client.get("/calendar/download.ics")
    assert everything.headers["Content-Disposition"] == 'attachment; filename="upr-all-deadlines.ics"'


def test_a_review_feed_is_whole_and_the_feeds_page_says_what_each_holds(
    app: Flask, admin_client: FlaskClient, tmp_path: Path
) -> None:
    with app.app_context():
        chn3, _chn4 = china_reviews()
        chn3_id = chn3.id
        expected = _milestones("CHN-3")
    chosen = admin_client.get(f"/calendar/feeds?review={chn3_id}").get_data(as_text=True)
    assert f'<option selected value="{chn3_id}">' in chosen and '<option selected value="review">' in chosen
    created = admin_client.post(
        "/calendar/feeds", data={"scope": "review", "team_id": "0", "review_id": str(chn3_id)}
    ).get_data(as_text=True)
    url = created.split('<code id="feed-url">')[1].split("</code>")[0]
    feed = admin_client.get(url.removeprefix("http://localhost"))
    (tmp_path / "feed.ics").write_bytes(feed.data)
    assert expected <= {event["summary"] for event in parse_with_icaljs(tmp_path / "feed.ics")["events"]}
    admin_client.post("/calendar/feeds", data={"scope": "user", "team_id": "0", "review_id": "0"})
    page = admin_client.get("/calendar/feeds").get_data(as_text=True)
    assert "Review CHN-3 · created" in page and "every milestone of the review, past ones included" in page
    assert "events from " in page
