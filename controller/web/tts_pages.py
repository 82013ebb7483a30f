"""Page: nav_tts (placeholder until the page is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

from controller.auth.gate import requires

bp = Blueprint("tts_pages", __name__)


@bp.get("/tts")
@requires("tts", read="tts")
def composer():  # type: ignore[no-untyped-def]
    return render_template("placeholder.html", title_key="nav_tts")
