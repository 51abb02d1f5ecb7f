"""The assessment pages, evidence downloads, background exports and the dashboard charts over HTTP."""

from __future__ import annotations

import io
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from openpyxl import load_workbook
from sqlalchemy import func, select

from crm.assessments.models import Assessment, EvidenceItem
from crm.auth.models import Role, User
from crm.db import db
from crm.models import ImplementationStatus, Recommendation
from crm.teams.models import Team
from tests.assessments_data import DETENTIONS, Seeded, seed_review
from tests.conftest import sign_in
from upr.cli import cli

PDF = b"%PDF-1.4\n%%EOF\n"


def _seed(app: Flask, team: Team | None = None) -> Seeded:
    with app.app_context():
        return seed_review(team=team)


def _count(app: Flask, model: type[Any]) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def _form(**overrides: Any) -> dict[str, Any]:
    data = {
        "status": "partial",
        "assessed_on": "2026-01-05",
        "text": "Some provinces issued rules.",
        "evidence_source": "official_regulation",
        "evidence_date": "2025-12-01",
        "evidence_description": "Provincial rules",
        "evidence_url": "",
    }
    data.update(overrides)
    return data


def test_assess_with_a_link_and_a_document_then_see_the_history(
    app: Flask, admin_client: FlaskClient
) -> None:
    seeded = _seed(app)
    url = f"/assessments/recommendations/{seeded.ids['28.83']}"
    response = admin_client.post(url, data=_form(evidence_url="https://example.org/rules"))
    assert response.status_code == 302
    response = admin_client.post(
        url,
        data=_form(
            status="implemented", assessed_on="2026-02-01", evidence_file=(io.BytesIO(PDF), "rules.pdf")
        ),
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Assessment of 28.83 recorded: implemented (green)." in page
    assert page.index("1 Feb 2026") < page.index("5 Jan 2026")  # newest first
    assert 'href="https://example.org/rules"' in page
    with app.app_context():
        item = db.session.scalars(select(EvidenceItem).where(EvidenceItem.file_name == "rules.pdf")).one()
        rec = db.session.get(Recommendation, seeded.ids["28.83"])
        assert rec is not None and rec.implementation_status is ImplementationStatus.IMPLEMENTED
    download = admin_client.get(f"/assessments/evidence/{item.id}")
    assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    app.test_client().get("/")  # a fresh client is signed out
    assert app.test_client().get(f"/assessments/evidence/{item.id}").status_code == 302


def test_bad_input_gives_one_message_and_writes_nothing(app: Flask, admin_client: FlaskClient) -> None:
    seeded = _seed(app)
    url = f"/assessments/recommendations/{seeded.ids['28.83']}"
    cases = [
        (_form(evidence_url="javascript:alert(1)"), "is not a web address starting http:// or https://"),
        (_form(status="amber"), "&#39;amber&#39; is not an implementation status"),
        (_form(evidence_file=(io.BytesIO(b"#!/bin/sh\nrm -rf /"), "evil.pdf")), "evil.pdf is not a document"),
        (
            _form(evidence_file=(io.BytesIO(PDF + b"0" * (10 * 1024 * 1024)), "big.pdf")),
            "big.pdf is larger than 10 MB",
        ),
    ]
    for data, message in cases:
        response = admin_client.post(url, data=data, content_type="multipart/form-data")
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert _count(app, Assessment) == 0 and _count(app, EvidenceItem) == 0


def test_another_teams_review_is_refused_by_url(
    app: Flask, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    with app.app_context():
        theirs = Team(name="Other team")
        db.session.add(theirs)
        db.session.commit()
        db.session.expunge(theirs)
    seeded = _seed(app, team=theirs)
    sign_in(client, make_user(Role.OFFICER))
    url = f"/assessments/recommendations/{seeded.ids['28.83']}"
    for response in (
        client.get(url),
        client.post(url, data=_form()),
        client.get("/assessments/reviews/CHN-3"),
    ):
        assert response.status_code == 403
        assert "Review CHN-3 belongs to another team" in response.get_data(as_text=True)
    response = client.post(
        "/assessments/reviews/CHN-3/bulk", data={**_form(), "ids": [str(seeded.ids["28.83"])]}
    )
    assert response.status_code == 403
    assert _count(app, Assessment) == 0


def test_bulk_assessment_from_the_review_page(app: Flask, admin_client: FlaskClient) -> None:
    seeded = _seed(app)
    ids = [str(seeded.ids[n]) for n in ("28.170", "28.171")]
    response = admin_client.post(
        "/assessments/reviews/CHN-3/bulk",
        data={**_form(status="no_progress"), "ids": ids},
        follow_redirects=True,
    )
    assert "2 recommendations assessed as no progress (red)." in response.get_data(as_text=True)
    response = admin_client.post("/assessments/reviews/CHN-3/bulk", data=_form(), follow_redirects=True)
    assert "Select at least one recommendation to assess." in response.get_data(as_text=True)
    assert _count(app, Assessment) == 2


def _wait_for(client: FlaskClient, job_url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status: dict[str, Any] = client.get(f"{job_url}/status").get_json()
        if status["status"] in {"done", "failed"}:
            return status
        time.sleep(0.1)
    raise AssertionError("the export did not finish in 30 s")


def test_matrix_export_runs_in_the_background_with_progress(
    app: Flask, admin_client: FlaskClient, client: FlaskClient, make_user: Callable[..., User]
) -> None:
    _seed(app)
    response = admin_client.post("/assessments/reviews/CHN-3/export", data={"format": "xlsx"})
    assert response.status_code == 302
    job_url = response.headers["Location"]
    assert "<progress" in admin_client.get(job_url).get_data(as_text=True)
    status = _wait_for(admin_client, job_url)
    assert status == {**status, "status": "done", "done": 6, "total": 6, "percent": 100, "has_result": True}
    download = admin_client.get(f"{job_url}/download")
    assert download.headers["Content-Disposition"].endswith("CHN-3-mid-term-matrix.xlsx")
    sheet = load_workbook(io.BytesIO(download.data)).active
    assert DETENTIONS in [row[0].value for row in sheet.iter_rows()]
    # Another user cannot follow or download someone else's job.
    other = app.test_client()
    sign_in(other, make_user(Role.OFFICER))
    assert other.get(f"{job_url}/download").status_code == 404


def test_an_export_of_an_empty_review_fails_with_a_message(app: Flask, admin_client: FlaskClient) -> None:
    with app.app_context():
        seed_review(code_cycle=4, rows=())
    job_url = admin_client.post("/assessments/reviews/CHN-4/export", data={"format": "pdf"}).headers[
        "Location"
    ]
    status = _wait_for(admin_client, job_url)
    assert status["status"] == "failed" and status["has_result"] is False
    assert status["message"].startswith("Review CHN-4 has no recommendations yet")
    assert admin_client.get(f"{job_url}/download").status_code == 404


def test_dashboard_charts_show_the_counts_in_the_database(app: Flask, admin_client: FlaskClient) -> None:
    seeded = _seed(app)
    ids = [str(seeded.ids[n]) for n in ("28.170", "28.171", "28.83")]
    admin_client.post("/assessments/reviews/CHN-3/bulk", data={**_form(status="partial"), "ids": ids})
    page = admin_client.get("/dashboard").get_data(as_text=True)
    charts = {}
    for svg in page.split('<svg class="chart"')[1:]:
        root = ET.fromstring(  # noqa: S314  # our own page, parsed to check its numbers
            '<svg class="chart"' + svg.split("</svg>")[0] + "</svg>"
        )
        charts[root.get("aria-label")] = {
            bar.get("data-label"): {
                r.get("data-series"): int(r.get("data-count") or 0)
                for r in bar.iter("{http://www.w3.org/2000/svg}rect")
            }
            for bar in root.iter("{http://www.w3.org/2000/svg}g")
        }
    with app.app_context():
        rows = db.session.execute(select(Recommendation.number, Recommendation.implementation_status)).all()
    partial = sum(1 for _, status in rows if status is ImplementationStatus.PARTIAL)
    assert partial == 3
    by_theme = charts["Implementation status by theme, CHN-3"]
    assert by_theme[DETENTIONS] == {"partial": 2, "not_assessed": 1}
    assert by_theme["Non-discrimination and equality"] == {"partial": 1}
    by_state = charts["Implementation status by recommending state, CHN-3"]
    assert by_state["Sweden"] == {"partial": 2, "not_assessed": 1}
    assert sum(sum(c.values()) for c in by_theme.values()) == len(rows)
    assert charts["Responses per review cycle"] == {"China cycle 3": {"unknown": len(rows)}}


def test_responses_as_reported_per_cycle(runner: FlaskCliRunner, admin_client: FlaskClient) -> None:
    """The dashboard compares China's 2018 and 2024 outcomes from the reported totals."""
    assert runner.invoke(cli, ["demo"]).exit_code == 0
    page = admin_client.get("/dashboard").get_data(as_text=True)
    reported = page.split('aria-label="Responses reported per cycle"')[1].split("</svg>")[0]
    cycle3 = reported.split('data-label="China cycle 3 (2018)"')[1].split("</g>")[0]
    cycle4 = reported.split('data-label="China cycle 4 (2024)"')[1].split("</g>")[0]
    assert 'data-series="supported" data-count="284"' in cycle3
    assert 'data-series="noted" data-count="62"' in cycle3
    assert 'data-series="supported" data-count="290"' in cycle4
    assert 'data-series="supported in part" data-count="8"' in cycle4
    assert 'data-series="noted" data-count="32"' in cycle4
    assert 'data-series="not supported" data-count="98"' in cycle4
