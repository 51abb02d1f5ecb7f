"""Recording assessments and their evidence, and who may see or change them.

Every check runs before anything is staged or written to disk, so bad input leaves no trace.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm import dates
from crm.assessments.models import Assessment, EvidenceItem, EvidenceSource
from crm.auth.access import EDITOR_ROLES
from crm.auth.models import Role, User
from crm.db import db
from crm.models import ImplementationStatus, Recommendation, Review

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_URL_LENGTH = 2000
# Extension -> (detected kind, content type). The detected kind must match the extension.
DOCUMENT_TYPES = {
    ".pdf": ("pdf", "application/pdf"),
    ".docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".odt": ("odt", "application/vnd.oasis.opendocument.text"),
    ".png": ("png", "image/png"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".gif": ("gif", "image/gif"),
    ".webp": ("webp", "image/webp"),
}
ACCEPTED = "PDF, DOCX, XLSX, ODT, PNG, JPEG, GIF or WebP"


class AssessmentError(ValueError):
    """Input that cannot be recorded; the message says why in one sentence."""


class AccessDenied(PermissionError):
    pass


@dataclass(frozen=True)
class Upload:
    file_name: str
    content: bytes


@dataclass(frozen=True)
class EvidenceInput:
    source_type: str
    dated: date | None = None
    description: str = ""
    url: str = ""
    upload: Upload | None = None


def can_view(user: User, review: Review) -> bool:
    """Reviews without a team are open to everyone signed in; a team's review to its members and admins."""
    return review.team_id is None or user.role is Role.ADMIN or review.team_id in user.team_ids


def can_edit(user: User, review: Review) -> bool:
    return user.role in EDITOR_ROLES and can_view(user, review)


def check_access(user: User, review: Review, *, edit: bool) -> None:
    if not can_view(user, review):
        raise AccessDenied(
            _(
                "Review %(review)s belongs to another team; you cannot see its assessments.",
                review=review.code,
            )
        )
    if edit and not can_edit(user, review):
        raise AccessDenied(
            _("Your role (%(role)s) can read assessments but not change them.", role=user.role.value)
        )


def parse_status(value: str) -> ImplementationStatus:
    try:
        return ImplementationStatus(value.strip())
    except ValueError:
        known = ", ".join(status.value for status in ImplementationStatus)
        raise AssessmentError(
            _(
                "%(value)s is not an implementation status; use one of: %(known)s.",
                value=repr(value),
                known=known,
            )
        ) from None


def parse_source(value: str) -> EvidenceSource:
    try:
        return EvidenceSource(value.strip())
    except ValueError:
        known = ", ".join(source.value for source in EvidenceSource)
        raise AssessmentError(
            _("%(value)s is not a source type; use one of: %(known)s.", value=repr(value), known=known)
        ) from None


