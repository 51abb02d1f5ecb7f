"""Who may see what: public views, role checks and team membership."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import abort
from flask_login import current_user

from crm.auth.models import Role

F = TypeVar("F", bound=Callable[..., Any])

EDITOR_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.OFFICER)
COORDINATOR_ROLES = (Role.ADMIN, Role.COORDINATOR)


def same_site_path(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None: redirecting to anything else is an open redirect.

    Browsers read a backslash as a slash, so ``/\\evil.example`` means ``//evil.example``: another site.
    """
    if not target or not target.startswith("/") or any(c == "\\" or ord(c) < 32 for c in target):
        return None
    if target.startswith("//") or urlsplit(target).netloc:
        return None
    return target


_public_views: set[Callable[..., Any]] = set()


def public(view: F) -> F:
    """Mark a view that needs no sign-in (the sign-in page, health check, token feeds, unsubscribe)."""
    _public_views.add(view)
    return view


def is_public(view: Callable[..., Any]) -> bool:
    return view in _public_views


def require_role(*roles: Role) -> Callable[[F], F]:
    """Refuse (403) a signed-in user whose role is not one of ``roles``."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated or current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapper)

    return decorator
