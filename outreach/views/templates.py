"""Briefing templates: the list, editing one translation, and the editor's live preview."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response

from crm.auth.access import COORDINATOR_ROLES, require_role
from crm.db import db
from crm.i18n import has_catalogue
from outreach.forms import TranslationForm
from outreach.models import BriefingTemplate, TemplateTranslation
from outreach.rendering import (
    FALLBACK_LANGUAGE,
    TemplateError,
    ensure_default_template,
    missing_shipped_languages,
    render_translation,
    sample_context,
    shipped_translation,
)
from outreach.views.blueprint import bp


@bp.route("/templates")
@require_role(*COORDINATOR_ROLES)
def templates() -> str:
    ensure_default_template()
    db.session.commit()
    rows = db.session.scalars(select(BriefingTemplate).order_by(BriefingTemplate.name)).all()
    return render_template(
        "outreach/templates.html", templates=rows, missing={t.id: missing_shipped_languages(t) for t in rows}
    )


@bp.route("/templates/<int:template_id>/<language>", methods=["GET", "POST"])
@require_role(*COORDINATOR_ROLES)
def edit_template(template_id: int, language: str) -> str | Response:
    template = db.session.get(BriefingTemplate, template_id)
    if template is None or not language.isalpha() or len(language) > 8:
        abort(404)
    translation = template.translation(language)
    if translation is None:
        # A new translation starts from the standard text in that language where the app ships one.
        shipped = language in missing_shipped_languages(template)
        source = (
            shipped_translation(language)
            if shipped
            else template.translation("en") or template.translations[0]
        )
        translation = TemplateTranslation(
            language=language, subject=source.subject, body_text=source.body_text, body_html=source.body_html
        )
        is_new = True
    else:
        is_new = False
    form = TranslationForm(obj=translation)
    if form.validate_on_submit():
        form.populate_obj(translation)
        try:
            render_translation(translation, sample_context(language))
        except TemplateError as error:
            flash(_("Not saved: %(error)s", error=error), "error")
        else:
            if is_new:
                template.translations.append(translation)
            db.session.commit()
            flash(_("Saved the %(language)s translation.", language=language))
            return redirect(url_for("outreach.edit_template", template_id=template.id, language=language))
        db.session.rollback()
    return render_template(
        "outreach/template_edit.html",
        template=template,
        language=language,
        form=form,
        has_catalogue=has_catalogue(language),
    )


@bp.post("/templates/preview")
@require_role(*COORDINATOR_ROLES)
def preview_template() -> Response:
    """The live preview: the posted template rendered with invented sample values."""
    language = request.form.get("language", "")
    language = language if language.isalpha() and len(language) <= 8 else FALLBACK_LANGUAGE
    draft = TemplateTranslation(
        language=language,
        subject=request.form.get("subject", ""),
        body_text=request.form.get("body_text", ""),
        body_html=request.form.get("body_html", ""),
    )
    try:
        rendered = render_translation(draft, sample_context(language))
    except TemplateError as error:
        return jsonify(error=str(error))
    return jsonify(subject=rendered.subject, text=rendered.text, html=rendered.html)
