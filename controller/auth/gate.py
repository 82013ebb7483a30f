"""The gate every request passes: who is calling, and may they do this?

Secure by default: every endpoint needs a logged-in user (session cookie or ``Authorization:
Bearer``) unless listed in ``PUBLIC_ENDPOINTS``; reads need the ``read`` capability unless the view
says otherwise; writes (POST/PUT/PATCH/DELETE) are refused unless the view declares the capability
they need with ``@requires``. Cookie-authenticated writes must carry a CSRF token.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, current_app, g, redirect, request, url_for
from flask_login import AnonymousUserMixin, LoginManager, UserMixin, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import select

from controller.auth.roles import allowed
from controller.auth.tokens import token_digest
from controller.db.models import ApiToken, User
from controller.db.types import utcnow
from controller.errors import ApiError

F = TypeVar("F", bound=Callable[..., Any])

PUBLIC_ENDPOINTS = frozenset(
    {"health.healthz", "auth.login", "static", "auth.set_language", "pages.favicon"}
)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

csrf = CSRFProtect()
login_manager = LoginManager()


@dataclass
class Principal(UserMixin):
    """The authenticated caller: a user, possibly acting through an API token."""

    user_id: int
    username: str
    role: str
    site_id: str | None
    full_name: str = ""
    via_token: bool = False

    def get_id(self) -> str:
        return str(self.user_id)


def _principal(user: User, via_token: bool = False) -> Principal:
    return Principal(user.id, user.username, user.role, user.site_id, user.full_name, via_token)


def requires(write: str, read: str = "read") -> Callable[[F], F]:
    """Declare the capability a view's writes need (and its reads, default ``read``)."""

    def mark(view: F) -> F:
        view._tt_capability = {"write": write, "read": read}  # type: ignore[attr-defined]
        return view

    return mark


@login_manager.user_loader
def _load_user(user_id: str) -> Principal | None:
    with current_app.extensions["tt.db"].session() as session:
        user = session.get(User, int(user_id)) if user_id.isdigit() else None
        return _principal(user) if user and user.active else None


@login_manager.request_loader
def _load_from_token(req: Any) -> Principal | None:
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    digest = token_digest(header[len("Bearer ") :].strip())
    with current_app.extensions["tt.db"].session() as session:
        token = session.scalars(
            select(ApiToken).where(ApiToken.token_hash == digest, ApiToken.revoked.is_(False))
        ).first()
        if token is None or not token.user.active:
            return None
        token.last_used_at = utcnow()
        return _principal(token.user, via_token=True)


@login_manager.unauthorized_handler
def _unauthorized():  # type: ignore[no-untyped-def]
    if request.path.startswith("/api/"):
        raise ApiError(401, "unauthorized")
    return redirect(url_for("auth.login", next=request.full_path))


def _view_capability(endpoint: str) -> dict[str, str] | None:
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "_tt_capability", None)


def _check_access() -> Any:
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return current_app.login_manager.unauthorized()
    user: Principal = current_user  # type: ignore[assignment]
    g.principal = user
    is_write = request.method in UNSAFE_METHODS
    if is_write and not user.via_token:
        csrf.protect()
    caps = _view_capability(endpoint) or {"read": "read"}
    needed = caps.get("write" if is_write else "read")
    if needed is None or not allowed(user.role, needed):
        raise ApiError(403, "forbidden")
    return None


def init_gate(app: Flask) -> None:
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config["WTF_CSRF_TIME_LIMIT"] = None
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.anonymous_user = AnonymousUserMixin
    app.before_request(_check_access)

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):  # type: ignore[no-untyped-def]
        from controller.errors import error_response

        return error_response(ApiError(400, "csrf"))
