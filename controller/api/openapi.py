"""``GET /api/v1/openapi.json``: the generated OpenAPI 3 document."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from controller.api.spec import build_openapi

bp = Blueprint("openapi", __name__)


@bp.get("/api/v1/openapi.json")
def openapi_document():  # type: ignore[no-untyped-def]
    if "tt.openapi" not in current_app.extensions:
        current_app.extensions["tt.openapi"] = build_openapi(current_app)
    return jsonify(current_app.extensions["tt.openapi"])
