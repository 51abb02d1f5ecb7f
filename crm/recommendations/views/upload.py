"""Importing a file through the web: upload, preview (a dry run), then the import itself."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from werkzeug.utils import secure_filename
from werkzeug.wrappers import Response

from crm.auth.access import EDITOR_ROLES, require_role
from crm.db import db
from crm.jobs import runner
from crm.recommendations.forms import MAX_UPLOAD_MB, ConfirmImportForm, ImportForm
from crm.recommendations.uploads import (
    BACKGROUND_ROWS,
    ImportRequest,
    UploadError,
    store_upload,
    two_pass_progress,
    user_folder,
)
from crm.recommendations.views.blueprint import bp
from crm.reviews.services import find_review


def _refused(form: ImportForm, errors: list[str]) -> tuple[str, int]:
    return render_template("recommendations/import.html", form=form, errors=errors), 400


def form_errors(form: FlaskForm) -> list[str]:
    """Each field's first error, named by its label."""
    return [f"{form[name].label.text}: {messages[0]}" for name, messages in form.errors.items()]


def stored_upload(form: FlaskForm) -> tuple[Path, str]:
    """Keep the form's ``file`` in the person's upload folder: where, and the name they gave it.

    Raises ``UploadError`` when the file is too large.
    """
    folder = user_folder(current_app.instance_path, current_user.id)
    file_name = secure_filename(form.file.data.filename or "") or "upload.csv"
    return folder / store_upload(form.file.data, folder, MAX_UPLOAD_MB << 20), file_name


@bp.route("/recommendations/import", methods=["GET", "POST"])
@require_role(*EDITOR_ROLES)
def import_file() -> str | tuple[str, int]:
    """Step 1: store the upload and show what the import would do, writing nothing."""
    form = ImportForm()
    if not form.validate_on_submit():
        if form.errors:
            return _refused(form, form_errors(form))
        return render_template("recommendations/import.html", form=form, errors=[])
    try:
        path, file_name = stored_upload(form)
    except UploadError as error:
        return _refused(form, [str(error)])
    wanted = ImportRequest(path, file_name, form.review.data, form.file_format.data, form.mapping.data or "")
    try:
        report = wanted.run(dry_run=True)
    except UploadError as error:
        wanted.path.unlink(missing_ok=True)
        return _refused(form, [str(error)])
    finally:
        db.session.rollback()
    confirm = ConfirmImportForm(
        formdata=None,
        review=wanted.review.strip().upper(),
        file_format=wanted.file_format,
        mapping=wanted.mapping_text,
        upload=path.name,
        file_name=file_name,
        rows=report.rows,
    )
    return render_template(
        "recommendations/import_preview.html", report=report, confirm=confirm, background_rows=BACKGROUND_ROWS
    )


@bp.route("/recommendations/import/confirm", methods=["POST"])
@require_role(*EDITOR_ROLES)
def confirm_import() -> str | tuple[str, int] | Response:
    """Step 2: import the stored file, in the background when it is large."""
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        return _refused(
            ImportForm(formdata=None), [_("The import could not be confirmed; please upload the file again.")]
        )
    wanted = ImportRequest(
        user_folder(current_app.instance_path, current_user.id) / form.upload.data,
        form.file_name.data or form.upload.data,
        form.review.data,
        form.file_format.data,
        form.mapping.data or "",
    )
    skip_invalid = bool(form.skip_invalid.data)
    rows = form.rows.data or 0
    if rows > BACKGROUND_ROWS:
        return _start_in_background(wanted, skip_invalid, rows)
    try:
        report = wanted.write(skip_invalid=skip_invalid)
    except UploadError as error:
        db.session.rollback()
        return _refused(ImportForm(formdata=None, review=wanted.review), [str(error)])
    db.session.commit()
    wanted.path.unlink(missing_ok=True)
    review = find_review(report.review_code) if report.review_code else None
    return render_template("recommendations/import_result.html", report=report, review=review)


def _start_in_background(wanted: ImportRequest, skip_invalid: bool, rows: int) -> Response:
    job = runner.new_job(
        "recommendation_import",
        _("Import of %(file)s into %(review)s", file=wanted.file_name, review=wanted.review.upper())
        if wanted.review.strip()
        else _("Import of %(file)s into the reviews it names", file=wanted.file_name),
        current_user,
    )
    db.session.commit()

    def work(progress: runner.Progress) -> runner.JobResult:
        try:
            report = wanted.write(
                skip_invalid=skip_invalid,
                progress=two_pass_progress(progress, rows),
            )
        finally:
            wanted.path.unlink(missing_ok=True)
        into = report.review_code or ", ".join(report.reviews)
        return runner.JobResult(
            _(
                "%(file)s imported into %(reviews)s: %(summary)s.",
                file=wanted.file_name,
                reviews=into,
                summary=report.summary,
            )
        )

    runner.start(job.id, work)
    return redirect(url_for("jobs.job", job_id=job.id))
