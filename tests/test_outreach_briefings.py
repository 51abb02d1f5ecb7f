"""Briefings fit for a diplomat: wording that knows the review is past, every fixed word in the template's
language (the gettext catalogue), a salutation from the contact's form of address, the team's signature."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm import dates
from crm.auth.models import Role, User
from crm.contacts.models import Contact
from crm.db import db
from crm.models import IMPLEMENTATION_LABELS, ImplementationStatus, Response, Review
from crm.teams.models import Team
from outreach.campaigns import campaign_recipients, render_briefing
from outreach.models import Campaign, Signature
from outreach.wording import Wording
from tests.conftest import sign_in
from tests.outreach_support import build_world


def test_english_words_are_the_app_s_own_labels_and_french_ones_are_french() -> None:
    english, french = Wording("en"), Wording("fr")
    for response in Response:
        assert english.response(response) == response.value
    for status in ImplementationStatus:
        assert english.implementation(status) == IMPLEMENTATION_LABELS[status]
    assert french.response(Response.SUPPORTED) == "acceptée"
    assert french.response(Response.NOTED) == "notée"
    assert french.date(date(2018, 11, 6)) == "6 novembre 2018"
    assert english.date(date(2018, 11, 6)) == "6 November 2018"
    assert french.ahead_of("pre_session", date(2027, 1, 15)) == "En vue de la pré-session du 15 janvier 2027"
    # Templates written before quote the bare name ("Ahead of the {{ trigger.label }}"): it stays bare.
    assert (english.label("pre_session"), french.label("pre_session")) == ("pre-session", "pré-session")


@pytest.mark.parametrize(
    ("form", "family", "english", "french"),
    [
        ("Ms", "", "Dear Ms Favre,", "Madame,"),
        ("Mr", "Wang", "Dear Mr Wang,", "Monsieur,"),
        ("Dr", "", "Dear Dr Favre,", "Madame, Monsieur,"),
        ("Excellency", "", "Your Excellency,", "Excellence,"),
        ("", "", "Dear Zoë Favre,", "Madame, Monsieur,"),
    ],
)
def test_the_salutation_fits_the_contact(form: str, family: str, english: str, french: str) -> None:
    assert Wording("en").salutation(form, family, "Zoë Favre") == english
    assert Wording("fr").salutation(form, family, "Zoë Favre") == french


def _camille_preview(app: Flask, review_date: date, *, team: Team | None = None) -> tuple[str, str]:
    with app.app_context():
        world = build_world()
        review = db.session.get_one(Review, world.review_id)
        review.review_date = review_date
        campaign = db.session.get_one(Campaign, world.campaign_id)
        if team is not None:
            campaign.team_id = team.id
        camille = db.session.scalar(select(Contact).where(Contact.email == world.camille))
        assert camille is not None
        camille.form_of_address = "Ms"
        db.session.commit()
        [recipient] = [r for r in campaign_recipients(campaign) if r.contact.id == camille.id]
        message = render_briefing(campaign, recipient)
        return message.subject, message.text


def test_a_past_review_reads_as_past_and_the_french_briefing_is_all_french(app: Flask) -> None:
    subject, text = _camille_preview(app, date(2018, 11, 6))
    assert subject == "EPU de la Chine (CHN-3) : les 2 recommandations de la France"
    assert text.startswith("Madame,\n")
    assert "Lors de l'examen de la Chine le 6 novembre 2018, la France a formulé 2 recommandations" in text
    assert text.count("Réponse : acceptée.") == 2
    assert "Ce que nous demandons à la France :" in text
    for english in ("France made", "China", "supported", "Dear", "Ahead", "Madame, Monsieur Camille"):
        assert english not in text


def test_a_coming_review_does_not_read_as_past(app: Flask) -> None:
    later = dates.today() + timedelta(days=200)
    _subject, text = _camille_preview(app, later)
    assert "Lors de l'examen" not in text
    assert "\nLa France a formulé 2 recommandations dans le cadre de l'Examen périodique universel" in text


def test_the_signing_team_s_block_closes_the_briefing(app: Flask) -> None:
    with app.app_context():
        team = Team(name="Geneva team")
        db.session.add(team)
        db.session.flush()
        db.session.add(
            Signature(
                team_id=team.id, name="Anna Keller", organisation="Rights Watch", address="Rue 1\n1201 Genève"
            )
        )
        db.session.commit()
        db.session.refresh(team)
        db.session.expunge(team)
    _subject, text = _camille_preview(app, date(2018, 11, 6), team=team)
    closing = text.split("Avec nos salutations distinguées")[1]
    assert closing.lstrip().startswith("Anna Keller\nRights Watch\nRue 1\n1201 Genève\n")


def test_coordinators_edit_a_team_s_signature_and_officers_cannot(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        team = Team(name="Geneva team")
        db.session.add(team)
        db.session.commit()
        team_id = team.id
    sign_in(client, make_user(Role.OFFICER, email="officer@example.org"))
    assert client.get(f"/outreach/signatures/{team_id}").status_code == 403
    client.post("/sign-out")
    sign_in(client, make_user(Role.COORDINATOR, email="coordinator@example.org"))
    saved = client.post(
        f"/outreach/signatures/{team_id}",
        data={"name": "Anna Keller", "organisation": "Rights Watch", "address": "Rue 1\r\n1201 Genève"},
    )
    assert saved.status_code == 302
    page = client.get("/outreach/signatures").get_data(as_text=True)
    assert "Anna Keller · Rights Watch · Rue 1 · 1201 Genève" in page
    assert client.get("/outreach/signatures/999999").status_code == 404
