"""Page: nav_library (placeholder until the page is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

from controller.auth.gate import requires

bp = Blueprint("library_pages", __name__)


@bp.get("/library")
@requires("library", read="library")
def library():  # type: ignore[no-untyped-def]
    return render_template("placeholder.html", title_key="nav_library")
