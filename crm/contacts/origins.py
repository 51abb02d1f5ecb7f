"""What an interaction followed (a planned meeting), told by the area that owns it.

An interaction may record its origin as ``"<prefix>:<id>"``, e.g. ``calendar-event:12``. The contacts area
does not know what a calendar event is (the calendar builds on contacts), so the owning area registers a
resolver for its prefix with the app; the interaction form asks it to prefill the log of a meeting, and
pages ask it for the link back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask.sansio.app import App

from crm.contacts.models import InteractionKind

_EXTENSION = "crm.contacts.interaction_origins"


@dataclass(frozen=True)
class Origin:
    """What an interaction followed, with what the log of it can start from."""

    key: str
    label: str
    url: str
    kind: InteractionKind = InteractionKind.MEETING
    occurred_at: datetime | None = None
    timezone: str = "UTC"
    contact_ids: list[int] = field(default_factory=list)


OriginResolver = Callable[[int], Origin | None]


def register_origin(app: App, prefix: str, resolver: OriginResolver) -> None:
    resolvers: dict[str, OriginResolver] = app.extensions.setdefault(_EXTENSION, {})
    resolvers[prefix] = resolver


def resolve_origin(key: str | None) -> Origin | None:
    """The origin ``key`` names, or None for an empty, malformed or unknown one (or one since deleted)."""
    prefix, _, number = (key or "").partition(":")
    resolvers: dict[str, OriginResolver] = current_app.extensions.get(_EXTENSION, {})
    resolver = resolvers.get(prefix)
    if resolver is None or not number.isdigit():
        return None
    return resolver(int(number))
