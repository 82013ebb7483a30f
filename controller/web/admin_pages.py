"""Page: nav_admin (placeholder until the page is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

from controller.auth.gate import requires

bp = Blueprint("admin_pages", __name__)


@bp.get("/admin")
@requires("admin", read="admin")
def admin():  # type: ignore[no-untyped-def]
    return render_template("placeholder.html", title_key="nav_admin")
