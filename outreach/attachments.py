"""Per-theme factsheets attached to briefings: written once per campaign, read back for every attempt.

Factsheets are about the State-under-Review's recommendations, never about a recipient, so one file per
theme serves every briefing that touches the theme and no contact's details can reach an attachment.
Files get a fresh random name and are never rewritten: a sweeper that loses a race leaves an unused
file behind rather than changing the bytes of one another sweeper already attached.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import insert, select

from crm.assessments.factsheet import UnknownTheme, write_factsheet
from crm.contacts.who_to_brief import BasisItem
from crm.db import db
from crm.models import Recommendation, Theme, recommendation_themes
from outreach.models import Campaign, CampaignAttachment, message_attachments

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ATTACHMENT_FOLDER = Path("outreach") / "attachments"
_UNSAFE = re.compile(r"[^\w.-]+")


class AttachmentMissing(RuntimeError):
    """A queued message's factsheet is no longer in the instance folder."""


@dataclass(frozen=True)
class AttachmentFile:
    """What delivery needs to attach one file (plain values: read once when the batch is claimed)."""

    filename: str
    content_type: str
    path: str
    sha256: str


def _safe_name(text: str) -> str:
    return _UNSAFE.sub("-", text).strip("-")[:80] or "theme"


def _campaign_themes(campaign: Campaign) -> list[Theme]:
    """The campaign's themes, or (none chosen) every theme of the review's recommendations."""
    if campaign.themes:
        return list(campaign.themes)
    query = (
        select(Theme)
        .join(recommendation_themes, recommendation_themes.c.theme_id == Theme.id)
        .join(Recommendation, Recommendation.id == recommendation_themes.c.recommendation_id)
        .where(Recommendation.review_id == campaign.review_id)
        .distinct()
        .order_by(Theme.name)
    )
    return list(db.session.scalars(query))


def prepare_attachments(campaign: Campaign) -> list[CampaignAttachment]:
    """The campaign's factsheets, written and staged the first time it is queued (none when turned off)."""
    if not campaign.attach_factsheets:
        return []
    if campaign.attachments:
        return list(campaign.attachments)
    instance = Path(current_app.instance_path)
    folder = ATTACHMENT_FOLDER / f"campaign-{campaign.id}"
    (instance / folder).mkdir(parents=True, exist_ok=True)
    for theme in _campaign_themes(campaign):
        relative = folder / f"{uuid.uuid4().hex[:12]}-{_safe_name(theme.name)}.docx"
        target = instance / relative
        partial = target.with_suffix(".partial.docx")
        try:
            write_factsheet(campaign.review, theme.name, partial)
        except UnknownTheme:  # a chosen theme none of the review's recommendations carries
            continue
        os.replace(partial, target)  # a crash mid-write never leaves a truncated factsheet behind
        data = target.read_bytes()
        campaign.attachments.append(
            CampaignAttachment(
                theme_id=theme.id,
                filename=f"Factsheet {campaign.review.code} {_safe_name(theme.name)}.docx",
                path=relative.as_posix(),
                content_type=DOCX_TYPE,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
            )
        )
    db.session.flush()
    return list(campaign.attachments)


def themes_by_recommendation(review_id: int) -> dict[int, set[int]]:
    query = (
        select(recommendation_themes.c.recommendation_id, recommendation_themes.c.theme_id)
        .join(Recommendation, Recommendation.id == recommendation_themes.c.recommendation_id)
        .where(Recommendation.review_id == review_id)
    )
    found: dict[int, set[int]] = {}
    for recommendation_id, theme_id in db.session.execute(query).all():
        found.setdefault(recommendation_id, set()).add(theme_id)
    return found


def attachments_for(
    items: Iterable[BasisItem], attachments: list[CampaignAttachment], themes: dict[int, set[int]]
) -> list[int]:
    """The factsheets of the themes the recipient's own recommendations touch."""
    touched = set().union(*(themes.get(item.recommendation_id, set()) for item in items))
    return [a.id for a in attachments if a.theme_id in touched]


def link_messages(links: dict[int, list[int]]) -> None:
    """Stage ``{outbox id: [attachment id, ...]}``."""
    rows = [{"message_id": m, "attachment_id": a} for m, ids in links.items() for a in ids]
    if rows:
        db.session.execute(insert(message_attachments), rows)


def files_for_messages(message_ids: list[int]) -> dict[int, list[AttachmentFile]]:
    if not message_ids:
        return {}
    query = (
        select(
            message_attachments.c.message_id,
            CampaignAttachment.filename,
            CampaignAttachment.content_type,
            CampaignAttachment.path,
            CampaignAttachment.sha256,
        )
        .join(CampaignAttachment, CampaignAttachment.id == message_attachments.c.attachment_id)
        .where(message_attachments.c.message_id.in_(message_ids))
        .order_by(message_attachments.c.message_id, CampaignAttachment.filename)
    )
    found: dict[int, list[AttachmentFile]] = {}
    for message_id, *values in db.session.execute(query).all():
        found.setdefault(message_id, []).append(AttachmentFile(*values))
    return found


class FileReader:
    """Reads each factsheet once per sweep (thousands of briefings share a handful of files)."""

    def __init__(self, instance_path: str) -> None:
        self.root = Path(instance_path)
        self._cache: dict[str, bytes] = {}

    def read(self, file: AttachmentFile) -> bytes:
        data = self._cache.get(file.path)
        if data is None:
            try:
                data = (self.root / file.path).read_bytes()
            except OSError:
                raise AttachmentMissing(
                    _("the factsheet %(file)s is missing from the server", file=file.filename)
                ) from None
            if hashlib.sha256(data).hexdigest() != file.sha256:
                raise AttachmentMissing(
                    _("the factsheet %(file)s on the server was changed", file=file.filename)
                )
            self._cache[file.path] = data
        return data
