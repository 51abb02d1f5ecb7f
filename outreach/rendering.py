"""Rendering briefings from coordinator-edited templates in a sandbox.

Templates come from people, not developers, so they run in Jinja2's sandbox, bounded in size and time
(``outreach.sandbox``); the HTML part autoescapes, so markup inside a recommendation's text or a
contact's name is shown, never obeyed.
A recipient's context holds only their own name and their own state's recommendations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from jinja2 import StrictUndefined, Template, TemplateSyntaxError
from sqlalchemy import select

from crm import dates
from crm.contacts.models import Contact
from crm.contacts.who_to_brief import BasisItem
from crm.db import db
from crm.models import ImplementationStatus, Response, Review
from crm.state_names import state_name
from outreach.models import BriefingTemplate, TemplateTranslation
from outreach.sandbox import BoundedSandbox, RenderLimit, render_bounded
from outreach.wording import Wording

EMAIL_TEMPLATES = Path(__file__).resolve().parents[1] / "templates" / "emails"
DEFAULT_TEMPLATE_NAME = "Standard briefing"
FALLBACK_LANGUAGE = "en"
SAMPLE_REVIEW_DAY = date(2018, 11, 6)
# The languages templates/emails holds the standard briefing in (briefing.<language>.subject.txt ...).
SHIPPED_LANGUAGES = tuple(
    sorted(path.name.split(".")[1] for path in EMAIL_TEMPLATES.glob("briefing.*.subject.txt"))
)
# The sample recommendation as the UN words it in other languages, so the preview shows ``rec.translation``.
SAMPLE_TRANSLATIONS = {
    "zh": "批准《公民权利和政治权利国际公约》",
    "fr": "Ratifier le Pacte international relatif aux droits civils et politiques",
    "es": "Ratificar el Pacto Internacional de Derechos Civiles y Políticos",
}

# Strict: a misspelt value or a refused attribute stops the preview with a message, instead of
# silently sending every recipient a briefing with a hole in it.
_text_env = BoundedSandbox(autoescape=False, keep_trailing_newline=True, undefined=StrictUndefined)
_html_env = BoundedSandbox(autoescape=True, undefined=StrictUndefined)
# Compiled templates keyed by their source: compiling is far slower than rendering.
_compiled: dict[tuple[bool, str], Template] = {}


class TemplateError(ValueError):
    """A template does not compile or fails to render; the message names the part and the line."""


@dataclass(frozen=True)
class RenderedMessage:
    subject: str
    text: str
    html: str
    language: str


@dataclass(frozen=True)
class Trigger:
    """The deadline or visit that made a campaign due (``kind`` as in ``CAMPAIGN_DEADLINES``)."""

    kind: str
    on: date


def _syntax_error(part: str, line: int | None, error: str) -> str:
    # One whole sentence per part: the part's name takes its article and agreement in each language.
    messages = {
        "subject": _("The subject has an error on line %(line)s: %(error)s.", line=line, error=error),
        "text": _("The plain-text part has an error on line %(line)s: %(error)s.", line=line, error=error),
        "html": _("The HTML part has an error on line %(line)s: %(error)s.", line=line, error=error),
        "template": _("The template has an error on line %(line)s: %(error)s.", line=line, error=error),
    }
    return str(messages.get(part, messages["template"]))


def _limit_error(part: str, limit: RenderLimit) -> str:
    messages = {
        "subject": _("The subject is too long or too slow to render: %(limit)s.", limit=limit),
        "text": _("The plain-text part is too long or too slow to render: %(limit)s.", limit=limit),
        "html": _("The HTML part is too long or too slow to render: %(limit)s.", limit=limit),
        "template": _("The template is too long or too slow to render: %(limit)s.", limit=limit),
    }
    return str(messages.get(part, messages["template"]))


def _render_error(part: str, error: Exception) -> str:
    messages = {
        "subject": _("The subject could not be rendered: %(error)s.", error=error),
        "text": _("The plain-text part could not be rendered: %(error)s.", error=error),
        "html": _("The HTML part could not be rendered: %(error)s.", error=error),
        "template": _("The template could not be rendered: %(error)s.", error=error),
    }
    return str(messages.get(part, messages["template"]))


def compile_template(source: str, *, html: bool, part: str = "template") -> Template:
    """``source`` compiled once; ``part`` ("subject", "text", "html") names it in an error message."""
    key = (html, source)
    template = _compiled.get(key)
    if template is None:
        env = _html_env if html else _text_env
        try:
            template = env.from_string(source)
        except TemplateSyntaxError as error:
            raise TemplateError(_syntax_error(part, error.lineno, error.message or "")) from None
        _compiled[key] = template
    return template


def _render(source: str, context: dict[str, Any], *, html: bool, part: str) -> str:
    try:
        return render_bounded(compile_template(source, html=html, part=part), context)
    except TemplateError:
        raise
    except RenderLimit as limit:
        raise TemplateError(_limit_error(part, limit)) from None
    except Exception as error:  # the sandbox and user templates raise many kinds: report, never crash
        raise TemplateError(_render_error(part, error)) from None


def render_translation(translation: TemplateTranslation, context: dict[str, Any]) -> RenderedMessage:
    subject = _render(translation.subject, context, html=False, part="subject")
    return RenderedMessage(
        subject=" ".join(subject.split()),
        text=_render(translation.body_text, context, html=False, part="text"),
        html=_render(translation.body_html, context, html=True, part="html"),
        language=translation.language,
    )


def pick_translation(template: BriefingTemplate, languages: list[str]) -> TemplateTranslation:
    """The first of the contact's languages the template is translated into, else English."""
    for tag in [*languages, FALLBACK_LANGUAGE]:
        found = template.translation(tag.split("-")[0].lower())
        if found is not None:
            return found
    if not template.translations:
        raise TemplateError(_("The template %(name)s has no translation yet.", name=repr(template.name)))
    return template.translations[0]


