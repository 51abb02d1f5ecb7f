"""Assessing recommendations, their history and evidence, and exports that run in the runner."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from crm.assessments.factsheet import FACTSHEET_WRITERS, write_factsheet
from crm.assessments.forms import AssessmentForm, BulkAssessmentForm, ExportForm, FactsheetForm
from crm.assessments.matrix import MATRIX_WRITERS, write_matrix
from crm.assessments.models import EvidenceItem
from crm.assessments.services import (
    MAX_UPLOAD_BYTES,
    AccessDenied,
    AssessmentError,
    EvidenceInput,
    Upload,
    bulk_assess,
    can_edit,
    check_access,
    discard_files,
    history,
    latest_assessments,
    record_assessment,
    review_recommendations,
)
from crm.auth.models import User
from crm.db import db
from crm.jobs import runner
from crm.models import Recommendation, Review
from crm.reviews.services import ReviewNotFound, get_review

bp = Blueprint("assessments", __name__)


def evidence_dir() -> Path:
    return Path(current_app.instance_path) / "evidence"


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _refused(error: AccessDenied) -> tuple[str, int]:
    return render_template("error.html", code=403, message=str(error)), 403


def _review_or_404(code: str) -> Review:
    try:
        return get_review(code)
    except (ValueError, ReviewNotFound):
        abort(404)


@bp.route("/assessments/reviews/<code>")
def review(code: str) -> str | tuple[str, int]:
    found = _review_or_404(code)
    try:
        check_access(_user(), found, edit=False)
    except AccessDenied as error:
        return _refused(error)
    recommendations = review_recommendations(found.id)
    factsheet_form = FactsheetForm()
    factsheet_form.theme.choices = sorted({t.name for r in recommendations for t in r.themes}, key=str.lower)
    return render_template(
        "assessments/review.html",
        review=found,
        recommendations=recommendations,
        latest=latest_assessments(found.id),
        bulk_form=BulkAssessmentForm(),
        export_form=ExportForm(),
        factsheet_form=factsheet_form,
        editable=can_edit(_user(), found),
    )


@bp.route("/assessments/recommendations/<int:rec_id>", methods=["GET", "POST"])
def recommendation(rec_id: int) -> str | tuple[str, int] | Response:
    rec = db.session.get(Recommendation, rec_id)
    if rec is None:
        abort(404)
    try:
        check_access(_user(), rec.review, edit=request.method == "POST")
    except AccessDenied as error:
        return _refused(error)
    form = AssessmentForm()
    if form.validate_on_submit():
        try:
            assessment = record_assessment(
                rec,
                status=form.status.data or "",
                assessed_on=form.assessed_on.data,
                text=form.text.data or "",
                author=_user(),
                evidence=_evidence_from(form),
                upload_dir=evidence_dir(),
            )
        except AssessmentError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            try:
                db.session.commit()
            except SQLAlchemyError:
                discard_files(assessment, evidence_dir())
                raise
            flash(
                _(
                    "Assessment of %(number)s recorded: %(status)s.",
                    number=rec.label,
                    status=assessment.status.label,
                ),
                "success",
            )
            return redirect(url_for("assessments.recommendation", rec_id=rec.id))
    elif form.errors:
        flash(" ".join(f"{form[name].label.text}: {msgs[0]}" for name, msgs in form.errors.items()), "error")
    return render_template(
        "assessments/recommendation.html",
        rec=rec,
        form=form,
        history=history(rec.id),
        editable=can_edit(_user(), rec.review),
    )


def _evidence_from(form: AssessmentForm) -> list[EvidenceInput]:
    storage = form.evidence_file.data
    url = (form.evidence_url.data or "").strip()
    upload = None
    if storage is not None and storage.filename:
        # Read one byte past the limit: enough to know it is too large without holding more.
        upload = Upload(storage.filename, storage.stream.read(MAX_UPLOAD_BYTES + 1))
    if not url and upload is None:
        return []
    return [
        EvidenceInput(
            source_type=form.evidence_source.data or "",
            dated=form.evidence_date.data,
            description=form.evidence_description.data or "",
            url=url,
            upload=upload,
        )
    ]


@bp.route("/assessments/reviews/<code>/bulk", methods=["POST"])
def bulk(code: str) -> Response | tuple[str, int]:
    found = _review_or_404(code)
    try:
        # Before the form is read: a viewer is refused, not told how to fill it in.
        check_access(_user(), found, edit=True)
    except AccessDenied as error:
        return _refused(error)
    form = BulkAssessmentForm()
    target = redirect(url_for("assessments.review", code=found.code))
    if not form.validate_on_submit():
        flash(_("Choose a status and a date for the selected recommendations."), "error")
        return target
    ids = [int(value) for value in request.form.getlist("ids") if value.isdigit()]
    selected = review_recommendations(found.id, ids) if ids else []
    try:
        made = bulk_assess(
            selected,
            status=form.status.data or "",
            assessed_on=form.assessed_on.data,
            text=form.text.data or "",
            author=_user(),
        )
    except AccessDenied as error:
        db.session.rollback()
        return _refused(error)
    except AssessmentError as error:
        db.session.rollback()
        flash(str(error), "error")
        return target
    db.session.commit()
    flash(
        ngettext(
            "%(num)d recommendation assessed as %(status)s.",
            "%(num)d recommendations assessed as %(status)s.",
            len(made),
            status=made[0].status.label,
        ),
        "success",
    )
    return target


@bp.route("/assessments/evidence/<int:item_id>")
def evidence_file(item_id: int) -> Response | tuple[str, int]:
    item = db.session.get(EvidenceItem, item_id)
    if item is None or item.stored_name is None:
        abort(404)
    try:
        check_access(_user(), item.assessment.recommendation.review, edit=False)
    except AccessDenied as error:
        return _refused(error)
    path = evidence_dir() / item.stored_name
    if not path.is_file():
        abort(404)
    response = send_file(
        path, mimetype=item.content_type, as_attachment=True, download_name=item.file_name or item.stored_name
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _start_export(
    found: Review, kind: str, suffix: str, write: Callable[[Review, Path, runner.Progress], int]
) -> Response:
    titles = {
        "mid_term_matrix": _("Mid-term matrix of %(review)s", review=found.code),
        "factsheet": _("Factsheet of %(review)s", review=found.code),
    }
    job = runner.new_job(kind, titles[kind], _user())
    db.session.commit()
    folder = Path(current_app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"job-{job.id}-{secrets.token_hex(8)}{suffix}"
    review_id, name = found.id, f"{found.code}-{kind.replace('_', '-')}{suffix}"

    def work(progress: runner.Progress) -> runner.JobResult:
        target = db.session.get(Review, review_id)
        if target is None:
            raise LookupError(_("The review was deleted while the export was being prepared."))
        count = write(target, path, progress)
        message = ngettext(
            "%(num)d recommendation written to %(file)s.",
            "%(num)d recommendations written to %(file)s.",
            count,
            file=name,
        )
        return runner.JobResult(message, path, name)

    runner.start(job.id, work)
    return redirect(url_for("jobs.job", job_id=job.id))


@bp.route("/assessments/reviews/<code>/export", methods=["POST"])
def export_matrix(code: str) -> Response | tuple[str, int]:
    found = _review_or_404(code)
    try:
        check_access(_user(), found, edit=False)
    except AccessDenied as error:
        return _refused(error)
    form = ExportForm()
    suffix = f".{form.format.data}"
    if not form.validate_on_submit() or suffix not in MATRIX_WRITERS:
        flash(_("Choose one of the offered formats."), "error")
        return redirect(url_for("assessments.review", code=found.code))
    return _start_export(found, "mid_term_matrix", suffix, write_matrix)


@bp.route("/assessments/reviews/<code>/factsheet", methods=["POST"])
def export_factsheet(code: str) -> Response | tuple[str, int]:
    found = _review_or_404(code)
    try:
        check_access(_user(), found, edit=False)
    except AccessDenied as error:
        return _refused(error)
    form = FactsheetForm()
    suffix, theme = f".{form.format.data}", form.theme.data or ""
    if not form.validate_on_submit() or suffix not in FACTSHEET_WRITERS or not theme:
        flash(_("Choose a theme and one of the offered formats."), "error")
        return redirect(url_for("assessments.review", code=found.code))

    def write(target: Review, path: Path, progress: runner.Progress) -> int:
        return write_factsheet(target, theme, path, progress=progress)

    return _start_export(found, "factsheet", suffix, write)
