"""Page: nav_approval (placeholder until the page is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

from controller.auth.gate import requires

bp = Blueprint("approval_pages", __name__)


@bp.get("/approvals")
@requires("approve", read="approve")
def queue():  # type: ignore[no-untyped-def]
    return render_template("placeholder.html", title_key="nav_approval")
