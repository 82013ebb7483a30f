"""Errors: JSON ``{"error": {"code", "message"}}`` for the API, an HTML page for people.

Views raise ``ApiError``; HTTP exceptions and unexpected errors are turned into the same shape.
Requests for ``/api/`` and ``/healthz``, and scripts asking for JSON, get the JSON error; a
browser opening a page gets a page in the site's layout (``controller.web.error_pages``).
Messages are Vietnamese unless the client asks for English.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, jsonify
from sqlalchemy.exc import DataError, OperationalError
from werkzeug.exceptions import HTTPException

from controller.i18n import request_locale
from controller.messages import message

log = logging.getLogger(__name__)

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "validation",
    429: "rate_limited",
    503: "unavailable",
}


class ApiError(Exception):
    """An error answered as JSON; ``message`` overrides the catalogue text when given."""

    def __init__(
        self,
        status: int,
        code: str,
        message_vi: str | None = None,
        message_en: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en
        self.extra = extra

    def text(self, locale: str) -> str:
        if locale == "en" and self.message_en:
            return self.message_en
        if self.message_vi and locale != "en":
            return self.message_vi
        return message(self.code, locale)


def error_response(err: ApiError) -> Response:
    """The answer for ``err``: an HTML page for a browser, the JSON error otherwise."""
    # Imported here: the web layer builds on this module, not the other way round.
    from controller.web.error_pages import render_error_page, wants_html_page

    if wants_html_page():
        custom = err.message_vi or err.message_en
        return render_error_page(err.status, err.text(request_locale()) if custom else None)
    body: dict[str, Any] = {"code": err.code, "message": err.text(request_locale())}
    body.update(err.extra)
    resp = jsonify({"error": body})
    resp.status_code = err.status
    return resp


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(ApiError, error_response)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):  # type: ignore[no-untyped-def]
        if exc.code is None or exc.code < 400:
            return exc  # routing redirects (a missing trailing slash) are not errors
        code = _STATUS_CODES.get(exc.code or 500, "bad_request")
        return error_response(ApiError(exc.code or 500, code))

    @app.errorhandler(OperationalError)
    def _db_down(exc: OperationalError):  # type: ignore[no-untyped-def]
        log.error("database unavailable", extra={"error": str(exc.orig)[:200]})
        return error_response(ApiError(503, "database_unavailable"))

    @app.errorhandler(DataError)
    def _bad_value(exc: DataError):  # type: ignore[no-untyped-def]
        # The database refused a value the checks let through (PostgreSQL: a NUL character,
        # an id beyond INTEGER): the request's fault, not the server's.
        log.warning("database refused a value", extra={"error": str(exc.orig)[:200]})
        return error_response(
            ApiError(
                422,
                "validation",
                "Dữ liệu không hợp lệ (ký tự hoặc số không được hỗ trợ).",
                "Invalid data (unsupported character or number).",
            )
        )

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        log.exception("unhandled error")
        return error_response(ApiError(500, "internal"))