def check_url(url: str) -> str:
    """An absolute http(s) link; anything else (``javascript:``, ``data:``, relative) is refused."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or any(ord(c) < 32 for c in url):
        raise AssessmentError(
            _(
                "The evidence link %(link)s is not a web address starting http:// or https://.",
                link=repr(url[:80]),
            )
        )
    if len(url) > MAX_URL_LENGTH:
        raise AssessmentError(
            _("The evidence link is longer than %(limit)s characters.", limit=MAX_URL_LENGTH)
        )
    return url


MAGIC_PREFIXES = (
    (b"%PDF-", "pdf"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
)
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


def sniff_document(content: bytes) -> str | None:
    """The document kind the bytes really are, whatever the file is called."""
    kind = next((kind for prefix, kind in MAGIC_PREFIXES if content.startswith(prefix)), None)
    if kind is None and content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        kind = "webp"
    if kind is not None or not content.startswith(b"PK\x03\x04"):
        return kind
    # Office documents are zip files: their members tell a Word file from a spreadsheet or any other zip.
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            is_odt = "mimetype" in names and archive.read("mimetype").strip() == ODT_MIMETYPE
    except zipfile.BadZipFile:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return "odt" if is_odt else None


def check_upload(upload: Upload) -> tuple[str, str]:
    """The stored extension and content type of an acceptable document; raises for anything else."""
    name = Path(upload.file_name).name
    suffix = Path(name).suffix.lower()
    if len(upload.content) > MAX_UPLOAD_BYTES:
        raise AssessmentError(
            _("%(file)s is larger than %(size)s MB.", file=name, size=MAX_UPLOAD_BYTES // (1024 * 1024))
        )
    if not upload.content:
        raise AssessmentError(_("%(file)s is empty.", file=name))
    expected = DOCUMENT_TYPES.get(suffix)
    if expected is None or sniff_document(upload.content) != expected[0]:
        raise AssessmentError(
            _("%(file)s is not a document this app keeps as evidence (%(kinds)s).", file=name, kinds=ACCEPTED)
        )
    return suffix, expected[1]


@dataclass(frozen=True)
class _CheckedEvidence:
    item: EvidenceInput
    source: EvidenceSource
    url: str | None
    suffix: str | None
    content_type: str | None


def _check_evidence(item: EvidenceInput, today: date) -> _CheckedEvidence:
    source = parse_source(item.source_type)
    if bool(item.url.strip()) == (item.upload is not None):
        raise AssessmentError(_("Each evidence item needs either a link or an uploaded document (not both)."))
    if item.dated is not None and item.dated > today:
        raise AssessmentError(_("An evidence item cannot be dated in the future."))
    if item.upload is not None:
        suffix, content_type = check_upload(item.upload)
        return _CheckedEvidence(item, source, None, suffix, content_type)
    return _CheckedEvidence(item, source, check_url(item.url), None, None)


def record_assessment(
    recommendation: Recommendation,
    *,
    status: ImplementationStatus | str,
    assessed_on: date,
    text: str,
    author: User,
    evidence: Sequence[EvidenceInput] = (),
    upload_dir: Path | None = None,
    today: date | None = None,
) -> Assessment:
    """Stage a new dated assessment with its evidence and make its status the recommendation's latest.

    Uploaded files are written to ``upload_dir`` only after every item has passed its checks; if the
    caller's commit then fails it should call :func:`discard_files` on the returned assessment.
    """
    today = today or dates.today()
    status = parse_status(status) if isinstance(status, str) else status
    check_access(author, recommendation.review, edit=True)
    if assessed_on > today:
        raise AssessmentError(_("An assessment cannot be dated in the future."))
    checked = [_check_evidence(item, today) for item in evidence]
    if any(c.suffix for c in checked) and upload_dir is None:
        raise AssessmentError(_("Uploads are not possible here: no folder for evidence files is configured."))

    assessment = Assessment(
        recommendation=recommendation,
        status=status,
        assessed_on=assessed_on,
        text=text.strip(),
        author_id=author.id,
    )
    for c in checked:
        evidence_item = EvidenceItem(
            source_type=c.source, dated=c.item.dated, description=c.item.description.strip(), url=c.url
        )
        if c.item.upload is not None and upload_dir is not None:
            evidence_item.stored_name = f"{uuid.uuid4().hex}{c.suffix}"
            evidence_item.file_name = Path(c.item.upload.file_name).name[:255]
            evidence_item.content_type = c.content_type
            evidence_item.size = len(c.item.upload.content)
            upload_dir.mkdir(parents=True, exist_ok=True)
            (upload_dir / evidence_item.stored_name).write_bytes(c.item.upload.content)
        assessment.evidence.append(evidence_item)
    db.session.add(assessment)
    db.session.flush()
    _sync_latest_status(recommendation)
    return assessment


def discard_files(assessment: Assessment, upload_dir: Path) -> None:
    """Remove the files of an assessment whose transaction was rolled back."""
    for item in assessment.evidence:
        if item.stored_name:
            (upload_dir / item.stored_name).unlink(missing_ok=True)


def bulk_assess(
    recommendations: Sequence[Recommendation],
    *,
    status: ImplementationStatus | str,
    assessed_on: date,
    text: str,
    author: User,
) -> list[Assessment]:
    """The same status for a selection; refused as a whole if any recommendation is out of reach."""
    if not recommendations:
        raise AssessmentError(_("Select at least one recommendation to assess."))
    status = parse_status(status) if isinstance(status, str) else status
    for recommendation in recommendations:
        check_access(author, recommendation.review, edit=True)
    return [
        record_assessment(rec, status=status, assessed_on=assessed_on, text=text, author=author)
        for rec in recommendations
    ]


def _sync_latest_status(recommendation: Recommendation) -> None:
    # A back-dated assessment joins the history without overriding a later one.
    latest = db.session.scalar(
        select(Assessment)
        .where(Assessment.recommendation_id == recommendation.id)
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        .limit(1)
    )
    recommendation.implementation_status = latest.status if latest else ImplementationStatus.NOT_ASSESSED


def history(recommendation_id: int) -> list[Assessment]:
    """Every assessment of a recommendation, newest first, with authors and evidence loaded."""
    return list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.recommendation_id == recommendation_id)
            .options(selectinload(Assessment.evidence), selectinload(Assessment.author))
            .order_by(Assessment.assessed_on.desc(), Assessment.id.desc())
        )
    )


def latest_assessments(review_id: int) -> dict[int, Assessment]:
    """Each assessed recommendation's latest assessment in a review, keyed by recommendation id."""
    rows = db.session.scalars(
        select(Assessment)
        .join(Recommendation, Recommendation.id == Assessment.recommendation_id)
        .where(Recommendation.review_id == review_id)
        .options(selectinload(Assessment.evidence), selectinload(Assessment.author))
        .order_by(Assessment.assessed_on, Assessment.id)
    )
    return {assessment.recommendation_id: assessment for assessment in rows}


def review_recommendations(review_id: int, ids: Sequence[int] | None = None) -> list[Recommendation]:
    query = (
        select(Recommendation)
        .where(Recommendation.review_id == review_id)
        .options(
            selectinload(Recommendation.themes),
            selectinload(Recommendation.recommending),
            selectinload(Recommendation.review),
        )
        .order_by(Recommendation.sort_key, Recommendation.id)
    )
    if ids is not None:
        query = query.where(Recommendation.id.in_(ids))
    return list(db.session.scalars(query))
