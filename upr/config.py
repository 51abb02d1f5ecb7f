"""Typed configuration read from ``UPR_*`` environment variables.

A missing secret is a start-up error outside demo and development mode: a silent default secret would
let anyone forge sessions on a real deployment.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from crm.i18n import LANGUAGES, gettext_outside_app, language_of

ENVIRONMENTS = ("production", "development", "demo", "testing")


class ConfigError(Exception):
    """The configuration cannot start the app; the message says what to change."""


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment, already validated."""

    environment: str
    database_url: str
    secret_key: str
    smtp_url: str | None
    base_url: str
    instance_path: Path
    session_lifetime: timedelta
    scheduler_enabled: bool
    sweep_interval_seconds: int
    require_2fa: bool = False
    trusted_proxies: int = 0
    cli_language: str = "en"

    @property
    def is_demo(self) -> bool:
        return self.environment in ("demo", "development")

    @classmethod
    def from_env(
        cls, environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
    ) -> Settings:
        env = dict(os.environ if environ is None else environ)
        over = dict(overrides or {})
        environment = str(over.pop("environment", env.get("UPR_ENV", "production"))).lower()
        if environment not in ENVIRONMENTS:
            raise ConfigError(
                gettext_outside_app(
                    "UPR_ENV is %(value)s; use one of: %(choices)s.",
                    value=repr(environment),
                    choices=", ".join(ENVIRONMENTS),
                )
            )
        instance_path = Path(over.pop("instance_path", env.get("UPR_INSTANCE_PATH", Path.cwd() / "instance")))
        database_url = str(
            over.pop("database_url", None)
            or env.get("UPR_DATABASE_URL")
            or f"sqlite:///{instance_path / 'upr.sqlite3'}"
        )
        secret_key = over.pop("secret_key", None) or env.get("UPR_SECRET_KEY")
        if not secret_key:
            if environment == "production":
                raise ConfigError(
                    gettext_outside_app(
                        "UPR_SECRET_KEY is not set. Set it to a long random string "
                        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))'), "
                        "or set UPR_ENV=demo to try the app with a key kept in its instance folder."
                    )
                )
            secret_key = secrets.token_urlsafe(48) if environment == "testing" else _kept_key(instance_path)
        lifetime_minutes = int(over.pop("session_minutes", env.get("UPR_SESSION_MINUTES", "480")))
        values: dict[str, Any] = {
            "environment": environment,
            "database_url": database_url,
            "secret_key": str(secret_key),
            "smtp_url": over.pop("smtp_url", None) or env.get("UPR_SMTP_URL") or None,
            "base_url": str(over.pop("base_url", env.get("UPR_BASE_URL", "http://127.0.0.1:5000"))).rstrip(
                "/"
            ),
            "instance_path": instance_path,
            "session_lifetime": timedelta(minutes=lifetime_minutes),
            "scheduler_enabled": _flag(over.pop("scheduler_enabled", env.get("UPR_SCHEDULER", "1"))),
            "sweep_interval_seconds": int(
                over.pop("sweep_interval_seconds", env.get("UPR_SWEEP_SECONDS", "60"))
            ),
            # Admins and coordinators must sign in with a second factor.
            "require_2fa": _flag(over.pop("require_2fa", env.get("UPR_REQUIRE_2FA", "0"))),
            # How many reverse proxies in front of the app set X-Forwarded-For (the sign-in throttle
            # counts per client address, and without this every client would share the proxy's).
            "trusted_proxies": int(over.pop("trusted_proxies", env.get("UPR_TRUSTED_PROXIES", "0"))),
            # The language of the upr command's messages (the web app follows each person's choice).
            "cli_language": _language(str(over.pop("cli_language", env.get("UPR_LANGUAGE", "en")))),
        }
        if over:
            raise ConfigError(
                gettext_outside_app("Unknown configuration keys: %(keys)s.", keys=", ".join(sorted(over)))
            )
        return cls(**values)


DEMO_KEY_FILE = "demo-secret-key"


def _kept_key(instance_path: Path) -> str:
    """Demo and development generate one key and keep it in the instance folder (readable by the owner only).

    Signed links in mails (unsubscribe) and sign-ins must keep working after a restart and between the CLI
    that sends mail and the server that answers the links. An unwritable folder gets a key for this
    process only.
    """
    path = instance_path / DEMO_KEY_FILE
    for _attempt in range(2):
        try:
            kept = path.read_text(encoding="ascii").strip()
        except FileNotFoundError:
            kept = ""
        if kept:
            return kept
        key = secrets.token_urlsafe(48)
        try:
            instance_path.mkdir(parents=True, exist_ok=True)
            # O_EXCL: two processes starting at once agree on the first key written.
            handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            continue
        except OSError:
            return key
        with os.fdopen(handle, "w", encoding="ascii") as written:
            written.write(key)
        return key
    return secrets.token_urlsafe(48)


def _language(tag: str) -> str:
    language = language_of(tag)
    if tag.strip() and language != tag.strip().lower().replace("_", "-").split("-")[0]:
        raise ConfigError(
            gettext_outside_app(
                "UPR_LANGUAGE is %(value)s; use one of: %(choices)s.",
                value=repr(tag),
                choices=", ".join(LANGUAGES),
            )
        )
    return language


def _flag(value: object) -> bool:
    return str(value).strip().lower() not in ("0", "false", "no", "off", "")
