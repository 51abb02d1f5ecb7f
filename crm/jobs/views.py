"""A job's page, the status it polls and the download of its result (only for whoever started it)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, render_template, send_file
from flask_login import current_user
from werkzeug.wrappers import Response

from crm.jobs import runner
from crm.jobs.models import BackgroundJob, JobStatus

bp = Blueprint("jobs", __name__)


def _job_or_404(job_id: int) -> BackgroundJob:
    job = runner.job_for(job_id, current_user)
    if job is None:
        abort(404)
    return job


@bp.route("/jobs/<int:job_id>")
def job(job_id: int) -> str:
    return render_template("jobs/job.html", job=_job_or_404(job_id))


@bp.route("/jobs/<int:job_id>/status")
def job_status(job_id: int) -> dict[str, object]:
    return runner.status_json(_job_or_404(job_id))


@bp.route("/jobs/<int:job_id>/download")
def job_download(job_id: int) -> Response:
    found = _job_or_404(job_id)
    if found.status is not JobStatus.DONE or not found.result_path or not Path(found.result_path).is_file():
        abort(404)
    return send_file(found.result_path, as_attachment=True, download_name=found.result_name)
