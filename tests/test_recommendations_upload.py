"""Importing through the web page: preview first (nothing written), then the import, direct or background."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from crm.auth.models import Role, User
from crm.db import db
from crm.models import Recommendation, Review
from crm.recommendations import importing
from crm.recommendations.importing import import_recommendations
from crm.recommendations.uploads import user_folder
from crm.recommendations.views import upload
from upr.cli import cli

from .conftest import sign_in

SAMPLES = Path(__file__).parent / "samples" / "recommendations"


def _upload(client: FlaskClient, name: str, review: str = "CHN-3", **fields: str) -> Any:
    with (SAMPLES / name).open("rb") as handle:
        return client.post(
            "/recommendations/import",
            data={"file": (handle, name), "review": review, "file_format": "auto", **fields},
            content_type="multipart/form-data",
        )


def _confirm_fields(page: str) -> dict[str, str]:
    form = page.split('id="confirm-form"', 1)[1].split("</form>", 1)[0]
    return {
        name: html.unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)
    }


def _counts() -> tuple[int, int]:
    with db.session.begin():
        recs = db.session.scalar(select(func.count(Recommendation.id))) or 0
        reviews = db.session.scalar(select(func.count(Review.id))) or 0
    db.session.remove()
    return recs, reviews


@pytest.fixture
def officer(client: FlaskClient, make_user: Callable[..., User]) -> User:
    user = make_user(Role.OFFICER)
    sign_in(client, user)
    return user


def test_preview_writes_nothing_then_the_import_writes_and_reports_counts(
    app: Flask, client: FlaskClient, officer: User
) -> None:
    form = client.get("/recommendations/import").get_data(as_text=True)
    assert 'enctype="multipart/form-data"' in form and "at most 50 MB" in form
    preview = _upload(client, "upr-info-chn3.csv")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "UPR Info database export · 11 rows for CHN-3" in page
    assert page.count('<tr><td class="num">') == 10  # the first ten rows
    assert "28.338" in page and "CRI" in page and "Human rights defenders" in page
    assert '<td class="num" id="count-added">11</td>' in page
    assert "skipping" not in page
    with app.app_context():
        # The review CHN-3 did not exist: a preview creates nothing, not even the review.
        assert _counts() == (0, 0)
    fields = _confirm_fields(page)
    stored = user_folder(app.instance_path, officer.id) / fields["upload"]
    assert stored.is_file()
    result = client.post("/recommendations/import/confirm", data=fields)
    text = result.get_data(as_text=True)
    assert result.status_code == 200, text
    assert "Imported: 11 added, 0 updated, 0 unchanged, 0 skipped" in text
    with app.app_context():
        assert _counts() == (11, 1)
    assert not stored.exists()
    again = _upload(client, "upr-info-chn3.csv").get_data(as_text=True)
    assert '<td class="num" id="count-unchanged">11</td>' in again


def test_a_column_mapping_from_the_form(app: Flask, client: FlaskClient, officer: User) -> None:
    mapping = (
        "Rec no=number\nRecommendation text=text\nFrom=recommending_states\nGovernment position=response"
    )
    page = _upload(client, "generic-mapped.csv", mapping=mapping).get_data(as_text=True)
    assert '<td class="num" id="count-added">4</td>' in page
    result = client.post("/recommendations/import/confirm", data=_confirm_fields(page))
    assert "Imported: 4 added" in result.get_data(as_text=True)
    refused = _upload(client, "generic-mapped.csv", mapping="From=sender")
    assert refused.status_code == 400 and "&#39;sender&#39; is not a field" in refused.get_data(as_text=True)


def test_problems_are_listed_by_row_and_only_a_skipping_import_writes(
    app: Flask, client: FlaskClient, officer: User
) -> None:
    preview = _upload(client, "bad-unknown-state.csv")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Row 3: Unknown state &#39;Swedden&#39;. Did you mean: Sweden" in page
    assert "Import, skipping the 1 invalid row</button>" in page
    with app.app_context():
        assert _counts() == (0, 0)
    fields = _confirm_fields(page)
    without_skip = {key: value for key, value in fields.items() if key != "skip_invalid"}
    refused = client.post("/recommendations/import/confirm", data=without_skip)
    assert refused.status_code == 400
    refusal = "1 problem found, so nothing was imported; fix it or skip the invalid row."
    assert refusal in refused.get_data(as_text=True)
    with app.app_context():
        assert _counts() == (0, 0)
    done = client.post("/recommendations/import/confirm", data=fields).get_data(as_text=True)
    assert "Imported: 1 added, 0 updated, 0 unchanged, 1 skipped" in done
    assert "Row 3: Unknown state" in done
    with app.app_context():
        assert _counts() == (1, 1)


@pytest.mark.parametrize(
    "name", ["bad-empty.csv", "bad-binary.csv", "bad-header.csv", "bad-zip.csv", "bad-truncated.xlsx"]
)
def test_an_unusable_file_gets_the_same_message_as_the_cli(
    app: Flask, client: FlaskClient, runner: FlaskCliRunner, officer: User, name: str
) -> None:
    cli_result = runner.invoke(cli, ["import", "recommendations", str(SAMPLES / name), "--review", "CHN-3"])
    message = cli_result.output.strip().removeprefix("Error: ")
    response = _upload(client, name)
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    with app.app_context():
        assert _counts() == (0, 0)
    assert not any(user_folder(app.instance_path, officer.id).iterdir())


def test_missing_file_or_review_and_a_stale_confirmation(
    app: Flask, client: FlaskClient, officer: User
) -> None:
    no_file = client.post("/recommendations/import", data={"review": "CHN-3", "file_format": "auto"})
    assert no_file.status_code == 400 and "Choose the file to import" in no_file.get_data(as_text=True)
    bad_review = _upload(client, "upr-info-chn3.csv", review="China")
    assert bad_review.status_code == 400 and "Write the review as CHN-4" in bad_review.get_data(as_text=True)
    unknown_state = _upload(client, "upr-info-chn3.csv", review="XXX-3")
    assert unknown_state.status_code == 400 and "XXX is not the alpha-3 code" in unknown_state.get_data(
        as_text=True
    )
    fields = _confirm_fields(_upload(client, "upr-info-chn3.csv").get_data(as_text=True))
    assert client.post("/recommendations/import/confirm", data=fields).status_code == 200
    stale = client.post("/recommendations/import/confirm", data=fields)
    assert stale.status_code == 400 and "no longer here" in stale.get_data(as_text=True)
    forged = client.post("/recommendations/import/confirm", data={**fields, "upload": "../../etc/passwd"})
    assert forged.status_code == 400


def test_a_viewer_may_not_import(client: FlaskClient, make_user: Callable[..., User]) -> None:
    sign_in(client, make_user(Role.VIEWER))
    assert client.get("/recommendations/import").status_code == 403
    assert _upload(client, "upr-info-chn3.csv").status_code == 403
    assert client.post("/recommendations/import/confirm", data={}).status_code == 403


def test_a_large_file_imports_in_the_background_with_progress(
    app: Flask, client: FlaskClient, officer: User, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.setattr(upload, "BACKGROUND_ROWS", 5)
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 1)
    fields = _confirm_fields(_upload(client, "upr-info-chn3.csv").get_data(as_text=True))
    started = client.post("/recommendations/import/confirm", data=fields)
    assert started.status_code == 302
    job_url = started.headers["Location"]
    assert "<progress" in client.get(job_url).get_data(as_text=True)
    deadline = time.monotonic() + 30
    status: dict[str, Any] = {}
    while time.monotonic() < deadline:
        status = client.get(f"{job_url}/status").get_json()
        if status["status"] in {"done", "failed"}:
            break
        time.sleep(0.1)
    assert status["status"] == "done", status
    assert (
        status["message"]
        == "upr-info-chn3.csv imported into CHN-3: 11 added, 0 updated, 0 unchanged, 0 skipped."
    )
    # Both passes (check, then write) count towards one bar, on every backend.
    assert status["total"] == 22 and status["done"] == 22 and status["percent"] == 100
    with app.app_context():
        assert _counts() == (11, 1)


def test_a_person_sets_the_action_category_and_imports_keep_it(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        db.session.commit()
        rec_id = db.session.scalar(select(Recommendation.id).where(Recommendation.number == "28.336"))
    sign_in(client, make_user(Role.VIEWER))
    assert "Change category" not in client.get("/recommendations").get_data(as_text=True)
    assert client.post(f"/recommendations/{rec_id}/category", data={"category": "2"}).status_code == 403
    client.post("/sign-out")
    sign_in(client, make_user(Role.OFFICER))
    assert "Change category" in client.get("/recommendations").get_data(as_text=True)
    saved = client.post(f"/recommendations/{rec_id}/category", data={"category": "2", "next": "/states/USA"})
    assert saved.headers["Location"] == f"/states/USA#rec-{rec_id}"
    assert "2 Continuing action (set by you)" in client.get("/states/USA").get_data(as_text=True)

    def stored() -> tuple[int | None, bool]:
        with app.app_context():
            rec = db.session.get_one(Recommendation, rec_id)
            return rec.action_category, rec.action_category_set_by_person

    assert stored() == (2, True)
    with app.app_context():
        report = import_recommendations(SAMPLES / "upr-info-chn3.csv", "CHN-3")
        db.session.commit()
        assert report.summary == "0 added, 0 updated, 11 unchanged, 0 skipped"
    assert stored() == (2, True)  # the file says 5; the person's choice stands
    outside = client.post(
        f"/recommendations/{rec_id}/category", data={"category": "9", "next": "//evil.example"}
    )
    assert outside.headers["Location"] == "/recommendations"
    assert stored() == (2, True)
    client.post(f"/recommendations/{rec_id}/category", data={"category": "auto"})
    assert stored() == (5, False)  # "Cease ... release ...": specific action, from the wording
    assert client.post("/recommendations/999999/category", data={"category": "3"}).status_code == 404
