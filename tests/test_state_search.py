"""Finding a state by any of its UN names in any of the six languages: the one resolver every importer and
form uses, the recommendation search and filter, the contacts search and the who-to-brief lookup. The names
are read from ``data/un_state_names.csv`` in each test, never written out by hand."""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest
from babel import Locale
from babel.core import get_global
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from crm.db import db
from crm.models import Recommendation, RecommendingState, Review, State
from crm.recommendations.importing import import_recommendations
from crm.recommendations.search import parse_query
from crm.state_names import NAMES_FILE
from crm.states import StateResolver
from tests.contacts_world import build_world
from tests.test_recommendations_search import _numbers, annex  # noqa: F401  # annex: a fixture, used by name

SAMPLES = Path(__file__).parent / "samples" / "recommendations"
LATIN = ("en", "fr", "es")
ARTICLES = {"the", "le", "la", "les", "l'", "el", "los", "las"}
BRACKETS = re.compile(r"^(.+?) \(([^()]+)\)$")


def _un_names() -> dict[str, dict[str, str]]:
    with NAMES_FILE.open(encoding="utf-8", newline="") as handle:
        return {row["alpha3"]: row for row in csv.DictReader(handle)}


def _plain(name: str) -> str:
    """A short name as a person writes it: "Suisse (la)" -> "Suisse"."""
    match = BRACKETS.match(name)
    return match[1] if match else name


def _with_article(name: str) -> str | None:
    """ "Suisse (la)" -> "la Suisse"; None where the brackets hold no article."""
    match = BRACKETS.match(name)
    if match is None or match[2].lower() not in ARTICLES:
        return None
    article = match[2].lower()
    separator = "" if article.endswith("'") else " "
    return f"{article}{separator}{match[1]}"


