"""Asks: the 2018 HRIC appeal (seed 003) loads as asks, and each lobbied government's uptake is measured."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from crm.asks.models import Ask, AskTarget
from crm.asks.services import asks_for_review, uptake
from crm.db import db
from crm.reviews.services import get_review
from upr.cli import cli


def test_the_2018_appeal_loads_once_with_resolved_governments(app: Flask, runner: FlaskCliRunner) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    with app.app_context():
        assert db.session.scalar(select(func.count(Ask.id))) == 12
        xinjiang = db.session.scalar(select(Ask).where(Ask.theme == "Xinjiang"))
        assert xinjiang is not None
        codes = {target.state_code for target in xinjiang.targets}
        # "Czech Republic", "UK" and "US" as printed resolve; "EU" is kept as text, never made a state.
        assert {"CZE", "GBR", "USA", "AUS", "PAK"} <= codes
        assert xinjiang.other_addressees == "EU"
        assert len(codes) == 11
        assert (
            db.session.scalar(select(func.count()).select_from(AskTarget).where(AskTarget.state_code == "EU"))
            == 0
        )


def test_uptake_finds_the_recommendation_a_lobbied_government_made(
    app: Flask, runner: FlaskCliRunner
) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    with app.app_context():
        results = {
            (ask.theme, result.target.state_code): result
            for ask in asks_for_review(get_review("CHN-3").id)
            for result in uptake(ask)
        }
    # Australia's 28.199 repeats the appeal's ask on legal reforms almost word for word.
    australia = results[("Legal reforms (related to FOE, FOA, and Religion)", "AUS")]
    assert australia.taken_up
    assert australia.recommendation is not None and australia.recommendation.number == "28.199"
    # Pakistan was sent the Xinjiang ask and made no such recommendation in the annex.
    pakistan = results[("Xinjiang", "PAK")]
    assert not pakistan.taken_up and pakistan.recommendation is None


def test_asks_pages(app: Flask, runner: FlaskCliRunner, admin_client: FlaskClient) -> None:
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    with app.app_context():
        review_id = get_review("CHN-3").id
    page = admin_client.get(f"/reviews/{review_id}/asks").get_data(as_text=True)
    assert "Human Rights in China" in page and "taken up" in page and "Also sent to: EU" in page
    state_page = admin_client.get("/states/AUS").get_data(as_text=True)
    assert "Asks sent to this government" in state_page
    assert admin_client.get("/reviews/999999/asks").status_code == 404
