"""Meetings tied to people: a visit names its organisation and contacts, shows the reminders and briefing it
plans once saved, and the interaction logged after it links back to it. People stay out of feeds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm import dates
from crm.auth.models import Role, User
from crm.contacts.models import Contact, Interaction, InteractionKind, RecordMerge
from crm.db import db
from tests.conftest import sign_in
from tests.contacts_world import World, build_world
from upr_calendar import feeds
from upr_calendar.models import Event, FeedScope


def _world(app: Flask) -> World:
    with app.app_context():
        return build_world()


def _plan_visit(client: FlaskClient, world: World, day: str, **change: object) -> str:
    data: dict[str, object] = {
        "kind": "meeting",
        "title": "Briefing the Swedish mission",
        "day": day,
        "start_time": "10:00",
        "end_time": "11:00",
        "timezone": "Europe/Zurich",
        "organisation_id": world.ids["swe_mission"],
        "contact_ids": [world.ids["asa"], world.ids["hidden"]],
        "briefing_days_before": "21",
        "review_id": world.ids["review"],
        "team_id": world.ids["team"],
        **change,
    }
    saved = client.post("/calendar/events/new", data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)
    return saved.headers["Location"]


def test_a_saved_visit_shows_its_people_reminders_and_briefing(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    coordinator = make_user(Role.COORDINATOR, email="lead@example.org", teams=[world.team])
    make_user(Role.OFFICER, email="officer@example.org", teams=[world.team])
    make_user(Role.VIEWER, email="viewer@example.org", teams=[world.team])
    sign_in(client, coordinator)
    day = dates.today() + timedelta(days=40)
    location = _plan_visit(client, world, day.isoformat())
    # After saving: the visit's page, not the form again.
    assert location.startswith("/calendar/events/") and not location.endswith("/edit")
    page = client.get(location).get_data(as_text=True)
    assert "the reminders and the briefing it plans are below" in page
    who = page.split('id="who"')[1].split("</section>")[0]
    assert "Mission of Sweden" in who and "Åsa Bergström" in who and "Hidden Person" in who
    assert "China — CHN-3" in who  # the review by its state's name
    briefing = page.split('id="briefing"')[1].split("</p>")[0]
    assert dates.format_long_day(day - timedelta(days=21)) in briefing and "21 days before" in briefing
    rows = page.split('id="reminders"')[1].split("</table>")[0].split("<tr")[2:]
    planned = [(row.split("<td")[1], row.split("<td")[3]) for row in rows]
    expected_days = [23, 21, 1]  # the briefing's own reminder 2 days before it, then the visit's two
    assert len(planned) == 3
    for (on, recipients), days in zip(planned, expected_days, strict=True):
        assert dates.format_day(day - timedelta(days=days)) in on
        # The team's officers and coordinators; viewers get no reminder e-mails.
        assert "lead@example.org" in recipients and "officer@example.org" in recipients
        assert "viewer@example.org" not in recipients


def test_the_interaction_logged_after_a_visit_links_back(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    sign_in(client, make_user(Role.COORDINATOR, teams=[world.team]))
    location = _plan_visit(client, world, (dates.today() - timedelta(days=2)).isoformat())
    event_id = int(location.rsplit("/", 1)[1])
    page = client.get(location).get_data(as_text=True)
    log_url = f"/interactions/new?origin=calendar-event:{event_id}"
    assert log_url.replace(":", "%3A") in page or log_url in page
    form = client.get(log_url).get_data(as_text=True)
    assert "Briefing the Swedish mission" in form.split('id="origin"')[1].split("</p>")[0]
    assert f'value="calendar-event:{event_id}"' in form
    # The people of the visit are chosen already, and the time is the visit's.
    chosen = form.split('name="contact_ids"')[1].split("</select>")[0]
    assert (
        f'selected value="{world.ids["asa"]}"' in chosen or f'value="{world.ids["asa"]}" selected' in chosen
    )
    assert "T10:00" in form.split('name="occurred_at"')[1].split(">")[0]
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event is not None
        when = event.local_start.strftime("%Y-%m-%dT%H:%M")
    saved = client.post(
        "/interactions/new",
        data={
            "kind": "meeting",
            "occurred_at": when,
            "timezone": "Europe/Zurich",
            "contact_ids": [world.ids["asa"]],
            "summary": "Agreed to raise 28.83 in the interactive dialogue.",
            "origin": f"calendar-event:{event_id}",
        },
    )
    assert saved.status_code == 302 and saved.headers["Location"] == location
    with app.app_context():
        logged = db.session.scalar(select(Interaction))
        assert logged is not None and logged.origin == f"calendar-event:{event_id}"
        assert logged.kind is InteractionKind.MEETING
    back = client.get(location).get_data(as_text=True).split('id="logged"')[1].split("</ul>")[0]
    assert "Agreed to raise 28.83" in back and "Åsa Bergström" in back
    contact = client.get(f"/contacts/{world.ids['asa']}").get_data(as_text=True)
    assert f'After <a href="/calendar/events/{event_id}">meeting “Briefing the Swedish mission”' in contact
    # A forged origin is ignored rather than stored.
    client.post(
        "/interactions/new",
        data={
            "kind": "call",
            "occurred_at": when,
            "timezone": "Europe/Zurich",
            "contact_ids": [world.ids["asa"]],
            "origin": "calendar-event:999999",
        },
    )
    with app.app_context():
        origins = set(db.session.scalars(select(Interaction.origin)))
        assert origins == {f"calendar-event:{event_id}", None}


def test_people_met_stay_out_of_feeds_and_protected_ones_out_of_sight(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    coordinator = make_user(Role.COORDINATOR, teams=[world.team])
    sign_in(client, coordinator)
    location = _plan_visit(client, world, (dates.today() + timedelta(days=10)).isoformat())
    with app.app_context():
        owner = db.session.get(User, coordinator.id)
        assert owner is not None
        _row, token = feeds.create_token(owner, FeedScope.USER)
        db.session.commit()
    feed = app.test_client().get(f"/calendar/feed/{token}.ics").get_data(as_text=True)
    assert "Briefing the Swedish mission" in feed
    assert "Bergström" not in feed and "Hidden Person" not in feed and "Mission of Sweden" not in feed
    event_id = int(location.rsplit("/", 1)[1])
    with app.app_context():
        visit = db.session.get(Event, event_id)
        assert visit is not None
        when = visit.local_start.strftime("%Y-%m-%dT%H:%M")
    logged = client.post(
        "/interactions/new",
        data={
            "kind": "meeting",
            "occurred_at": when,
            "timezone": "Europe/Zurich",
            "contact_ids": [world.ids["hidden"]],
            "summary": "Spoke alone with the protected person.",
            "origin": f"calendar-event:{event_id}",
        },
    )
    assert logged.status_code == 302
    assert "Spoke alone" in client.get(location).get_data(as_text=True)
    client.post("/sign-out")
    sign_in(client, make_user(Role.OFFICER, teams=[world.other_team]))
    page = client.get(location).get_data(as_text=True)
    assert "Spoke alone" not in page  # logged only with someone this officer may not see
    who = page.split('id="who"')[1].split("</section>")[0]
    assert "Åsa Bergström" in who and "Hidden Person" not in who and "1 protected person" in who
    assert "Edit</a>" not in who  # officers plan no visits; they log what happened
    # Editing as the other team's coordinator keeps the protected person on the visit.
    client.post("/sign-out")
    sign_in(client, make_user(Role.COORDINATOR, teams=[world.other_team]))
    edit = client.get(f"/calendar/events/{event_id}/edit").get_data(as_text=True)
    assert "Hidden Person" not in edit
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event is not None
        when = event.local_start
    client.post(
        f"/calendar/events/{event_id}/edit",
        data={
            "kind": "meeting",
            "title": "Briefing the Swedish mission",
            "day": when.date().isoformat(),
            "start_time": "10:00",
            "end_time": "11:00",
            "timezone": "Europe/Zurich",
            "organisation_id": "0",
            "contact_ids": [world.ids["asa"]],
            "review_id": "0",
            "team_id": str(world.ids["team"]),
        },
    )
    with app.app_context():
        event = db.session.get(Event, event_id)
        assert event is not None and event.organisation_id is None
        assert {c.id for c in event.contacts} == {world.ids["asa"], world.ids["hidden"]}


def test_merging_a_contact_moves_the_visits_naming_them_and_the_undo_puts_them_back(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    world = _world(app)
    with app.app_context():
        twin = Contact(
            organisation_id=world.ids["swe_mission"], full_name="Asa B", owner_team_id=world.ids["team"]
        )
        db.session.add(twin)
        db.session.commit()
        twin_id = twin.id
    sign_in(client, make_user(Role.COORDINATOR, teams=[world.team]))
    day = (dates.today() + timedelta(days=10)).isoformat()
    both = int(_plan_visit(client, world, day, contact_ids=[twin_id, world.ids["asa"]]).rsplit("/", 1)[1])
    only_twin = int(_plan_visit(client, world, day, contact_ids=[twin_id]).rsplit("/", 1)[1])
    asa = world.ids["asa"]
    preview = client.get(f"/contacts/{asa}/merge?duplicate_id={twin_id}").get_data(as_text=True)
    assert "1 planned visit or meeting move to Åsa Bergström" in preview
    client.post(f"/contacts/{asa}/merge", data={"duplicate_id": twin_id, "confirm": "1"})

    def people() -> dict[int, set[int]]:
        with app.app_context():
            return {e: {c.id for c in db.session.get(Event, e).contacts} for e in (both, only_twin)}  # type: ignore[union-attr]

    assert people() == {both: {asa}, only_twin: {asa}}
    with app.app_context():
        merge_id = db.session.scalar(select(RecordMerge.id))
    client.post(f"/merges/{merge_id}/undo")
    assert people() == {both: {asa, twin_id}, only_twin: {twin_id}}
