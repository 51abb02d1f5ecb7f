"""Importing translations through the web: a UHRI export in another UN language, previewed then confirmed.

The same two steps as importing recommendations (``upload``): the stored file is read once without
writing (every row and what it would match), then again, on confirmation, to store the translations.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.utils import secure_filename

from crm.auth.access import EDITOR_ROLES, require_role
from crm.db import db
from crm.recommendations.errors import ImportFileError, nothing_imported
from crm.recommendations.forms import MAX_UPLOAD_MB, ConfirmTranslationsForm, TranslationsForm
from crm.recommendations.translations import TranslationReport, import_translations
from crm.recommendations.uploads import UploadError, store_upload, user_folder
from crm.recommendations.views.blueprint import bp

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
            return _refused(
                form, [f"{form[name].label.text}: {msgs[0]}" for name, msgs in form.errors.items()]
            )
        return render_template(FORM, form=form, errors=[])
    folder = user_folder(current_app.instance_path, current_user.id)
    file_name = secure_filename(form.file.data.filename or "") or "upload.csv"
    try:
        stored = store_upload(form.file.data, folder, MAX_UPLOAD_MB << 20)
    except UploadError as error:
        return _refused(form, [str(error)])
    try:
        report = import_translations(
            folder / stored, form.language.data, dry_run=True, display_name=file_name
        )
    except ImportFileError as error:
        (folder / stored).unlink(missing_ok=True)
        return _refused(form, [nothing_imported(error)])
    finally:
        db.session.rollback()
    confirm = ConfirmTranslationsForm(
        formdata=None, upload=stored, file_name=file_name, language=form.language.data
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
