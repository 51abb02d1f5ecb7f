"""Recording assessments: history, the latest status, evidence, bulk, access, and refused input."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from flask import Flask
from sqlalchemy import func, select

from crm.assessments.models import Assessment, EvidenceItem, EvidenceSource
from crm.assessments.services import (
    MAX_UPLOAD_BYTES,
    AccessDenied,
    AssessmentError,
    EvidenceInput,
    Upload,
    bulk_assess,
    history,
    record_assessment,
)
from crm.auth.models import Role, User
from crm.db import db
from crm.models import ImplementationStatus, Recommendation
from crm.teams.models import Team
from tests.assessments_data import Seeded, seed_review

TODAY = date(2026, 5, 4)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def ctx(app: Flask) -> Iterator[None]:
    with app.app_context():
        yield


@pytest.fixture
def uploads(tmp_path: Path) -> Path:
    folder = tmp_path / "evidence"
    folder.mkdir()
    return folder


def _docx_bytes() -> bytes:
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph("Provincial implementing rules")
    document.save(buffer)
    return buffer.getvalue()


def _user(make_user: Callable[..., User], role: Role = Role.OFFICER, teams: list[Team] | None = None) -> User:
    made = make_user(role, teams=teams)
    user = db.session.get(User, made.id)
    assert user is not None
    return user


def _rec(seeded: Seeded, number: str) -> Recommendation:
    rec = db.session.get(Recommendation, seeded.ids[number])
    assert rec is not None
    return rec


def _count(model: type[object]) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def test_history_keeps_every_change_and_the_latest_date_wins(
    ctx: None, make_user: Callable[..., User], uploads: Path
) -> None:
    seeded = seed_review()
    officer = _user(make_user)
    rec = _rec(seeded, "28.83")
    record_assessment(
        rec,
        status="no_progress",
        assessed_on=date(2025, 3, 1),
        text="No implementing regulations found.",
        author=officer,
        today=TODAY,
    )
    record_assessment(
        rec,
        status=ImplementationStatus.PARTIAL,
        assessed_on=date(2026, 2, 1),
        text="Provincial rules adopted in two provinces.",
        author=officer,
        evidence=[
            EvidenceInput(
                "official_regulation", date(2026, 1, 15), "Provincial rules", url="https://example.org/r"
            ),
            EvidenceInput("ngo_survey", None, "Shelter survey", upload=Upload("survey.docx", _docx_bytes())),
        ],
        upload_dir=uploads,
        today=TODAY,
    )
    # Back-dated: joins the history but does not replace the later status.
    record_assessment(
        rec, status="regressed", assessed_on=date(2024, 6, 1), text="", author=officer, today=TODAY
    )
    db.session.commit()

    assert rec.implementation_status is ImplementationStatus.PARTIAL
    rows = history(rec.id)
    assert [(a.assessed_on, a.status) for a in rows] == [
        (date(2026, 2, 1), ImplementationStatus.PARTIAL),
        (date(2025, 3, 1), ImplementationStatus.NO_PROGRESS),
        (date(2024, 6, 1), ImplementationStatus.REGRESSED),
    ]
    assert {a.author_id for a in rows} == {officer.id}
    assert all(a.created_at.tzinfo is not None for a in rows)
    link, document = rows[0].evidence
    assert (link.source_type, link.url, link.dated) == (
        EvidenceSource.OFFICIAL_REGULATION,
        "https://example.org/r",
        date(2026, 1, 15),
    )
    assert document.file_name == "survey.docx" and document.stored_name is not None
    assert (uploads / document.stored_name).read_bytes() == _docx_bytes()
    assert document.content_type is not None and "wordprocessingml" in document.content_type


BAD_EVIDENCE = [
    (EvidenceInput("state_media", url="javascript:alert(document.cookie)"), "not a web address"),
    (EvidenceInput("state_media", url="JaVaScRiPt://example.org/%0aalert(1)"), "not a web address"),
    (EvidenceInput("state_media", url="/relative/path"), "not a web address"),
    (EvidenceInput("court_record", upload=Upload("verdict.pdf", b"MZ\x90\x00 not a pdf")), "not a document"),
    (EvidenceInput("court_record", upload=Upload("notes.txt", b"plain text")), "not a document"),
    (EvidenceInput("court_record", upload=Upload("renamed.docx", PDF)), "not a document"),
    (
        EvidenceInput("court_record", upload=Upload("huge.pdf", PDF + b"0" * MAX_UPLOAD_BYTES)),
        "larger than 10 MB",
    ),
    (EvidenceInput("rumour", url="https://example.org"), "not a source type"),
    (EvidenceInput("testimony"), "either a link or an uploaded document"),
    (EvidenceInput("testimony", dated=date(2027, 1, 1), url="https://example.org"), "future"),
]


@pytest.mark.parametrize(("evidence", "message"), BAD_EVIDENCE)
def test_bad_evidence_is_refused_and_nothing_is_written(
    ctx: None, make_user: Callable[..., User], uploads: Path, evidence: EvidenceInput, message: str
) -> None:
    seeded = seed_review()
    rec = _rec(seeded, "28.171")
    # A valid item first: the bad one after it must still stop the whole assessment.
    good = EvidenceInput("official_regulation", upload=Upload("rules.pdf", PDF))
    with pytest.raises(AssessmentError, match=message):
        record_assessment(
            rec,
            status="partial",
            assessed_on=TODAY,
            text="x",
            author=_user(make_user),
            evidence=[good, evidence],
            upload_dir=uploads,
            today=TODAY,
        )
    db.session.commit()
    assert _count(Assessment) == 0 and _count(EvidenceItem) == 0
    assert list(uploads.iterdir()) == []
    assert rec.implementation_status is ImplementationStatus.NOT_ASSESSED


@pytest.mark.parametrize(
    ("status", "assessed_on", "message"),
    [
        ("amber", TODAY, "'amber' is not an implementation status; use one of: not_assessed"),
        ("partial", date(2026, 5, 5), "cannot be dated in the future"),
    ],
)
def test_unknown_status_or_future_date_is_refused(
    ctx: None, make_user: Callable[..., User], status: str, assessed_on: date, message: str
) -> None:
    seeded = seed_review()
    with pytest.raises(AssessmentError, match=message):
        record_assessment(
            _rec(seeded, "28.171"),
            status=status,
            assessed_on=assessed_on,
            text="",
            author=_user(make_user),
            today=TODAY,
        )
    assert _count(Assessment) == 0


def test_another_teams_review_is_refused_and_teamless_reviews_are_open(
    ctx: None, make_user: Callable[..., User]
) -> None:
    ours, theirs = Team(name="China team"), Team(name="Bangladesh team")
    db.session.add_all([ours, theirs])
    db.session.commit()
    owned = seed_review(team=theirs)
    open_review = seed_review(code_cycle=4)
    officer = _user(make_user, teams=[ours])

    with pytest.raises(AccessDenied, match="belongs to another team"):
        record_assessment(
            _rec(owned, "28.83"), status="partial", assessed_on=TODAY, text="", author=officer, today=TODAY
        )
    record_assessment(
        _rec(open_review, "28.83"), status="partial", assessed_on=TODAY, text="", author=officer, today=TODAY
    )
    viewer = _user(make_user, Role.VIEWER)
    with pytest.raises(AccessDenied):
        record_assessment(
            _rec(open_review, "28.171"),
            status="partial",
            assessed_on=TODAY,
            text="",
            author=viewer,
            today=TODAY,
        )
    member = _user(make_user, teams=[theirs])
    record_assessment(
        _rec(owned, "28.83"), status="implemented", assessed_on=TODAY, text="", author=member, today=TODAY
    )
    db.session.commit()
    assert _count(Assessment) == 2


def test_bulk_assessment_gives_one_status_to_a_selection(ctx: None, make_user: Callable[..., User]) -> None:
    seeded = seed_review()
    officer = _user(make_user)
    chosen = [_rec(seeded, n) for n in ("28.170", "28.171", "28.176")]
    made = bulk_assess(
        chosen, status="no_progress", assessed_on=date(2026, 1, 10), text="No change.", author=officer
    )
    db.session.commit()
    assert len(made) == 3
    query = select(Recommendation.number, Recommendation.implementation_status)
    statuses = {number: status for number, status in db.session.execute(query)}
    assert statuses == {
        "28.170": ImplementationStatus.NO_PROGRESS,
        "28.171": ImplementationStatus.NO_PROGRESS,
        "28.176": ImplementationStatus.NO_PROGRESS,
        "28.201": ImplementationStatus.NOT_ASSESSED,
        "28.83": ImplementationStatus.NOT_ASSESSED,
        "28.320": ImplementationStatus.NOT_ASSESSED,
    }
    with pytest.raises(AssessmentError, match="Select at least one"):
        bulk_assess([], status="partial", assessed_on=TODAY, text="", author=officer)
    with pytest.raises(AssessmentError, match="not an implementation status"):
        bulk_assess(chosen, status="green-ish", assessed_on=TODAY, text="", author=officer)
    assert _count(Assessment) == 3
