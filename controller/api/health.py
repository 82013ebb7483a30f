"""``GET /healthz``: database and broker reachability, without login (for load balancers)."""

from __future__ import annotations

import socket

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from controller.api import context
from controller.api.schemas import HealthOut
from controller.api.spec import api_doc

bp = Blueprint("health", __name__)


def _database_ok() -> bool:
    try:
        with context.db().engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 - any failure means "not reachable"
        return False


def _broker_ok() -> bool:
    link = current_app.extensions.get("tt.mqtt")
    if link is not None:
        return bool(link.is_connected())
    cfg = context.config().mqtt
    try:
        with socket.create_connection((cfg.host, cfg.port), timeout=1.0):
            return True
    except OSError:
        return False


@bp.get("/healthz")
@api_doc("Health of the controller, its database and its broker", response=HealthOut, auth=False)
def healthz():  # type: ignore[no-untyped-def]
    database = "ok" if _database_ok() else "unreachable"
    broker = "ok" if _broker_ok() else "unreachable"
    healthy = database == "ok" and broker == "ok"
    body = {"status": "ok" if healthy else "degraded", "database": database, "broker": broker}
    return jsonify(body), 200 if healthy else 503
