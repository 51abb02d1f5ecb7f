"""Subscription feeds: secret token URLs per user, team or review, and a version stamp for cheap 304s.

Calendar clients poll without cookies, so the token in the URL is the only credential: it is shown once and
only its SHA-256 is stored. Clients poll often, so a feed is rebuilt only when a cheap version stamp (counts
and last-change times of the tables a feed reads) differs from the one it was built for. Its links are
built on ``UPR_BASE_URL``, never on a request's Host header, so a forged one cannot reach the cache.

A team's feed is the team's business: only its members (and admins) create one, and every member sees
and may revoke the team's feeds, whoever made them.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import OrderedDict
from dataclasses import dataclass
from datetime import date
from threading import Lock

from flask_babel import force_locale
from sqlalchemy import and_, func, or_, select

from crm.auth.models import Role, User
from crm.contacts.models import Contact, Task
from crm.db import db, utcnow
from crm.i18n import SOURCE_LANGUAGE
from crm.models import Review
from crm.teams.models import Team, team_memberships
from upr_calendar.exports import CalendarExport, Scope, build_export
from upr_calendar.ical import build_calendar
from upr_calendar.items import CalendarError
from upr_calendar.models import Event, FeedScope, FeedToken, OfficialDate, SensitiveDate, TreatyEvent
from upr_calendar.translate import _

CACHE_SIZE = 256


@dataclass(frozen=True)
class BuiltFeed:
    version: str
    etag: str
    body: str


_cache: OrderedDict[int, BuiltFeed] = OrderedDict()
_cache_lock = Lock()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def may_manage_team_feeds(user: User, team_id: int | None) -> bool:
    """Admins, and the members of team ``team_id``, create, see and revoke that team's feeds."""
    return user.role is Role.ADMIN or (team_id is not None and team_id in user.team_ids)


def create_token(
    owner: User, scope: FeedScope, *, team: Team | None = None, review: Review | None = None
) -> tuple[FeedToken, str]:
    """A new feed and its secret token, which the caller shows once and never stores."""
    if scope is FeedScope.TEAM and team is None:
        raise CalendarError(_("Choose the team whose calendar to subscribe to."))
    if scope is FeedScope.TEAM and team is not None and not may_manage_team_feeds(owner, team.id):
        raise CalendarError(_("You can subscribe to the calendars of your own teams only."))
    if scope is FeedScope.REVIEW and review is None:
        raise CalendarError(_("Choose the review whose calendar to subscribe to."))
    token = secrets.token_urlsafe(32)
    row = FeedToken(
        token_hash=hash_token(token),
        scope=scope,
        owner=owner,
        team=team if scope is FeedScope.TEAM else None,
        review=review if scope is FeedScope.REVIEW else None,
    )
    # The stored label is the English one; pages and feeds name a feed in their reader's language.
    with force_locale("en"):
        row.label = feed_label(row)
    db.session.add(row)
    return row, token


def feed_label(row: FeedToken) -> str:
    """What a feed is called in the current language: "Ana's deadlines", "Team Asia", "Review CHN-4"."""
    if row.scope is FeedScope.TEAM and row.team is not None:
        return _("Team %(name)s", name=row.team.name)
    if row.scope is FeedScope.REVIEW and row.review is not None:
        return _("Review %(code)s", code=row.review.code)
    if row.scope is FeedScope.USER:
        return _("%(name)s's deadlines", name=row.owner.display_name)
    return row.label