def recommendation_rows(items: list[BasisItem], wording: Wording) -> list[dict[str, str]]:
    return [
        {
            "number": item.number or wording.unnumbered(),
            "text": item.text,
            "translation": item.translations.get(wording.language, ""),
            "response": wording.response(item.response),
            "implementation": wording.implementation(item.status),
        }
        for item in items
    ]


def briefing_context(
    contact: Contact,
    review: Review,
    items: list[BasisItem],
    *,
    asks: str,
    trigger: Trigger | None,
    unsubscribe_url: str,
    language: str = FALLBACK_LANGUAGE,
    signature: list[str] | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """What a template may say to one contact, every fixed word in ``language``.

    ``state`` and ``review.state`` print as the state's name in that language and offer its forms
    (``state.of``: "de la Suisse"); ``review.past`` and ``trigger.past`` let the wording know whether the
    review and the deadline are still to come; ``signature`` is the lines of the block that closes it.
    """
    wording = Wording(language)
    day = today or dates.today()
    organisation = contact.organisation
    state = organisation.state
    return {
        "language": language,
        "salutation": wording.salutation(contact.form_of_address, contact.family_name, contact.full_name),
        "contact": {"name": contact.full_name, "title": contact.title, "organisation": organisation.name},
        "state": state_name(state.code, language, state.name)
        if state
        else state_name("", language, organisation.name),
        "review": {
            "code": review.code,
            "cycle": review.cycle,
            "state": state_name(review.state_code, language, review.state.name),
            "date": wording.date(review.review_date) if review.review_date else "",
            "past": review.review_date is not None and review.review_date < day,
        },
        "recommendations": recommendation_rows(items, wording),
        "translated": any(language in item.translations for item in items),
        "asks": [line.strip() for line in asks.splitlines() if line.strip()],
        "trigger": _trigger(trigger, wording, day),
        "signature": {"lines": signature} if signature else None,
        "unsubscribe_url": unsubscribe_url,
    }


def _trigger(trigger: Trigger | None, wording: Wording, today: date) -> dict[str, Any] | None:
    if trigger is None:
        return None
    return {
        "label": wording.label(trigger.kind),
        "stage": wording.stage(trigger.kind),
        "date": wording.date(trigger.on),
        "past": trigger.on < today,
        "ahead": wording.ahead_of(trigger.kind, trigger.on),
    }


def sample_context(language: str = FALLBACK_LANGUAGE) -> dict[str, Any]:
    """Invented values for the template editor's live preview (no real contact's data), in ``language``."""
    wording = Wording(language)
    today = dates.today()
    return {
        "language": language,
        "salutation": wording.salutation("Ms", "Example", "Alex Example"),
        "contact": {"name": "Alex Example", "title": "Counsellor", "organisation": "Permanent Mission"},
        "state": state_name("CHE", language, "Switzerland"),
        "review": {
            "code": "CHN-3",
            "cycle": 3,
            "state": state_name("CHN", language, "China"),
            "date": wording.date(SAMPLE_REVIEW_DAY),
            "past": today > SAMPLE_REVIEW_DAY,
        },
        "recommendations": [
            {
                "number": "28.1",
                "text": "Ratify the International Covenant on Civil and Political Rights",
                "translation": SAMPLE_TRANSLATIONS.get(language, ""),
                "response": wording.response(Response.SUPPORTED),
                "implementation": wording.implementation(ImplementationStatus.NO_PROGRESS),
            }
        ],
        "translated": language in SAMPLE_TRANSLATIONS,
        "asks": ["Ask a follow-up question at the pre-session"],
        "trigger": _trigger(Trigger("midterm_report", today + timedelta(days=180)), wording, today),
        "signature": {"lines": ["Anna Keller", "Example Rights Watch", "Rue de l'Exemple 1, 1201 Genève"]},
        "unsubscribe_url": "https://example.org/unsubscribe",
    }


def ensure_default_template() -> BriefingTemplate:
    """The standard briefing, created from ``templates/emails`` the first time it is needed."""
    template = db.session.scalar(
        select(BriefingTemplate).where(BriefingTemplate.name == DEFAULT_TEMPLATE_NAME)
    )
    if template is not None:
        return template
    template = BriefingTemplate(name=DEFAULT_TEMPLATE_NAME)
    for language in SHIPPED_LANGUAGES:
        template.translations.append(shipped_translation(language))
    db.session.add(template)
    db.session.flush()
    return template


def shipped_translation(language: str) -> TemplateTranslation:
    """The standard briefing's text in ``language``, as ``templates/emails`` ships it (not stored)."""
    return TemplateTranslation(
        language=language,
        subject=(EMAIL_TEMPLATES / f"briefing.{language}.subject.txt").read_text(encoding="utf-8").strip(),
        body_text=(EMAIL_TEMPLATES / f"briefing.{language}.txt").read_text(encoding="utf-8"),
        body_html=(EMAIL_TEMPLATES / f"briefing.{language}.html").read_text(encoding="utf-8"),
    )


def missing_shipped_languages(template: BriefingTemplate) -> list[str]:
    """The languages the standard briefing ships in that ``template`` (the standard one) does not have yet:
    a database made before they shipped has English alone."""
    if template.name != DEFAULT_TEMPLATE_NAME:
        return []
    held = {translation.language for translation in template.translations}
    return [language for language in SHIPPED_LANGUAGES if language not in held]
