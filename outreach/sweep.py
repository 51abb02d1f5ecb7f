"""One sweep: queue what has fallen due, then deliver queued mail, never inside a database transaction.

Delivery is claim → commit → SMTP → record → commit, one message at a time, so a crash can leave at most
the message in flight unrecorded. A row stuck in ``sending`` longer than the lease is claimed again and
re-sent with the same ``Message-ID``: that is the one duplicate a crash may cost.

When the SMTP server cannot be reached, the rest of the sweep's messages wait for the next sweep without
trying it again, and the sweep says so: its outcome is kept (``SweepRun``) for the Outbox page, and
``upr outreach sweep`` exits non-zero so that cron tells someone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email.mime.multipart import MIMEMultipart
from typing import cast

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Table, and_, bindparam, delete, or_, select, update

from crm.contacts.models import Contact
from crm.db import db, utcnow
from outreach.attachments import AttachmentFile, AttachmentMissing, FileReader, files_for_messages
from outreach.campaigns import finish_campaigns, queue_due_campaigns
from outreach.daily import run_daily_chores
from outreach.hours import next_working_time
from outreach.models import MessageKind, MessageStatus, OutboxMessage, SweepRun
from outreach.outbox import unsubscribe_url
from outreach.reminders import queue_reminders
from outreach.smtp import Mailer, PermanentFailure, SmtpSettings, TemporaryFailure, build_message

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=10)
MAX_ATTEMPTS = 8
FIRST_RETRY = timedelta(minutes=2)
LONGEST_RETRY = timedelta(hours=6)
BATCH = 50
OUTBOX = cast(Table, OutboxMessage.__table__)
# Each result is recorded by this one statement; its SET clause is the values given, so SQLAlchemy builds
# and compiles it once per kind of result instead of once per message.
RECORD_RESULT = update(OUTBOX).where(OUTBOX.c.id == bindparam("outbox_id"))
KEPT_RUNS = 100


@dataclass
class SweepReport:
    queued: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    successor_tasks: int = 0
    deferred: int = 0
    smtp_error: str = ""

    def __str__(self) -> str:
        # English always: cron mails and scripts read these counts (upr outreach sweep).
        text = (
            f"Queued {self.queued}, sent {self.sent}, "  # i18n: fixed
            f"to retry {self.retried}, failed {self.failed}."
        )
        if self.deferred:
            text += f" Waiting for the recipient's working hours: {self.deferred}."  # i18n: fixed
        if self.successor_tasks:
            text += f" Successor tasks added: {self.successor_tasks}."  # i18n: fixed
        if self.smtp_error:
            text += f" Mail did not go out: {self.smtp_error}."  # i18n: fixed
        return text


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: 2, 4, 8 … minutes after each failed attempt, at most six hours."""
    delay: timedelta = FIRST_RETRY * 2 ** max(attempts - 1, 0)
    return min(delay, LONGEST_RETRY)


def _claimable(now: datetime, lease: timedelta) -> ColumnElement[bool]:
    return or_(
        and_(OUTBOX.c.status == MessageStatus.QUEUED, OUTBOX.c.next_attempt_at <= now),
        and_(OUTBOX.c.status == MessageStatus.SENDING, OUTBOX.c.claimed_at < now - lease),
    )


@dataclass(frozen=True)
class Claimed:
    """What sending one claimed row needs, read once when it is claimed.

    Plain values rather than ORM objects: each recorded result commits, and a commit would otherwise
    expire (and reload) every row of the batch still in the session.
    """

    id: int
    kind: MessageKind
    contact_id: int | None
    to_address: str
    to_name: str
    subject: str
    body_text: str
    body_html: str
    message_id: str
    attempts: int
    weekdays_only: bool
    timezone: str
    attachments: tuple[AttachmentFile, ...] = field(default=())


_CLAIMED_COLUMNS = [OUTBOX.c[name] for name in Claimed.__dataclass_fields__ if name != "attachments"]


