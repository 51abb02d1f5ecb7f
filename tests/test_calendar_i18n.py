"""The calendar in the reader's language: pages for a Chinese reader, a feed in its owner's language."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from crm.auth.models import Role, User
from crm.db import db
from crm.teams.models import Team
from tests.calendar_helpers import china_reviews, parse_with_icaljs
from tests.conftest import sign_in
from upr_calendar.models import DatePrecision, DeadlineKind, EventKind, Treaty, TreatyEvent
from upr_calendar.rule_texts import RULE_DESCRIPTIONS
from upr_calendar.rules import RULES_FILE
from upr_calendar.sensitive_dates import add_sensitive_date
from upr_calendar.treaties import TREATY_RULES_FILE
from upr_calendar.visits import save_event


def _speaking(user: User, language: str) -> None:
    db.session.execute(update(User).where(User.id == user.id).values(language=language))
    db.session.commit()


def _world(app: Flask, make_user: Callable[..., User], language: str) -> tuple[User, int]:
    """China's reviews on a team of one coordinator speaking ``language``, a CERD date known to the month
    and a visit on 3 June 2027 near a yearly sensitive date (4 June)."""
    with app.app_context():
        _chn3, chn4 = china_reviews()
        team = Team(name="China team")
        db.session.add(team)
        db.session.flush()
        chn4.team_id = team.id
        db.session.add(
            TreatyEvent(
                state_code="CHN",
                treaty=Treaty.CERD,
                kind=DeadlineKind.TREATY_SESSION,
                on=date(2027, 3, 1),
                precision=DatePrecision.MONTH,
            )
        )
        add_sensitive_date(date(1989, 6, 4), "Anniversary", state_code="CHN")
        starts = datetime(2027, 6, 3, 8, 0, tzinfo=UTC)
        save_event(
            None,
            kind=EventKind.MEETING,
            title="Mission briefing",
            starts_at=starts,
            ends_at=starts.replace(hour=9),
            timezone="Europe/Zurich",
            review_id=chn4.id,
            team_id=team.id,
        )
        db.session.commit()
        chn4_id = chn4.id
    user = make_user(Role.COORDINATOR, teams=[team])
    with app.app_context():
        _speaking(user, language)
    return user, chn4_id


def _feed_events(app: Flask, client: FlaskClient, tmp_path: Path) -> list[dict[str, str]]:
    created = client.post("/calendar/feeds", data={"scope": "user", "team_id": "0", "review_id": "0"})
    url = created.get_data(as_text=True).split('<code id="feed-url">')[1].split("</code>")[0]
    # A calendar app fetches it: no cookie, and a browser language that is not the owner's.
    fetched = app.test_client().get(url.removeprefix("http://localhost"), headers={"Accept-Language": "zh"})
    assert fetched.status_code == 200 and fetched.mimetype == "text/calendar"
    (tmp_path / "feed.ics").write_bytes(fetched.data)
    events: list[dict[str, str]] = parse_with_icaljs(tmp_path / "feed.ics")["events"]
    return events


def test_a_feed_is_written_in_its_owners_language_whoever_fetches_it(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], tmp_path: Path
) -> None:
    user, _chn4_id = _world(app, make_user, "fr")
    sign_in(client, user)
    events = _feed_events(app, client, tmp_path)
    summaries = [event["summary"] for event in events]
    treaty = next(s for s in summaries if s.startswith("CERD"))
    # The state's name and the month in French, from the UN list and Babel, not the fetcher's Chinese.
    assert "Chine" in treaty and "mars 2027" in treaty
    assert "China" not in treaty and "March" not in treaty and "中国" not in treaty
    visit = next(event for event in events if "Mission briefing" in event["summary"])
    assert "4 juin 2027" in visit["description"] and "June" not in visit["description"]


def test_an_english_owners_feed_reads_as_it_always_has(
    app: Flask, client: FlaskClient, make_user: Callable[..., User], tmp_path: Path
) -> None:
    user, _chn4_id = _world(app, make_user, "en")
    sign_in(client, user)
    events = _feed_events(app, client, tmp_path)
    summaries = {event["summary"] for event in events}
    assert "CERD · China: Treaty-body session (March 2027, exact date not yet known)" in summaries
    assert "Meeting: Mission briefing" in summaries
    visit = next(event for event in events if event["summary"] == "Meeting: Mission briefing")
    assert visit["description"] == "Sensitive date nearby: 4 June 2027: Anniversary"


def test_a_chinese_reader_sees_months_days_and_states_in_chinese(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    user, chn4_id = _world(app, make_user, "zh")
    sign_in(client, user)
    month = client.get("/calendar/month?year=2024&month=1").get_data(as_text=True)
    assert "<h1>2024年1月</h1>" in month and "十二月" in month and "二月" in month
    headings = month.split("<thead>")[1].split("</thead>")[0]
    assert headings.index("周一") < headings.index("周日") and "Mon" not in headings
    review = client.get(f"/calendar/reviews/{chn4_id}").get_data(as_text=True)
    assert "中国" in review and "2023年7月18日" in review and "China" not in review
    agenda = client.get("/calendar/?from=2027-06-01").get_data(as_text=True)
    assert "2027年6月3日星期四" in agenda and "Thursday" not in agenda
    treaties = client.get("/calendar/treaties/CHN").get_data(as_text=True)
    assert "中国" in treaties and "China" not in treaties
    # A yearly sensitive date comes back every year: it is written without one.
    sensitive = client.get("/calendar/sensitive").get_data(as_text=True)
    assert "6月4日" in sensitive and "1989年6月4日" not in sensitive


def test_every_rule_description_in_the_data_files_is_marked_for_translation() -> None:
    with RULES_FILE.open(encoding="utf-8") as rules, TREATY_RULES_FILE.open(encoding="utf-8") as treaty:
        written = [row["description"] for row in [*csv.DictReader(rules), *csv.DictReader(treaty)]]
    marked = {str(description) for description in RULE_DESCRIPTIONS}
    assert [text for text in written if text not in marked] == []
