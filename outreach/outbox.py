"""The outbox: one row per e-mail to send, which the sweep claims, sends and marks.

Every producer (campaign briefings, reminders to officers) stages its rows through :func:`outbox_row` and
:func:`insert_rows`. A row's idempotency key names what it is for ("this campaign, this contact, this due
time"), so a sweep that stages it twice, or two sweepers racing, leave one row; its ``Message-ID`` is fixed
when it is staged, so a retry after a crash is recognisable as the same message. Unsubscribe links carry a
signed token of the contact's id.
"""

from __future__ import annotations

import glob
import uuid
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, or_

from crm.contacts.models import Contact
from crm.db import db, utcnow
from outreach.capture import captured_mail_folder
from outreach.models import MessageKind, MessageStatus, OutboxMessage

UNSUBSCRIBE_SALT = "outreach-unsubscribe"
KEY_LENGTH = 255
SUBJECT_LENGTH = 300


class OutboxError(ValueError):
    """An outbox row cannot change as asked; the message says why."""


def new_message_id() -> str:
    domain = urlsplit(current_app.config["UPR_SETTINGS"].base_url).hostname or "localhost"
    return f"<{uuid.uuid4().hex}@{domain}>"


def campaign_key(campaign_id: int, contact_id: int, due: datetime) -> str:
    return f"campaign:{campaign_id}:contact:{contact_id}:{due.astimezone(UTC):%Y%m%dT%H%M}"


def reminder_key(item_uid: str, user_id: int, on: date, days_before: int) -> str:
    return f"reminder:{item_uid}:user:{user_id}:{on.isoformat()}:{days_before}"[:KEY_LENGTH]


def outbox_row(
    *,
    key: str,
    kind: MessageKind,
    to_address: str,
    to_name: str,
    subject: str,
    text: str,
    html: str = "",
    now: datetime,
    first_attempt_at: datetime,
    weekdays_only: bool = False,
    timezone: str = "UTC",
    campaign_id: int | None = None,
    contact_id: int | None = None,
    user_id: int | None = None,
) -> dict[str, Any]:
    """The values of one queued message, ready for :func:`insert_rows`."""
    return {
        "idempotency_key": key,
        "kind": kind,
        "campaign_id": campaign_id,
        "contact_id": contact_id,
        "user_id": user_id,
        "to_address": to_address,
        "to_name": to_name,
        "subject": subject[:SUBJECT_LENGTH],
        "body_text": text,
        "body_html": html,
        "message_id": new_message_id(),
        "status": MessageStatus.QUEUED,
        "attempts": 0,
        "next_attempt_at": first_attempt_at,
        "last_error": "",
        "weekdays_only": weekdays_only,
        "timezone": timezone,
        "created_at": now,
    }


def insert_rows(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Insert rows whose idempotency key is new (another sweeper's is skipped); returns ``{key: id}``."""
    if not rows:
        return {}
    statement = db.insert_ignoring_conflicts(OutboxMessage, unique=["idempotency_key"])
    result = db.session.execute(statement.returning(OutboxMessage.idempotency_key, OutboxMessage.id), rows)
    return {key: row_id for key, row_id in result.all()}


def retry_failed(row: OutboxMessage) -> None:
    """Queue a failed message again, from its first attempt; the officer vouches that its address works."""
    if row.status is not MessageStatus.FAILED:
        raise OutboxError(_("Only a failed message can be retried."))
    row.status, row.attempts, row.next_attempt_at = MessageStatus.QUEUED, 0, utcnow()
    if row.contact is not None:
        row.contact.email_failed_reason = ""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["UPR_SETTINGS"].secret_key, salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(contact_id: int) -> str:
    base = current_app.config["UPR_SETTINGS"].base_url
    return f"{base}/outreach/unsubscribe/{_serializer().dumps(contact_id)}"


def contact_for_unsubscribe(token: str) -> Contact | None:
    try:
        contact_id = _serializer().loads(token)
    except BadSignature:
        return None
    return db.session.get(Contact, contact_id) if isinstance(contact_id, int) else None


def erase_copies(contact: Contact) -> int:
    """Delete every copy of mail to ``contact`` (an erasure step): outbox rows and demo-captured files."""
    address = (contact.email or "").lower()
    query = delete(OutboxMessage).where(OutboxMessage.contact_id == contact.id)
    if address:
        query = delete(OutboxMessage).where(
            or_(OutboxMessage.contact_id == contact.id, func.lower(OutboxMessage.to_address) == address)
        )
    removed = int(getattr(db.session.execute(query), "rowcount", 0) or 0)
    folder = captured_mail_folder(current_app.instance_path)
    if address and folder.is_dir():
        for copy in folder.glob(f"{glob.escape(address.replace('@', '_at_'))}-*.eml"):
            copy.unlink()
            removed += 1
    return removed