def claim(now: datetime, limit: int = BATCH, lease: timedelta = LEASE) -> list[Claimed]:
    """Mark up to ``limit`` due rows as ours and commit, so no other sweeper sends them."""
    session = db.session
    candidates = (
        select(OUTBOX.c.id)
        .where(_claimable(now, lease))
        .order_by(OUTBOX.c.next_attempt_at, OUTBOX.c.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    # The condition is repeated in the UPDATE: on SQLite it is what makes two sweepers exclusive.
    claimed = session.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id.in_(candidates.scalar_subquery()), _claimable(now, lease))
        .values(
            status=MessageStatus.SENDING, claimed_at=now, last_attempt_at=now, attempts=OUTBOX.c.attempts + 1
        )
        .returning(*_CLAIMED_COLUMNS)
    ).all()
    files = files_for_messages([row.id for row in claimed])
    session.commit()
    rows = [Claimed(*row) for row in claimed]
    return sorted((replace(r, attachments=tuple(files.get(r.id, ()))) for r in rows), key=lambda r: r.id)


def defer_outside_working_hours(rows: list[Claimed], now: datetime) -> list[Claimed]:
    """The rows to send now; briefings claimed outside their recipient's working hours wait again.

    They were queued for a working hour, but a sweep that runs late (the server was down overnight) would
    otherwise mail people at night. Such a claim does not count as an attempt.
    """
    ready = []
    deferred = False
    for row in rows:
        window = next_working_time(now, row.timezone, weekdays_only=row.weekdays_only)
        if row.kind is not MessageKind.BRIEFING or window <= now:
            ready.append(row)
            continue
        db.session.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id == row.id)
            .values(
                status=MessageStatus.QUEUED,
                next_attempt_at=window,
                claimed_at=None,
                attempts=row.attempts - 1,
            )
        )
        deferred = True
    if deferred:
        db.session.commit()
    return ready


def message_for(row: Claimed, sender: str, files: FileReader) -> MIMEMultipart:
    """The message exactly as every attempt sends it: same ``Message-ID``, same attachment bytes."""
    return build_message(
        sender=sender,
        to_name=row.to_name,
        to_address=row.to_address,
        subject=row.subject,
        text=row.body_text,
        html=row.body_html,
        message_id=row.message_id,
        unsubscribe_url=(
            unsubscribe_url(row.contact_id) if row.kind is MessageKind.BRIEFING and row.contact_id else None
        ),
        attachments=[(f.filename, f.content_type, files.read(f)) for f in row.attachments],
    )


def _retry_values(row: Claimed, now: datetime, error: str) -> dict[str, object]:
    """A temporary failure: try again after the backoff (within working hours), or give up at last."""
    if row.attempts >= MAX_ATTEMPTS:
        return {
            "status": MessageStatus.FAILED,
            "last_error": _("gave up after %(count)s attempts: %(error)s", count=row.attempts, error=error),
            "claimed_at": None,
        }
    retry_at = next_working_time(
        now + retry_delay(row.attempts), row.timezone, weekdays_only=row.weekdays_only
    )
    return {
        "status": MessageStatus.QUEUED,
        "last_error": error,
        "next_attempt_at": retry_at,
        "claimed_at": None,
    }


def _record(row: Claimed, values: dict[str, object]) -> MessageStatus:
    # Core statements on the table: an ORM UPDATE would search the session for rows to synchronise.
    db.session.execute(RECORD_RESULT, {"outbox_id": row.id, **values})
    db.session.commit()
    status = values["status"]
    assert isinstance(status, MessageStatus)
    # Logged by id only: names and addresses stay out of logs (some recipients are at risk).
    log.info("outbox message %s: %s", row.id, status.value)
    return status


def postpone(row: Claimed, now: datetime, reason: str) -> MessageStatus:
    """Put a claimed row back for a later sweep without trying the server (known to be unreachable)."""
    return _record(row, _retry_values(row, now, reason))


