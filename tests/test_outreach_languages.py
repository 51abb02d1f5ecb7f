"""Outreach in the reader's language: briefings in Chinese and Spanish with every fixed word from the
catalogues, reminders in the officer's language, and the outreach pages' dates and state names."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from crm.auth.models import Role, User
from crm.contacts.models import Contact
from crm.db import db
from crm.models import Response
from crm.state_names import display_name
from outreach.sweep import run_sweep
from outreach.wording import Wording
from tests.conftest import sign_in
from tests.outreach_support import MONDAY, build_world
from tests.smtp_support import SmtpServer, smtp_fixture  # noqa: F401 - the fixture
from upr_calendar.models import Event, EventKind

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
             "October", "November", "December")  # fmt: skip
# The English fixed words of a briefing: responses, implementation, stages, the salutation.
ENGLISH_WORDS = ("supported", "noted", "not assessed", "no progress", "pre-session", "Dear", "Ahead of",
                 "Response", "Implementation", "France", "Sweden")  # fmt: skip


def _briefing_to(
    app: Flask, smtp: SmtpServer, language: str, prepare: Callable[[], None] | None = None
) -> tuple[str, str, str]:
    """Camille (France's mission) reads ``language``: her briefing as the SMTP server received it."""
    with app.app_context():
        world = build_world()
        if prepare is not None:
            prepare()
        camille = db.session.scalar(select(Contact).where(Contact.email == world.camille))
        assert camille is not None
        camille.languages, camille.form_of_address, camille.family_name = language, "Ms", "Lefèvre"
        db.session.commit()
        run_sweep(smtp.settings, MONDAY)
    [received] = smtp.handler.to(world.camille)
    return str(received.message["Subject"]), received.part("plain"), received.part("html")


def test_a_spanish_briefing_has_no_english_fixed_word(app: Flask, smtp: SmtpServer) -> None:
    subject, text, html = _briefing_to(app, smtp, "es")
    assert subject == "EPU de China (CHN-3): las 2 recomendaciones formuladas por Francia"
    assert text.startswith("Estimada Sra. Lefèvre:\n")
    assert "Francia formuló 2 recomendaciones en el marco del Examen Periódico Universal de China" in text
    assert (
        text.count("Respuesta: aceptada.") == 2
        and "Aplicación (según nuestra evaluación): no evaluada" in text
    )
    assert "Lo que solicitamos a Francia:" in text
    assert '<html lang="es">' in html and "aceptada" in html
    for part in (subject, text):
        words = part.replace("Protect <script>", "").replace("Abolish the death penalty (France alone)", "")
        words = re.sub(r"https?://\S+", "", words)
        for english in (*ENGLISH_WORDS, *MONTHS_EN):
            assert english not in words, (english, part)


def test_a_chinese_briefing_is_a_formal_chinese_letter(app: Flask, smtp: SmtpServer) -> None:
    subject, text, html = _briefing_to(app, smtp, "zh")
    china, france = display_name("CHN", "zh", "China"), display_name("FRA", "zh", "France")
    assert (china, france) == ("中国", "法国")
    assert subject == f"{china}普遍定期审议（CHN-3）：{france}提出的2项建议"
    assert text.startswith("尊敬的Lefèvre女士：\n")
    assert f"{france}在对{china}的普遍定期审议中提出了2项建议（CHN-3）" in text
    assert text.count("答复：支持。落实情况（我方评估）：未评估。") == 2
    assert "此致\n敬礼！" in text and f"我们对{france}的请求：" in text
    assert '<html lang="zh-Hans">' in html
    recommendation_texts = ("Abolish the death penalty (France alone)", "Protect <script>alert('x')</script>")
    for part in (subject, text):
        words = re.sub(r"https?://\S+", "", part)
        for quoted in recommendation_texts:  # recommendations stay in the language they were made in
            words = words.replace(quoted, "")
        for english in (*ENGLISH_WORDS, *MONTHS_EN, "China"):
            assert english not in words, (english, part)


def test_chinese_and_spanish_fixed_words_come_from_the_catalogues() -> None:
    chinese, spanish = Wording("zh"), Wording("es")
    day = MONDAY.date()
    assert chinese.ahead_of("pre_session", day) == "在2026年11月23日会前会之前"
    assert spanish.ahead_of("pre_session", day) == "Con miras a la presesión del 23 de noviembre de 2026"
    assert (chinese.response(Response.NOTED), spanish.response(Response.NOTED)) == (
        "注意到",
        "tomada en cuenta",
    )
    assert spanish.salutation("Excellency", "", "Zoë Favre") == "Excelencia:"


def test_reminders_are_written_in_each_officer_s_language(
    app: Flask, smtp: SmtpServer, make_user: Callable[..., User]
) -> None:
    chinese = make_user(Role.OFFICER, email="wang@example.org")
    spanish = make_user(Role.OFFICER, email="lucia@example.org")
    english = make_user(Role.OFFICER, email="anna@example.org")
    tuesday = MONDAY + timedelta(days=1)
    with app.app_context():
        for user, language in ((chinese, "zh"), (spanish, "es"), (english, None)):
            db.session.get_one(User, user.id).language = language
            db.session.add(Event(kind=EventKind.MEETING, title=f"Call {user.email}", starts_at=tuesday,
                                 ends_at=tuesday + timedelta(hours=1), owner_id=user.id))  # fmt: skip
        db.session.commit()
        run_sweep(smtp.settings, MONDAY)
    [zh] = smtp.handler.to(chinese.email)
    [es] = smtp.handler.to(spanish.email)
    [en] = smtp.handler.to(english.email)
    assert str(zh.message["Subject"]).startswith("提醒：") and "2026年11月24日" in str(zh.message["Subject"])
    assert "还有 1 天" in zh.part("plain") and "Reminder" not in zh.part("plain")
    assert str(es.message["Subject"]).startswith("Recordatorio: ")
    assert str(es.message["Subject"]).endswith(" el 24 de noviembre de 2026")
    assert "dentro de 1 día" in es.part("plain") and "Hola, " in es.part("plain")
    assert str(en.message["Subject"]).endswith(" on 24 November 2026")
    assert "in 1 day" in en.part("plain")


def test_a_chinese_coordinator_sees_the_campaign_in_chinese(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        world = build_world()
    coordinator = make_user(Role.COORDINATOR, email="coordinator@example.org")
    with app.app_context():
        db.session.get_one(User, coordinator.id).language = "zh"
        db.session.commit()
    sign_in(client, coordinator)
    page = client.get(f"/outreach/campaigns/{world.campaign_id}").get_data(as_text=True)
    assert "审议 CHN-3（中国）· 模板“Standard briefing”" in page
    assert "状态 <span" in page and ">已批准</span>" in page
    assert "2026年11月23日" in page  # the fixed send time, in Chinese
    listing = client.get("/outreach/campaigns").get_data(as_text=True)
    assert "<th>活动</th>" in listing and "已批准" in listing and "approved<" not in listing


FRENCH_VERSION = "Abolir la peine de mort (la France seule)"


def _translate_the_death_penalty_one() -> None:
    """A UHRI export in French gave the UN's French version of one of France's two recommendations."""
    from crm.models import Recommendation
    from crm.recommendations.models import RecommendationTranslation

    recommendation = db.session.scalar(
        select(Recommendation).where(Recommendation.text == "Abolish the death penalty (France alone)")
    )
    assert recommendation is not None
    db.session.add(
        RecommendationTranslation(recommendation_id=recommendation.id, language="fr", text=FRENCH_VERSION)
    )
    db.session.add(
        RecommendationTranslation(recommendation_id=recommendation.id, language="es", text="Abolir la pena")
    )
    db.session.commit()


def test_a_french_briefing_gives_the_un_s_french_version_beside_the_original(
    app: Flask, smtp: SmtpServer
) -> None:
    _subject, text, html = _briefing_to(app, smtp, "fr", _translate_the_death_penalty_one)
    assert "Abolish the death penalty (France alone)\n    Version française : " + FRENCH_VERSION in text
    assert text.count("Version française") == 1  # the other recommendation has none: no empty line
    assert "suivie de leur version française de l'ONU lorsqu'elle existe" in text
    assert "Abolir la pena" not in text  # only the reader's language
    assert f'<em lang="fr">{FRENCH_VERSION}</em>' in html


def test_without_a_translation_the_briefing_says_nothing_of_one(app: Flask, smtp: SmtpServer) -> None:
    _subject, text, html = _briefing_to(app, smtp, "fr")
    assert "Version française" not in text and "version française de l'ONU" not in text
    assert "<em" not in html
