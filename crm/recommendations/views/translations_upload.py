"""Importing translations through the web: a UHRI export in another UN language, previewed then confirmed.

The same two steps as importing recommendations (``upload``): the stored file is read once without
writing (every row and what it would match), then again, on confirmation, to store the translations.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user

from crm.auth.access import EDITOR_ROLES, require_role
from crm.db import db
from crm.recommendations.errors import ImportFileError, nothing_imported
from crm.recommendations.forms import ConfirmTranslationsForm, TranslationsForm
from crm.recommendations.translations import TranslationReport, import_translations
from crm.recommendations.uploads import UploadError, user_folder
from crm.recommendations.views.blueprint import bp
from crm.recommendations.views.upload import form_errors, stored_upload

FORM = "recommendations/import_translations.html"
REPORT = "recommendations/import_translations_report.html"


def _refused(form: TranslationsForm, errors: list[str]) -> tuple[str, int]:
    return render_template(FORM, form=form, errors=errors), 400


@bp.route("/recommendations/import/translations", methods=["GET", "POST"])
@require_role(*EDITOR_ROLES)
def import_translations_file() -> str | tuple[str, int]:
    """Step 1: store the upload and show what each row would become, writing nothing."""
    form = TranslationsForm()
    if not form.validate_on_submit():
        if form.errors:
            return _refused(form, form_errors(form))
        return render_template(FORM, form=form, errors=[])
    try:
        path, file_name = stored_upload(form)
    except UploadError as error:
        return _refused(form, [str(error)])
    try:
        report = import_translations(path, form.language.data, dry_run=True, display_name=file_name)
    except ImportFileError as error:
        path.unlink(missing_ok=True)
        return _refused(form, [nothing_imported(error)])
    finally:
        db.session.rollback()
    confirm = ConfirmTranslationsForm(
        formdata=None, upload=path.name, file_name=file_name, language=form.language.data
    )
    return render_template(REPORT, report=report, confirm=confirm, done=False)


@bp.route("/recommendations/import/translations/confirm", methods=["POST"])
@require_role(*EDITOR_ROLES)
def confirm_translations() -> str | tuple[str, int]:
    """Step 2: read the stored file again and store its translations."""
    form = ConfirmTranslationsForm()
    retry = [_("The import could not be confirmed; please upload the file again.")]
    if not form.validate_on_submit():
        return _refused(TranslationsForm(formdata=None), retry)
    path = user_folder(current_app.instance_path, current_user.id) / form.upload.data
    if not path.is_file():
        return _refused(TranslationsForm(formdata=None), retry)
    try:
        report: TranslationReport = import_translations(
            path, form.language.data, display_name=form.file_name.data or form.upload.data
        )
    except ImportFileError as error:
        db.session.rollback()
        return _refused(TranslationsForm(formdata=None), [nothing_imported(error)])
    db.session.commit()
    path.unlink(missing_ok=True)
    return render_template(REPORT, report=report, confirm=None, done=True)
