"""Template previews and renders are bounded in output size and time: a hostile template gets a message."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.db import db
from outreach import sandbox
from outreach.models import BriefingTemplate
from outreach.rendering import sample_context

from .conftest import sign_in

HOSTILE = {
    "repetition": "{{ 'a' * 100000000 }}",
    "padding": "{{ 'a'.ljust(100000000) }}",
    "filter width": "{{ 'a'|center(100000000) }}",
    "format width": "{{ '%100000000s'|format('a') }}",
    "str.format width": "{{ '{:>100000000}'.format('a') }}",
    "percent width": "{{ '%100000000s' % 'a' }}",
    "replace": "{{ ('a' * 100000)|replace('a', 'b' * 1000) }}",
    "join": "{{ ('x' * 100000).join(range(100000)|map('string')) }}",
    "nested loops": "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    "recursion": "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(60) }}",
    "long output": "{% for i in range(100000) %}{{ 'abcdefgh' }}{% endfor %}",
    "huge power": "{{ 2 ** 100000000 }}",
}


# Each hostile template in the plain-text part; the first also in the subject and the HTML part.
CASES = [(source, "body_text") for source in HOSTILE.values()] + [
    (HOSTILE["repetition"], "subject"),
    (HOSTILE["repetition"], "body_html"),
]


@pytest.mark.parametrize(("source", "part"), CASES, ids=[*HOSTILE, "subject", "html"])
def test_a_hostile_preview_is_refused_quickly_and_briefly(
    client: FlaskClient, make_user: Callable[..., User], source: str, part: str
) -> None:
    sign_in(client, make_user(Role.COORDINATOR))
    form = {"subject": "Briefing", "body_text": "Hello", "body_html": "<p>Hello</p>", part: source}
    started = time.perf_counter()
    response = client.post("/outreach/templates/preview", data=form)
    elapsed = time.perf_counter() - started
    assert response.status_code == 200
    assert len(response.get_data()) < 2_000
    assert "too long or too slow" in response.get_json()["error"]
    assert elapsed < sandbox.MAX_SECONDS + 1.5


def test_saving_a_hostile_template_is_refused(client: FlaskClient, make_user: Callable[..., User]) -> None:
    sign_in(client, make_user(Role.COORDINATOR))
    client.get("/outreach/templates")  # creates the standard template
    with client.application.app_context():
        template_id = db.session.scalar(select(BriefingTemplate.id))
    form = {"subject": "Briefing", "body_text": HOSTILE["repetition"], "body_html": "<p>Hi</p>"}
    response = client.post(f"/outreach/templates/{template_id}/en", data=form, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Not saved" in page and "too long or too slow" in page


def test_an_ordinary_template_still_renders(client: FlaskClient, make_user: Callable[..., User]) -> None:
    sign_in(client, make_user(Role.COORDINATOR))
    form = {
        "subject": "{{ review.code }} for {{ contact.name }}",
        "body_text": "{% for r in recommendations %}{{ loop.index }}. {{ r.number }} "
        "{{ r.text|truncate(40) }}\n{% endfor %}{{ asks|join('; ') }} "
        "{{ '%s/%d'|format(state, review.cycle) }} {{ '{:>6}'.format('x') }}",
        "body_html": "<p>{{ recommendations|map(attribute='number')|join(', ') }}</p>",
    }
    rendered = client.post("/outreach/templates/preview", data=form).get_json()
    assert rendered.get("error") is None, rendered
    assert rendered["subject"] == "CHN-3 for Alex Example"
    assert "1. 28.1 Ratify the International Covenant" in rendered["text"]
    with client.application.app_context():
        state = sample_context()["state"]
    assert f"{state}/3" in rendered["text"] and "     x" in rendered["text"]
    assert rendered["html"] == "<p>28.1</p>"
