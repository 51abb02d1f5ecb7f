"""The template editor's live preview and save, and the public one-click unsubscribe link."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.contacts.models import Contact
from crm.db import db
from crm.models import Review
from outreach.campaigns import approve_campaign
from outreach.drafts import CampaignSettings, create_campaign
from outreach.models import CampaignStatus, TemplateTranslation
from outreach.outbox import UNSUBSCRIBE_SALT, unsubscribe_url
from outreach.rendering import ensure_default_template
from outreach.timing import CampaignError
from tests.conftest import sign_in
from tests.outreach_support import build_world
from upr.app import create_app

GOOD = {
    "subject": "{{ review.code }} for {{ contact.name }}",
    "body_text": "Hi",
    "body_html": "<b>{{ state }}</b>",
}


@pytest.fixture
def coordinator_client(client: FlaskClient, make_user: Callable[..., User]) -> FlaskClient:
    sign_in(client, make_user(Role.COORDINATOR))
    return client


def _preview(client: FlaskClient, **fields: str) -> dict[str, Any]:
    response = client.post("/outreach/templates/preview", data={**GOOD, **fields})
    assert response.status_code == 200
    data: dict[str, Any] = response.get_json()
    return data


def test_live_preview_renders_sample_values(coordinator_client: FlaskClient) -> None:
    data = _preview(coordinator_client, body_html="<p>{{ recommendations[0].text }}</p>{{ '<i>' }}")
    assert data["subject"] == "CHN-3 for Alex Example"
    assert data["html"] == "<p>Ratify the International Covenant on Civil and Political Rights</p>&lt;i&gt;"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"body_text": "Dear {{ contact.name "}, "The plain-text part has an error on line 1: "),
        ({"subject": "{% for x in y %}"}, "The subject has an error on line 1: "),
        ({"body_html": "<p>\n{{ 1 / 0 }}</p>"}, "The HTML part could not be rendered: division by zero."),
        (
            {"body_text": "{{ contact.nmae }}"},
            "The plain-text part could not be rendered: 'dict object' has no",
        ),
    ],
)
def test_live_preview_explains_a_broken_template(
    coordinator_client: FlaskClient, fields: dict[str, str], message: str
) -> None:
    data = _preview(coordinator_client, **fields)
    assert set(data) == {"error"} and data["error"].startswith(message)


@pytest.mark.parametrize(
    "source",
    [
        "{{ contact.__class__.__mro__ }}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ recommendations.__init__.__globals__ }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{{ contact.__class__ }}",
    ],
)
def test_the_sandbox_refuses_unsafe_attributes(coordinator_client: FlaskClient, source: str) -> None:
    data = _preview(coordinator_client, body_text=source)
    assert set(data) == {"error"} and "is unsafe" in data["error"]
    assert "uid=" not in data["error"]


def test_saving_a_broken_translation_keeps_the_old_one(app: Flask, coordinator_client: FlaskClient) -> None:
    with app.app_context():
        template_id = ensure_default_template().id
        db.session.commit()
    url = f"/outreach/templates/{template_id}/en"
    response = coordinator_client.post(url, data={**GOOD, "body_text": "{{ contact.__class__ }}"})
    assert response.status_code == 200
    assert "Not saved: The plain-text part could not be rendered" in response.get_data(as_text=True)

    saved = coordinator_client.post(f"/outreach/templates/{template_id}/de", data=GOOD)
    assert saved.status_code == 302
    with app.app_context():
        rows = {t.language: t for t in db.session.scalars(select(TemplateTranslation))}
        assert (
            "{{ contact.__class__ }}" not in rows["en"].body_text
            and "{{ salutation }}" in rows["en"].body_text
        )
        assert rows["de"].subject == GOOD["subject"]


def test_an_officer_cannot_reach_the_template_editor(
    client: FlaskClient, make_user: Callable[..., User]
) -> None:
    sign_in(client, make_user(Role.OFFICER))
    assert client.post("/outreach/templates/preview", data=GOOD).status_code == 403


@pytest.fixture
def csrf_client(app_config: dict[str, Any], app: Flask) -> FlaskClient:
    """A client of an app with CSRF on, as in production: the one-click POST carries no token."""
    return create_app({**app_config, "WTF_CSRF_ENABLED": True}).test_client()


def _contact(email: str) -> Contact:
    contact = db.session.scalar(select(Contact).where(Contact.email == email))
    assert contact is not None
    return contact


def test_one_click_unsubscribe_sets_the_opt_out(app: Flask, csrf_client: FlaskClient) -> None:
    with app.app_context():
        world = build_world()
        url = unsubscribe_url(_contact(world.asa).id)
    path = url.split("127.0.0.1:5000", 1)[1]

    page = csrf_client.get(path)
    assert page.status_code == 200 and "Stop receiving briefings?" in page.get_data(as_text=True)
    with app.app_context():
        assert not _contact(world.asa).opt_out  # a link scanner's GET changes nothing

    done = csrf_client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "Unsubscribed" in done.get_data(as_text=True)
    with app.app_context():
        assert _contact(world.asa).opt_out
        assert not _contact(world.camille).opt_out


def test_a_forged_unsubscribe_token_is_a_404_and_changes_nothing(
    app: Flask, csrf_client: FlaskClient
) -> None:
    with app.app_context():
        world = build_world()
        asa_id = _contact(world.asa).id
        token = unsubscribe_url(asa_id).rsplit("/", 1)[1]
    forged = [
        token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        URLSafeSerializer("another-secret", salt=UNSUBSCRIBE_SALT).dumps(asa_id),
        URLSafeSerializer("test-secret-key-not-for-production", salt="another-salt").dumps(asa_id),
        "not-a-token",
    ]
    for bad in forged:
        response = csrf_client.post(f"/outreach/unsubscribe/{bad}", data={"List-Unsubscribe": "One-Click"})
        assert response.status_code == 404
        assert "Link not recognised" in response.get_data(as_text=True)
    with app.app_context():
        assert not db.session.scalars(
            select(Contact).where(Contact.opt_out.is_(True), Contact.id == asa_id)
        ).all()


def test_a_campaign_timed_on_a_deadline_that_has_passed_is_refused_when_saved_and_when_approved(
    app: Flask, make_user: Callable[..., User]
) -> None:
    """It would go out at once, "ahead of" a review that took place years ago."""
    coordinator = make_user(Role.COORDINATOR)
    with app.app_context():
        world = build_world(with_campaign=False)
        review = db.session.get_one(Review, world.review_id)
        review.review_date = date(2018, 11, 6)
        settings = CampaignSettings(
            name="Late", review=review, template=ensure_default_template(), deadline_kind="review"
        )
        settings.offset_days = -42
        with pytest.raises(CampaignError, match=r"Its deadline \(6 Nov 2018\) has passed"):
            create_campaign(settings, None)
        review.review_date = date(2031, 3, 4)
        campaign = create_campaign(settings, None)
        # The review's date moves back into the past after the draft was saved: approval checks again.
        review.review_date = date(2018, 11, 6)
        user = db.session.get_one(User, coordinator.id)
        with pytest.raises(CampaignError, match=r"Its deadline \(6 Nov 2018\) has passed"):
            approve_campaign(campaign, user)
        review.review_date = date(2031, 3, 4)
        approve_campaign(campaign, user)
        assert campaign.status is CampaignStatus.APPROVED


def test_a_standard_briefing_made_before_the_other_languages_shipped_offers_them(
    app: Flask, coordinator_client: FlaskClient
) -> None:
    """A database from before the French, Chinese and Spanish texts holds the English one alone."""
    from markupsafe import escape

    from outreach.rendering import EMAIL_TEMPLATES, SHIPPED_LANGUAGES

    with app.app_context():
        template = ensure_default_template()
        for translation in [t for t in template.translations if t.language != "en"]:
            template.translations.remove(translation)
        db.session.commit()
        template_id = template.id
    assert {"zh", "fr", "es"} <= set(SHIPPED_LANGUAGES)
    listing = coordinator_client.get("/outreach/templates").get_data(as_text=True)
    for language in ("zh", "fr", "es"):
        assert f'href="/outreach/templates/{template_id}/{language}"' in listing
    page = coordinator_client.get(f"/outreach/templates/{template_id}/fr").get_data(as_text=True)
    french_subject = (EMAIL_TEMPLATES / "briefing.fr.subject.txt").read_text(encoding="utf-8").strip()
    assert str(escape(french_subject)) in page  # starts from the shipped French text, not the English
    with app.app_context():
        assert {t.language for t in db.session.scalars(select(TemplateTranslation))} == {"en"}  # until saved
