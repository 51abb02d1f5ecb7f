"""Every endpoint of the app, enumerated from ``app.url_map``: sign-in, the viewer role and CSRF hold for all.

A new endpoint is covered the moment it is registered; a new *public* endpoint fails
``test_anonymous_requests_are_sent_to_sign_in`` until it is added to ``PUBLIC_ENDPOINTS`` on purpose.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select
from werkzeug.routing import Rule

from crm.assessments.models import EvidenceItem
from crm.auth.access import is_public
from crm.auth.models import Role, User, UserSession
from crm.contacts.models import Contact, Interaction, Organisation, RecordMerge
from crm.db import Base, db
from crm.jobs.models import BackgroundJob
from crm.models import Recommendation, Review
from crm.teams.models import Team
from outreach.models import BriefingTemplate, Campaign, OutboxMessage
from upr.app import create_app
from upr.cli import cli
from upr.schema import metadata
from upr_calendar.models import Event, FeedToken

from .conftest import TEST_PASSWORD, sign_in

# Reachable without signing in, each for a reason: signing in itself (password, then the second factor),
# the load balancer's probe, the CSS, calendar apps (they cannot sign in; the secret token authorises) and
# mail clients' one-click unsubscribe.
PUBLIC_ENDPOINTS = frozenset(
    {
        "auth.sign_in",
        "auth.second_factor",
        "auth.language",  # the language menu works before sign-in too
        "health",
        "static",
        "calendar.feed",
        "outreach.unsubscribe",
    }
)
# POSTs a viewer may make: signing in and out, their own account (password, two-factor, sessions), the
# token-authorised unsubscribe, and three reads that are POSTs only because they start work: the mid-term
# matrix and factsheet exports (background jobs) and a calendar feed of what the viewer can already read.
VIEWER_MAY_POST = frozenset(
    {
        "auth.sign_in",
        "auth.second_factor",
        "auth.sign_out",
        "auth.language",
        "auth.password",
        "auth.two_factor_start",
        "auth.two_factor_confirm",
        "auth.two_factor_off",
        "auth.recovery_codes",
        "auth.end_one_session",
        "auth.end_other_sessions",
        "outreach.unsubscribe",
        "assessments.export_matrix",
        "assessments.export_factsheet",
        "calendar.feed_list",
    }
)
# RFC 8058: a mail client's one-click unsubscribe has no session and so no CSRF token.
CSRF_EXEMPT = frozenset({"outreach.unsubscribe"})

# The model whose smallest id fills a URL argument of that name.
ID_ARGUMENTS: dict[str, type[Base]] = {
    "item_id": EvidenceItem,
    "rec_id": Recommendation,
    "recommendation_id": Recommendation,
    "event_id": Event,
    "feed_id": FeedToken,
    "review_id": Review,
    "contact_id": Contact,
    "interaction_id": Interaction,
    "job_id": BackgroundJob,
    "organisation_id": Organisation,
    "campaign_id": Campaign,
    "message_id": OutboxMessage,
    "template_id": BriefingTemplate,
    "team_id": Team,
    "merge_id": RecordMerge,
    "user_id": User,
    "session_id": UserSession,
}


def _plausible_values(app: Flask) -> dict[str, Any]:
    with app.app_context():
        values: dict[str, Any] = {
            name: db.session.scalar(select(func.min(model.id))) or 1  # type: ignore[attr-defined]
            for name, model in ID_ARGUMENTS.items()
        }
    values.update(language="en", token="not-a-real-token", filename="app.css", file_format="csv")
    return values


def _url(app: Flask, rule: Rule, values: dict[str, Any]) -> str:
    arguments = {name: values[name] for name in rule.arguments if name != "code"}
    if "code" in rule.arguments:
        # Review codes for review pages, a State-under-Review's code for state and treaty pages.
        arguments["code"] = "CHN" if rule.endpoint in ("crm.state", "calendar.treaties") else "CHN-3"
    with app.test_request_context():
        return rule.build(arguments, append_unknown=False)[1]  # type: ignore[index]


def _rules(app: Flask, method: str) -> Iterator[Rule]:
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if method in (rule.methods or ()):
            yield rule


def _row_counts() -> dict[str, int]:
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in metadata.sorted_tables
    }


@pytest.fixture
def demo_app(app: Flask, runner: FlaskCliRunner) -> Flask:
    result = runner.invoke(cli, ["demo"])
    assert result.exit_code == 0, result.output
    return app


def test_every_argument_of_every_route_has_a_plausible_value(demo_app: Flask) -> None:
    values = _plausible_values(demo_app)
    for rule in demo_app.url_map.iter_rules():
        missing = set(rule.arguments) - set(values) - {"code"}
        assert not missing, f"{rule.endpoint}: add a value for {missing} to ID_ARGUMENTS"
        _url(demo_app, rule, values)


def test_anonymous_requests_are_sent_to_sign_in(demo_app: Flask) -> None:
    client = demo_app.test_client()
    values = _plausible_values(demo_app)
    public_seen = set()
    for rule in _rules(demo_app, "GET"):
        url = _url(demo_app, rule, values)
        response = client.get(url)
        if rule.endpoint in PUBLIC_ENDPOINTS:
            public_seen.add(rule.endpoint)
            assert response.status_code < 500, url
            continue
        assert response.status_code == 302, f"{rule.endpoint} {url} answered {response.status_code}"
        assert response.headers["Location"].startswith("/sign-in?next="), url
    for rule in _rules(demo_app, "POST"):
        response = client.post(_url(demo_app, rule, values))
        if rule.endpoint in PUBLIC_ENDPOINTS:
            public_seen.add(rule.endpoint)
            assert response.status_code < 500, rule.endpoint
            continue
        assert response.status_code == 302, rule.endpoint
        assert response.headers["Location"].startswith("/sign-in"), rule.endpoint
    # Every listed public endpoint exists and answered: a stale entry would hide nothing but mislead.
    assert public_seen == PUBLIC_ENDPOINTS


def test_public_endpoints_are_exactly_the_listed_ones(app: Flask) -> None:
    public = {
        endpoint for endpoint, view in app.view_functions.items() if endpoint == "static" or is_public(view)
    }
    assert public == PUBLIC_ENDPOINTS


def test_a_viewer_can_change_nothing(demo_app: Flask, make_user: Callable[..., User]) -> None:
    client = demo_app.test_client()
    sign_in(client, make_user(Role.VIEWER))
    values = _plausible_values(demo_app)
    with demo_app.app_context():
        before = _row_counts()
    allowed = []
    for rule in _rules(demo_app, "POST"):
        if rule.endpoint in VIEWER_MAY_POST:
            continue
        url = _url(demo_app, rule, values)
        # A form filled with the ids a real page would send: the role check must come before validation.
        response = client.post(url, data={key: str(value) for key, value in values.items()})
        if response.status_code not in (403, 404, 405):
            allowed.append(f"{rule.endpoint} {url} answered {response.status_code}")
    assert allowed == [], "\n".join(allowed)
    with demo_app.app_context():
        assert _row_counts() == before


def test_a_viewer_reads_every_page_without_a_server_error(
    demo_app: Flask, make_user: Callable[..., User]
) -> None:
    client = demo_app.test_client()
    sign_in(client, make_user(Role.VIEWER))
    values = _plausible_values(demo_app)
    failed = []
    for rule in _rules(demo_app, "GET"):
        url = _url(demo_app, rule, values)
        if client.get(url).status_code >= 500:
            failed.append(f"{rule.endpoint} {url}")
    assert failed == [], "\n".join(failed)


def test_every_post_without_a_csrf_token_is_refused(
    demo_app: Flask, app_config: dict[str, Any], make_user: Callable[..., User]
) -> None:
    protected = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    admin = make_user(Role.ADMIN)
    client = protected.test_client()
    page = client.get("/sign-in").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = client.post(
        "/sign-in", data={"email": admin.email, "password": TEST_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    values = _plausible_values(protected)
    with protected.app_context():
        before = _row_counts()
    checked = 0
    for rule in _rules(protected, "POST"):
        if rule.endpoint in CSRF_EXEMPT:
            continue
        url = _url(protected, rule, values)
        # The admin may do anything, so only the missing token can stop these.
        response = client.post(url, data={key: str(value) for key, value in values.items()})
        assert response.status_code == 400, f"{rule.endpoint} {url} answered {response.status_code}"
        assert "form had expired" in response.get_data(as_text=True), rule.endpoint
        checked += 1
    assert checked >= 30
    with protected.app_context():
        assert _row_counts() == before
    # The session survived every refusal: the same client still reads pages.
    assert client.get("/dashboard").status_code == 200


def test_the_exempt_unsubscribe_refuses_a_forged_token(demo_app: Flask) -> None:
    client = demo_app.test_client()
    with demo_app.app_context():
        before = _row_counts()
    for method in (client.get, client.post):
        response = method("/outreach/unsubscribe/forged-token")
        assert response.status_code in (400, 404), response.status_code
    with demo_app.app_context():
        assert _row_counts() == before


# Every route x role x own-team / other-team record, from the URL map (issue 14, section 6).

WALK_SKIPS = frozenset({"auth.sign_out"})  # would end the walker's own session mid-walk


def _team_url(app: Flask, rule: Rule, values: dict[str, Any], code: str) -> str:
    arguments = {name: values[name] for name in rule.arguments if name != "code"}
    if "code" in rule.arguments:
        arguments["code"] = (
            code.split("-", maxsplit=1)[0] if rule.endpoint in ("crm.state", "calendar.treaties") else code
        )
    with app.test_request_context():
        return rule.build(arguments, append_unknown=False)[1]  # type: ignore[index]


@pytest.fixture
def two_teams(demo_app: Flask, make_user: Callable[..., User]) -> tuple[Any, Any]:
    from .security_world import build_teams

    member_a, member_b = make_user(Role.OFFICER), make_user(Role.OFFICER)
    with demo_app.app_context():
        return build_teams(member_a, member_b)


def _walkers(app: Flask, make_user: Callable[..., User], team_id: int) -> dict[Role, FlaskClient]:
    with app.app_context():
        team = db.session.get(Team, team_id)
        assert team is not None
        db.session.expunge(team)
    walkers = {}
    for role in Role:
        walkers[role] = app.test_client()
        sign_in(walkers[role], make_user(role, teams=[team]))
    return walkers


def test_every_route_for_every_role_about_its_own_and_another_team(
    demo_app: Flask, two_teams: tuple[Any, Any], make_user: Callable[..., User]
) -> None:
    """As a member of team A, each role walks every route about team A's records and about team B's.

    About team B's: no page or answer shows an at-risk person of B or a sensitive person's address or
    phone, no POST changes B's people, meetings, feeds, holds, messages or sessions, and a record B keeps
    hidden is answered exactly like a record that does not exist. About team A's: nothing fails. Admins
    (who may change anything, and whose POSTs the CSRF walk above covers) walk the GET routes.
    """
    from .security_world import HIDDEN_ARGUMENTS, MISSING, protected_state, secrets_of

    own, other = two_teams
    base = _plausible_values(demo_app)
    walkers = _walkers(demo_app, make_user, own.team_id)
    with demo_app.app_context():
        secrets = secrets_of(other.team_id)
        before = protected_state(other)
    assert len(secrets) >= 6  # the demo's people at risk and sensitive ones, and those planted
    targets = {
        "own": ({**base, **own.ids}, own.review_code),
        "other": ({**base, **other.ids}, other.review_code),
        # A sensitive person of B is visible to all, their address and phone only to B.
        "other sensitive": (
            {**base, **other.ids, "contact_id": other.ids["sensitive_contact_id"]},
            other.review_code,
        ),
        "missing": ({**base, **other.ids, **dict.fromkeys(HIDDEN_ARGUMENTS, MISSING)}, other.review_code),
    }
    post_extra = {"scope": "team", "held": "1", "team_id": str(other.team_id), "review_id": "0"}
    problems: list[str] = []
    walked = 0
    for role, client in walkers.items():
        for method in ("GET",) if role is Role.ADMIN else ("GET", "POST"):
            for rule in _rules(demo_app, method):
                if rule.endpoint in WALK_SKIPS or (
                    method == "POST" and rule.endpoint == "auth.end_other_sessions"
                ):
                    continue
                answers = {}
                for target, (values, code) in targets.items():
                    if target == "own" and method == "POST":
                        continue  # changing one's own team is each feature's own tests' business
                    url = _team_url(demo_app, rule, values, code)
                    form = {**{k: str(v) for k, v in values.items()}, **post_extra}
                    response = client.get(url) if method == "GET" else client.post(url, data=form)
                    walked += 1
                    label = f"{role.value} {method} {rule.endpoint} ({target}) {url}"
                    if response.status_code >= 500:
                        problems.append(f"{label}: {response.status_code}")
                    answers[target] = response.status_code
                    if role is Role.ADMIN or target == "own":
                        continue
                    body = response.get_data(as_text=True) + response.headers.get("Location", "")
                    problems += [f"{label}: shows {secret!r}" for secret in secrets if secret in body]
                hidden = set(rule.arguments) & set(HIDDEN_ARGUMENTS)
                if role is not Role.ADMIN and hidden and answers.get("other") != answers.get("missing"):
                    problems.append(
                        f"{role.value} {method} {rule.endpoint}: another team's {sorted(hidden)} answers "
                        f"{answers.get('other')}, a missing one {answers.get('missing')}"
                    )
    with demo_app.app_context():
        after = protected_state(other)
    assert walked > 1000
    assert problems == [], "\n".join(problems[:60])
    assert after == before
