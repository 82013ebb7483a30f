"""Page: nav_schedule (placeholder until the page is built)."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("schedule_pages", __name__)


@bp.get("/schedule")
def calendar():  # type: ignore[no-untyped-def]
    return render_template("placeholder.html", title_key="nav_schedule")
