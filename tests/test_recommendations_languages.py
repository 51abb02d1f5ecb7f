"""Recommendations, states and reviews for a reader of Chinese or French: state names as the UN writes them,
dates and numbers as the language writes them, the list of states in the order of the names shown, and the
words the catalogues already hold (responses, statuses) translated whole."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.db import db
from crm.i18n import catalogue, long_date
from crm.models import Review, State
from crm.recommendations.exporting import SEARCH_COLUMNS
from crm.recommendations.importing import import_recommendations
from crm.reviews.services import name_order
from crm.state_names import display_name

from .conftest import sign_in

SAMPLES = Path(__file__).parent / "samples" / "recommendations"
REVIEW_DAY = date(2018, 11, 6)


def _reader(app: Flask, client: FlaskClient, make_user: Callable[..., User], language: str) -> None:
    """China's third review, dated, and a signed-in officer whose profile says ``language``."""
    user = make_user(Role.OFFICER)
    with app.app_context():
        import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        review = db.session.scalars(select(Review).where(Review.state_code == "CHN", Review.cycle == 3)).one()
        review.review_date = REVIEW_DAY
        db.session.get(User, user.id).language = language  # type: ignore[union-attr]  # just created
        db.session.commit()
    sign_in(client, user)


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_chinese_reader_sees_un_names_and_chinese_dates(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    _reader(app, client, make_user, "zh")
    china, sweden = display_name("CHN", "zh", "China"), display_name("SWE", "zh", "Sweden")
    assert (china, sweden) == ("中国", "瑞典")

    html = client.get("/states/SWE").get_data(as_text=True)
    assert f"<h1>{sweden} <small>SWE</small></h1>" in html
    # A whole message around the name, as the catalogue words it.
    heading = catalogue("zh").gettext("To %(state)s in %(review)s") % {"state": china, "review": "CHN-3"}
    assert heading != "To 中国 in CHN-3" and heading in _text(html)

    dashboard = _text(client.get("/dashboard").get_data(as_text=True))
    assert long_date(REVIEW_DAY, "zh") == "2018年11月6日" and "2018年11月6日" in dashboard
    assert f"{china} — " in dashboard  # the review card's heading

    listing = client.get("/recommendations").get_data(as_text=True)
    assert f">{sweden}</a>" in listing and ">Sweden</a>" not in listing


def test_a_french_reader_gets_states_in_french_order_and_translated_responses(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    _reader(app, client, make_user, "fr")
    page = client.get("/states").get_data(as_text=True)
    shown = re.findall(r'<a href="/states/[A-Z]{3}">([^<]+)</a>', page)
    with app.app_context():
        codes = list(db.session.scalars(select(State.code)))
    assert len(shown) == len(codes)
    assert shown == sorted(shown, key=name_order)
    germany = display_name("DEU", "fr", "Germany")
    assert germany == "Allemagne" and shown.index("Allemagne") < shown.index(
        display_name("CHN", "fr", "China")
    )

    # The filters read the catalogue's words for responses and statuses, not the stored values.
    french = catalogue("fr")
    listing = client.get("/recommendations").get_data(as_text=True)
    for context, word in (("response", "noted"), ("implementation", "not assessed")):
        assert f">{french.pgettext(context, word)}</option>" in listing
    assert ">noted</option>" not in listing


def test_a_download_keeps_the_data_and_names_states_for_its_reader(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    _reader(app, client, make_user, "zh")
    body = client.get("/recommendations/export.csv?state=SWE").get_data().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    header, data = rows[0], rows[1:]
    assert len(header) == len(SEARCH_COLUMNS) and data
    names = SEARCH_COLUMNS.index("recommending_state_names")
    codes = SEARCH_COLUMNS.index("recommending_states")
    # States by the names the reader knows; the codes and every other value stay the data's own.
    assert all("瑞典" in row[names] and "SWE" in row[codes].split(";") for row in data)
    assert all(row[SEARCH_COLUMNS.index("response")] in {"supported", "noted"} for row in data)
