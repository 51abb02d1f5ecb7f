"""The application factory: wires the crm, calendar and outreach packages into one Flask app."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask, has_request_context, redirect, render_template, request, session, url_for
from flask_babel import Babel
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from crm.auth.access import is_public
from crm.auth.models import User
from crm.auth.services import HASHER_KEY, STANDARD_HASHER, TESTING_HASHER
from crm.auth.web import signed_in_user, two_factor_gate
from crm.dates import format_day, format_instant, format_long_day, format_number
from crm.db import db
from crm.i18n import LANGUAGES, current_language, language_of
from upr import security
from upr.config import Settings
from upr.plugins import blueprints

ROOT = Path(__file__).resolve().parents[1]
# The top navigation; an entry shows only when its blueprint is registered.
NAV_ITEMS = (
    ("dashboard.index", _l("Dashboard")),
    ("recommendations.index", _l("Recommendations")),
    ("reviews.states", _l("States")),
    ("contacts.index", _l("Contacts")),
    ("teams.board", _l("Teams")),
    ("calendar.agenda", _l("Calendar")),
    ("outreach.campaigns", _l("Campaigns")),
    ("outreach.outbox", _l("Outbox")),
)
log = logging.getLogger(__name__)
csrf = CSRFProtect()
login_manager = LoginManager()


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides settings (lower-case keys) and Flask options (upper-case)."""
    config = dict(config or {})
    flask_options = {key: config.pop(key) for key in list(config) if key.isupper()}
    settings = Settings.from_env(overrides=config)

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(settings.instance_path.resolve()),
    )
    app.config.update(
        SECRET_KEY=settings.secret_key,
        PERMANENT_SESSION_LIFETIME=settings.session_lifetime,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session, which expires itself
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
        UPR_SETTINGS=settings,
        TESTING=settings.environment == "testing",
    )
    app.config.update(flask_options)
    if settings.database_url.startswith("sqlite"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    if settings.trusted_proxies:
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]  # Flask's middleware hook
    db.configure(settings.database_url)
    csrf.init_app(app)
    security.install(app, https=settings.base_url.startswith("https://"))
    _init_login(app, settings)
    app.extensions[HASHER_KEY] = TESTING_HASHER if settings.environment == "testing" else STANDARD_HASHER
    _init_languages(app, settings)
    _register_blueprints(app)
    _register_error_pages(app)
    app.jinja_env.globals["settings"] = settings
    app.jinja_env.globals["page_url"] = _page_url
    app.jinja_env.filters.update(
        day=format_day, long_day=format_long_day, instant=format_instant, number=format_number
    )
    app.jinja_env.globals["nav_items"] = lambda: [
        (endpoint, label) for endpoint, label in NAV_ITEMS if endpoint in app.view_functions
    ]

    @app.teardown_appcontext
    def remove_session(_exc: BaseException | None) -> None:
        db.session.remove()

    return app


def _page_url(page: int) -> str:
    """The current page's URL with its filters kept and another page number."""
    # Every value of a filter that takes several (themes, states), not only the first.
    args: dict[str, Any] = {**request.args.to_dict(flat=False), "page": page}
    return url_for(request.endpoint or "dashboard.index", **(request.view_args or {}), **args)


def _init_languages(app: Flask, settings: Settings) -> None:
    """Flask-Babel with the catalogues in ``translations/``; each request in the language its reader chose."""
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")

    def select_language() -> str:
        if not has_request_context():
            return settings.cli_language
        if current_user.is_authenticated and current_user.language in LANGUAGES:
            return str(current_user.language)
        chosen = session.get("language")
        if chosen in LANGUAGES:
            return str(chosen)
        return language_of(request.accept_languages.best_match(list(LANGUAGES)))

    Babel(app, locale_selector=select_language)
    # Sentences in {% trans %} blocks are written across lines in templates; their message is one line.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.globals.update(interface_languages=LANGUAGES, current_language=current_language)


def _init_login(app: Flask, settings: Settings) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = _l("Please sign in to see that page.")
    login_manager.session_protection = "strong"

    @login_manager.user_loader  # type: ignore[untyped-decorator]  # flask-login ships no type hints
    def load_user(user_id: str) -> User | None:
        return signed_in_user(user_id, settings.session_lifetime)

    @app.before_request
    def require_sign_in() -> Response | None:
        view = app.view_functions.get(request.endpoint or "")
        if request.endpoint == "static" or view is None or is_public(view):
            return None
        if not current_user.is_authenticated:
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        return two_factor_gate(settings.require_2fa)


def _register_blueprints(app: Flask) -> None:
    for blueprint in blueprints():
        app.register_blueprint(blueprint)

    from crm.auth.access import public

    @app.route("/health")
    @public
    def health() -> tuple[dict[str, str], int]:
        try:
            db.session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return {"status": "error", "database": "unreachable"}, 503
        return {"status": "ok", "database": "ok"}, 200

    @app.route("/")
    def home() -> Response:
        return redirect(url_for("dashboard.index"))


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        message = _(
            "The form had expired or was sent from another site. Please reload the page and try again."
        )
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        messages = {
            403: _("You do not have permission to see or change this."),
            404: _("There is nothing at this address."),
        }
        message = messages.get(code, error.description or "")
        return render_template("error.html", code=code, message=message), code

    @app.errorhandler(SQLAlchemyError)
    def database_error(error: SQLAlchemyError) -> tuple[str, int]:
        db.session.rollback()
        log.exception("database error on %s", request.path)
        message = _("The database could not complete this request. Nothing was changed; please try again.")
        return render_template("error.html", code=503, message=message), 503

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        log.exception("unexpected error on %s", request.path)
        return render_template("error.html", code=500, message=_("Something went wrong on our side.")), 500