def deliver(row: Claimed, mailer: Mailer, now: datetime, files: FileReader) -> MessageStatus:
    """Send one claimed row (no transaction open meanwhile), then record the outcome and commit."""
    values: dict[str, object]
    try:
        mailer.send(message_for(row, mailer.settings.sender, files), row.to_address)
    except AttachmentMissing as error:
        values = {"status": MessageStatus.FAILED, "last_error": str(error), "claimed_at": None}
    except PermanentFailure as error:
        values = {"status": MessageStatus.FAILED, "last_error": str(error), "claimed_at": None}
        if error.address_rejected and row.contact_id is not None:
            db.session.execute(
                update(Contact).where(Contact.id == row.contact_id).values(email_failed_reason=str(error))
            )
    except TemporaryFailure as error:
        values = _retry_values(row, now, str(error))
    except Exception as error:  # one message nobody foresaw failing must not stop the sweep
        # Failed rather than left claimed (it would fail again on every sweep); logged by type only, since
        # the error's text may quote the recipient.
        log.error("outbox message %s could not be sent: %s", row.id, type(error).__name__)
        values = {
            "status": MessageStatus.FAILED,
            "last_error": _(
                "could not be sent: unexpected %(error)s; an administrator can find outbox message %(id)s in "
                "the server log",
                error=type(error).__name__,
                id=row.id,
            ),
            "claimed_at": None,
        }
    else:
        values = {
            "status": MessageStatus.SENT,
            "sent_at": max(now, utcnow()),
            "last_error": "",
            "claimed_at": None,
        }
    return _record(row, values)


def run_sweep(
    smtp: SmtpSettings | None, now: datetime | None = None, *, lease: timedelta = LEASE
) -> SweepReport:
    """Queue what is due at ``now`` and, when an SMTP server is given, deliver everything due.

    The outcome is recorded (``SweepRun``); a sweep that stops on an unforeseen error records that too.
    """
    started = utcnow()
    now = now or started
    report = SweepReport()
    try:
        _sweep(smtp, now, lease, report)
    except Exception as error:
        db.session.rollback()
        _record_run(
            started, report, _("the sweep stopped on an unexpected %(error)s", error=type(error).__name__)
        )
        raise
    _record_run(started, report, report.smtp_error)
    return report


def _sweep(smtp: SmtpSettings | None, now: datetime, lease: timedelta, report: SweepReport) -> None:
    report.successor_tasks = run_daily_chores(now)
    report.queued = queue_due_campaigns(now) + queue_reminders(now)
    db.session.commit()
    if smtp is not None:
        files = FileReader(current_app.instance_path)
        with Mailer(smtp) as mailer:
            while rows := claim(now, lease=lease):
                ready = defer_outside_working_hours(rows, now)
                report.deferred += len(rows) - len(ready)
                for row in ready:
                    if mailer.unreachable:
                        status = postpone(row, now, mailer.unreachable)
                    else:
                        status = deliver(row, mailer, now, files)
                    report.sent += status is MessageStatus.SENT
                    report.failed += status is MessageStatus.FAILED
                    report.retried += status is MessageStatus.QUEUED
            report.smtp_error = mailer.unreachable
            # Results went through Core UPDATEs: what the session holds from before is stale.
            db.session.expire_all()
    finish_campaigns()
    db.session.commit()


def _record_run(started: datetime, report: SweepReport, error: str) -> None:
    db.session.add(
        SweepRun(
            started_at=started,
            finished_at=utcnow(),
            queued=report.queued,
            sent=report.sent,
            retried=report.retried,
            failed=report.failed,
            error=error,
        )
    )
    db.session.flush()
    oldest_kept = (
        select(SweepRun.id).order_by(SweepRun.id.desc()).offset(KEPT_RUNS).limit(1).scalar_subquery()
    )
    db.session.execute(delete(SweepRun).where(SweepRun.id <= oldest_kept))
    db.session.commit()


def last_run() -> SweepRun | None:
    return db.session.scalar(select(SweepRun).order_by(SweepRun.id.desc()).limit(1))
