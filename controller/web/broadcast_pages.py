"""Page: nav_broadcast (placeholder until the page is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

from controller.auth.gate import requires

bp = Blueprint("broadcast_pages", __name__)


@bp.get("/broadcast")
@requires("broadcast", read="broadcast")
def broadcast():  # type: ignore[no-untyped-def]
    return render_template("placeholder.html", title_key="nav_broadcast")
