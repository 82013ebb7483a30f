"""Page: nav_greeting (placeholder until the page is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

from controller.auth.gate import requires

bp = Blueprint("greeting_pages", __name__)


@bp.get("/greeting")
@requires("record", read="record")
def recorder():  # type: ignore[no-untyped-def]
    return render_template("placeholder.html", title_key="nav_greeting")
