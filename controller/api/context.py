"""Per-request helpers for API views: the database session and the caller's site."""

from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from controller.config import Config
from controller.db.session import Database


def db() -> Database:
    return current_app.extensions["tt.db"]


def config() -> Config:
    return current_app.extensions["tt.config"]


def session() -> Session:
    """The request's session; committed by the view, closed at teardown."""
    if "db_session" not in g:
        g.db_session = db().sessions()
    return g.db_session


def site_id() -> str:
    """The caller's commune: the user's own, else the configured site."""
    principal = g.get("principal")
    if principal is not None and principal.site_id:
        return principal.site_id
    return config().site.id


def close_session(_exc: BaseException | None = None) -> None:
    sess = g.pop("db_session", None)
    if sess is not None:
        sess.close()


def principal_name() -> str:
    principal = g.get("principal")
    return principal.username if principal is not None else "system"
