"""Structured logs: one JSON line per event, with the request id on every web log line."""

from __future__ import annotations

import logging
import sys
import uuid

from flask import Flask, g, has_request_context, request
from pythonjsonlogger.json import JsonFormatter


class _RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = g.get("request_id", "") if has_request_context() else ""
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Send JSON lines to stderr (idempotent)."""
    root = logging.getLogger()
    if any(getattr(h, "_tt_json", False) for h in root.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            rename_fields={"asctime": "ts", "levelname": "level", "name": "logger"},
        )
    )
    handler.addFilter(_RequestIdFilter())
    handler._tt_json = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)


def init_request_logging(app: Flask) -> None:
    log = logging.getLogger("controller.http")

    @app.before_request
    def _assign_id() -> None:
        g.request_id = request.headers.get("X-Request-Id", "")[:40] or uuid.uuid4().hex[:16]

    @app.after_request
    def _log(response):  # type: ignore[no-untyped-def]
        response.headers["X-Request-Id"] = g.get("request_id", "")
        log.info(
            "request",
            extra={"method": request.method, "path": request.path, "status": response.status_code},
        )
        return response