def _unaccented(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def _resolver(app: Flask) -> StateResolver:
    with app.app_context():
        return StateResolver.from_database()


def test_every_un_name_in_every_language_resolves_to_its_state(app: Flask) -> None:
    resolver = _resolver(app)
    checked = 0
    for code, row in _un_names().items():
        for language in ("en", "fr", "es", "ru", "zh", "ar"):
            for kind in ("short", "formal"):
                written = row[f"{language}_{kind}"]
                if not written:
                    continue  # the one empty cell of the source (Russian short name of GBR)
                ways = {written, _plain(written)}
                if language in LATIN:
                    # As people type them: with the article in front or none, any case, without accents.
                    with_article = _with_article(written)
                    ways |= {w for w in (with_article, _plain(written).upper()) if w}
                    ways |= {_unaccented(w).lower() for w in set(ways)}
                    article, _, rest = written.partition(" ")
                    if kind == "formal" and article in ARTICLES:
                        ways.add(rest)  # "Confédération suisse"
                for way in ways:
                    assert resolver.resolve(way) == code, (way, code)
                    checked += 1
    assert checked > 195 * 12


def test_cldr_s_everyday_names_in_the_six_languages_resolve_too(app: Flask) -> None:
    """ "Corée du Sud", "Rusia", "英国": what people type besides the UN's names (Babel's CLDR data)."""
    resolver = _resolver(app)
    aliases = get_global("territory_aliases")
    for language in ("en", "fr", "es", "ru", "zh", "ar"):
        territories = Locale(language).territories
        for code in _un_names():
            assert resolver.resolve(territories[aliases[code][0]]) == code, (language, code)


def test_a_file_naming_states_in_french_spanish_and_chinese_imports_as_the_english_one(
    app: Flask, tmp_path: Path
) -> None:
    """The sample UPR Info export of China's 2018 review (real recommendations), its State under Review and
    its recommending states rewritten in the UN's French, Spanish and Chinese names, formal and short."""
    names = _un_names()
    resolver = _resolver(app)
    with (SAMPLES / "upr-info-chn3.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rewritten = []
    for index, row in enumerate(rows):
        language = ("fr", "es", "zh")[index % 3]
        kind = ("short", "formal")[index % 2]
        # The rows name their states in English; several are joined by commas ("Czech Republic, Iran...").
        codes = resolver.split_joint(row["Recommending State"])
        written = [
            _with_article(names[c][f"{language}_{kind}"]) or names[c][f"{language}_{kind}"] for c in codes
        ]
        under_review = names[resolver.resolve(row["State under Review"])][f"{language}_short"]
        rewritten.append(
            {**row, "Recommending State": "; ".join(written), "State under Review": under_review}
        )
    translated = tmp_path / "states-in-three-languages.csv"
    with translated.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rewritten)
    assert not {row["Recommending State"] for row in rows} & {row["Recommending State"] for row in rewritten}
    with app.app_context():
        report = import_recommendations(translated)
        db.session.commit()
        assert report.problem_count == 0 and report.added == len(rows)
        review = db.session.scalars(select(Review)).one()
        assert review.code == f"{resolver.resolve(rows[0]['State under Review'])}-{rows[0]['Cycle']}"
        imported = {rec.number: rec.recommending_codes for rec in db.session.scalars(select(Recommendation))}
    assert imported == {row["Paragraph"]: resolver.split_joint(row["Recommending State"]) for row in rows}


@pytest.mark.usefixtures("annex")
def test_the_recommendation_search_and_filter_find_a_state_by_any_of_its_names(
    app: Flask, admin_client: FlaskClient
) -> None:
    with app.app_context():
        # The state that made the most recommendations in the annex, and what it made.
        code, english = db.session.execute(
            select(State.code, State.name)
            .join(RecommendingState, RecommendingState.state_code == State.code)
            .group_by(State.code, State.name)
            .order_by(func.count().desc(), State.code)
        ).first() or ("", "")
        recs = db.session.scalars(select(Recommendation)).all()
        made = {r.number for r in recs if code in r.recommending_codes}
        named = {r.number for r in recs if english.lower() in r.text.lower()}
        word = "torture"
        with_word = {r.number for r in recs if word in r.text.lower()}
    row = _un_names()[code]
    assert made and with_word
    by_english = _numbers(admin_client, f"q={english}")
    assert by_english == made | named
    for written in (
        _plain(row["fr_short"]),
        _unaccented(row["es_formal"]).upper(),
        row["zh_short"],
        row["ru_formal"],
        _with_article(row["fr_short"]) or row["fr_formal"],
    ):
        assert _numbers(admin_client, f"q={written}") == by_english, written
        assert _numbers(admin_client, f"state={written}") == made, written
    assert _numbers(admin_client, f"q={row['zh_short']} {word}") == by_english & with_word
    page = admin_client.get(f"/recommendations?state={row['zh_short']}").get_data(as_text=True)
    assert f'value="{code}" selected' in page


def test_codes_typed_as_words_stay_words(app: Flask) -> None:
    resolver = _resolver(app)
    terms = parse_query("and can are", resolver)
    assert [(t.spellings, t.state) for t in terms] == [(("and",), None), (("can",), None), (("are",), None)]
    names = _un_names()
    terms = parse_query(
        f"{_with_article(names['CHE']['fr_short'])} {names['IRN']['fr_formal']} detention", resolver
    )
    assert [t.state for t in terms] == ["CHE", "IRN", None]


def test_the_contacts_search_finds_the_people_of_a_state_named_in_any_language(
    app: Flask, admin_client: FlaskClient
) -> None:
    with app.app_context():
        world = build_world()
        swedes = {c.full_name for c in (world.asa, world.johan, world.lars, world.maria)}
        others = {world.hidden.full_name}
    row = _un_names()["SWE"]
    for written in (_plain(row["fr_short"]), row["es_formal"], row["zh_short"]):
        page = admin_client.get("/contacts", query_string={"q": written}).get_data(as_text=True)
        listed = {name for name in swedes | others if name in page}
        assert listed == swedes, written


def test_who_to_brief_finds_a_review_by_the_state_s_name(app: Flask, admin_client: FlaskClient) -> None:
    with app.app_context():
        world = build_world()
        number, rec_id = world.rec_che.number, world.rec_che.id
    row = _un_names()["CHN"]
    for written in (f"{row['zh_short']}-3", f"{_plain(row['fr_short'])} 3", f"{row['es_formal']} 3"):
        response = admin_client.get("/who-to-brief", query_string={"review": written, "number": number})
        assert response.status_code == 302, written
        assert response.headers["Location"].endswith(f"/recommendations/{rec_id}/who-to-brief")
    unknown = admin_client.get("/who-to-brief", query_string={"review": "Atlantis 3", "number": number})
    assert unknown.status_code == 200 and "is not a review code" in unknown.get_data(as_text=True)


def test_an_unknown_name_still_gets_suggestions_in_english(app: Flask) -> None:
    resolver = _resolver(app)
    with pytest.raises(LookupError, match="Switzerland"):
        resolver.resolve("Suise")
