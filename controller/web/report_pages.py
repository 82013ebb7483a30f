"""Page: nav_reports (placeholder until the page is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("report_pages", __name__)


@bp.get("/reports")
def reports():  # type: ignore[no-untyped-def]
    return render_template("placeholder.html", title_key="nav_reports")
