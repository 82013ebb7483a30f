"""Flask app factory: wires config, database, authentication, the API and the web UI.

``create_app`` does no network I/O: the MQTT dispatcher and the scheduler are started by the
``serve`` command (``controller.serve``), so tests can build an app cheaply.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter, Map

from controller.api import context
from controller.config import Config, load_config
from controller.db import migrate
from controller.db.session import Database
from controller.errors import register_error_handlers
from controller.logging_setup import configure_logging, init_request_logging
from controller.secrets_store import read_or_create_secret
from controller.security_headers import init_security_headers


class DatabaseIntConverter(IntegerConverter):
    """``<int:...>`` limited to what an INTEGER column holds (SQLite and PostgreSQL)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


limiter = Limiter(key_func=get_remote_address, default_limits=[])


def create_app(config: Config | None = None, *, run_migrations: bool = True) -> Flask:
    """Build the controller's Flask app for ``config`` (defaults: the repo's config.toml)."""
    config = config or load_config()
    configure_logging()
    app = Flask(__name__, static_folder="web/static", template_folder="web/templates")
    secret_file = config.path(config.server.secret_key_file)
    app.config.update(
        SECRET_KEY=read_or_create_secret(secret_file, "TT_SECRET_KEY"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.server.secure_cookies,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=config.audio.max_upload_bytes + 1024 * 1024,
        JSON_SORT_KEYS=False,
        RATELIMIT_STORAGE_URI=config.security.ratelimit_storage,
    )
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    if config.server.trusted_proxies:
        hops = config.server.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)  # type: ignore[method-assign]
    database = Database(config.database_url)
    if run_migrations:
        migrate.upgrade(database)
    app.extensions["tt.config"] = config
    app.extensions["tt.db"] = database
    app.teardown_appcontext(context.close_session)
    # Ids in URLs fit the database's INTEGER: a longer number is a plain 404, not an overflow.
    app.url_map.converters["int"] = DatabaseIntConverter
    init_request_logging(app)
    init_security_headers(app)
    _init_security(app)
    register_error_handlers(app)
    _register_blueprints(app)
    return app


def _init_security(app: Flask) -> None:
    from controller.auth.gate import init_gate

    limiter.init_app(app)
    init_gate(app)


def _register_blueprints(app: Flask) -> None:
    from controller.api import (
        audit_log,
        broadcasts,
        calendar,
        health,
        jobs,
        media,
        nodes,
        openapi,
        plans,
        plays,
        programs,
        signing_key,
        tts,
        users,
        zones,
    )
    from controller.web import (
        admin_pages,
        approval_pages,
        auth_views,
        broadcast_pages,
        greeting_pages,
        library_pages,
        pages,
        report_pages,
        schedule_pages,
        tts_pages,
    )
    from controller.web.template_context import init_template_context

    init_template_context(app)
    api = (
        health,
        openapi,
        zones,
        nodes,
        users,
        media,
        tts,
        jobs,
        programs,
        calendar,
        plans,
        broadcasts,
        plays,
        signing_key,
        audit_log,
    )
    web = (
        auth_views,
        pages,
        library_pages,
        tts_pages,
        greeting_pages,
        schedule_pages,
        approval_pages,
        broadcast_pages,
        report_pages,
        admin_pages,
    )
    for module in (*api, *web):
        app.register_blueprint(module.bp)
