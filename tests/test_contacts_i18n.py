"""The contacts pages for a reader whose profile says Chinese or French: dates, counts and state names in
that language, and the contacts area's labels picked per request (not frozen at import time)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crm.auth.models import Role, User
from crm.contacts.forms import ContactForm
from crm.contacts.models import OrganisationKind, SafetyLevel
from crm.db import db
from crm.i18n import catalogue
from tests.conftest import sign_in
from tests.contacts_world import build_world


def _reader(app: Flask, client: FlaskClient, make_user: Callable[..., User], language: str) -> dict[str, int]:
    with app.app_context():
        world = build_world()
        team, ids = world.team, world.ids
    user = make_user(Role.OFFICER, teams=[team])
    with app.app_context():
        stored = db.session.get(User, user.id)
        assert stored is not None
        stored.language = language
        db.session.commit()
    sign_in(client, user)
    return ids


@pytest.mark.parametrize(
    "expected",
    [
        ("zh", "2024年6月30日", "瑞典"),
        ("fr", "30 juin 2024", "Suède"),
        ("es", "30 de junio de 2024", "Suecia"),
    ],
)
def test_a_contact_s_page_writes_dates_and_states_in_the_reader_s_language(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., User],
    expected: tuple[str, str, str],
) -> None:
    language, ended, sweden = expected
    ids = _reader(app, client, make_user, language)
    page = client.get(f"/contacts/{ids['maria']}").get_data(as_text=True)
    assert f'<html lang="{language}"' in page
    assert ended in page  # the posting's end, in the sentence that asks for a successor
    assert "30 June 2024" not in page and "2024-06-30" not in page
    assert sweden in page  # the ministry's state, and Sweden among the recommending states
    listing = client.get("/contacts").get_data(as_text=True)
    assert f"<td>{sweden}</td>" in listing  # the State column (organisation names are data, as typed)


def test_the_coverage_page_names_states_and_dates_in_chinese(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    _reader(app, client, make_user, "zh")
    page = client.get("/coverage").get_data(as_text=True)
    assert "2024年6月30日" in page  # Maria's posting ended, with no successor recorded
    assert "30 Jun 2024" not in page


def test_labels_of_kinds_and_forms_follow_each_request_s_language(app: Flask) -> None:
    """Labels are looked up when shown: a French request after an English one gets the French catalogue's
    words, whatever the catalogue holds for them (the fragments are merged into it later)."""
    french = catalogue("fr")
    for header, translate in (("en", lambda s: s), ("fr", french.gettext)):
        with app.test_request_context(headers={"Accept-Language": header}):
            assert OrganisationKind.EMBASSY.label == translate("Embassy")
            assert SafetyLevel.AT_RISK.label == translate("at risk")
            form = ContactForm(meta={"csrf": False})
            assert form.full_name.label.text == translate("Full name")
            assert dict(form.safety_level.choices)["at_risk"] == translate("at risk")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("anna.berg.example.org", "it has no @."),
        ("anna＠example.org", "its @ is a full-width character; type a plain @."),
        ("@example.org", "nothing comes before the @."),
        ("anna@", "nothing comes after the @."),
        (
            "anna..berg@example.org",
            "a period is out of place (two in a row, or at the start or end of a part).",
        ),
        ("anna@example", "the part after the @ has no period (as in example.org)."),
        ("anna berg@example.org", "the part before the @ holds characters an address cannot."),
    ],
)
def test_a_refused_address_says_why_in_the_reader_s_language(app: Flask, address: str, kind: str) -> None:
    """email-validator explains in English only: the others read the kind of mistake in their language."""
    from email_validator import EmailNotValidError, validate_email

    from crm.addresses import InvalidEmail, normalise_email

    with pytest.raises(EmailNotValidError) as library:
        validate_email(address, check_deliverability=False)
    for language in ("zh", "fr", "es"):
        with (
            app.test_request_context(headers={"Accept-Language": language}),
            pytest.raises(InvalidEmail) as refused,
        ):
            normalise_email(address)
        assert catalogue(language).gettext(kind) in str(refused.value), language
        assert str(library.value) not in str(refused.value)
    with app.test_request_context(headers={"Accept-Language": "en"}), pytest.raises(InvalidEmail) as refused:
        normalise_email(address)
    assert str(library.value) in str(refused.value)  # English readers get the library's precise sentence