def find_token(token: str) -> FeedToken | None:
    """The live feed for a token, or None for a revoked, unknown or malformed one (all look the same)."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(select(FeedToken).where(FeedToken.token_hash == hash_token(token)))
    return row if row is not None and row.revoked_at is None else None


def may_revoke(row: FeedToken, user: User) -> bool:
    """The feed's owner, an admin, and for a team's feed every member of the team."""
    if user.id == row.owner_id or user.role is Role.ADMIN:
        return True
    return row.scope is FeedScope.TEAM and may_manage_team_feeds(user, row.team_id)


def revoke_token(row: FeedToken, by: User) -> None:
    if not may_revoke(row, by):
        raise CalendarError(_("Only the feed's owner, its team or an administrator can revoke it."))
    row.revoked_at = row.revoked_at or utcnow()
    with _cache_lock:
        _cache.pop(row.id, None)


def list_tokens(user: User) -> list[FeedToken]:
    """The live feeds ``user`` may see and revoke: their own, their teams', and all for an admin."""
    query = select(FeedToken).where(FeedToken.revoked_at.is_(None)).order_by(FeedToken.created_at)
    if user.role is not Role.ADMIN:
        teams = sorted(user.team_ids)
        query = query.where(
            or_(
                FeedToken.owner_id == user.id,
                and_(FeedToken.scope == FeedScope.TEAM, FeedToken.team_id.in_(teams)),
            )
        )
    return list(db.session.scalars(query))


def feed_export(row: FeedToken, today: date) -> CalendarExport:
    """A review's feed holds the whole review; a team's or a person's the usual window."""
    if row.scope is FeedScope.TEAM:
        return build_export(Scope(team=row.team), today)
    if row.scope is FeedScope.REVIEW:
        return build_export(Scope(review=row.review), today)
    return build_export(Scope(user=row.owner), today)


def version_stamp(row: FeedToken, today: date) -> str:
    """A digest of what a feed depends on, from a handful of aggregate queries (no feed is built); its
    owner's language is part of it, since the feed is written in that language."""
    parts: list[object] = [row.id, row.scope.value, row.team_id, row.review_id, today.isoformat()]
    parts.append(feed_language(row))
    for model in (Event, OfficialDate, TreatyEvent):
        parts += db.session.execute(select(func.count(), func.max(model.updated_at))).one()
    parts += db.session.execute(select(func.count(), func.max(SensitiveDate.id))).one()
    parts += db.session.execute(select(func.count()).select_from(team_memberships)).one()
    parts += db.session.execute(
        select(
            Review.id, Review.updated_at, Review.review_date, Review.outcome_adopted_on, Review.team_id
        ).order_by(Review.id)
    ).all()
    parts += _task_stamp()
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def _task_stamp() -> list[object]:
    """Tasks have no edit time: their count, newest id, done count and latest due day stand in for one.

    Contacts' last edit is part of it too, because a contact becoming at risk changes how their tasks read.
    """
    return [
        *db.session.execute(
            select(func.count(), func.max(Task.id), func.count(Task.done_at), func.max(Task.due_on))
        ).one(),
        db.session.scalar(select(func.max(Contact.updated_at))),
    ]


def etag_for(version: str) -> str:
    """The entity tag (unquoted) for a version: a feed's tag changes exactly when its inputs do."""
    return version[:32]


def cached_feed(row: FeedToken, version: str) -> BuiltFeed | None:
    with _cache_lock:
        built = _cache.get(row.id)
        if built is not None and built.version == version:
            _cache.move_to_end(row.id)
            return built
    return None


def feed_language(row: FeedToken) -> str:
    """A feed belongs to its owner: it is written in their language, whoever's calendar app fetches it."""
    return row.owner.language or SOURCE_LANGUAGE


def build_feed(row: FeedToken, version: str, today: date, base_url: str) -> BuiltFeed:
    # Names and kinds are worded as the agenda is built (and the sensitive-date and at-risk rules applied
    # there), so the whole export is built in the owner's language, not the fetching client's.
    with force_locale(feed_language(row)):
        export = feed_export(row, today)
        body = build_calendar(
            export.items,
            f"UPR Outreach · {feed_label(row)}",
            base_url=base_url,
            description=export.description(),
        )
    built = BuiltFeed(version, etag_for(version), body)
    with _cache_lock:
        _cache[row.id] = built
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return built
