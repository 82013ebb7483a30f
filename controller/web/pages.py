"""Server-rendered pages for officers and the chairman."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from controller.api import context
from controller.db.models import Zone

bp = Blueprint("pages", __name__)


@bp.get("/")
def dashboard():  # type: ignore[no-untyped-def]
    zones = context.session().scalars(
        select(Zone).where(Zone.site_id == context.site_id()).order_by(Zone.id)
    )
    return render_template("dashboard.html", zones=list(zones))
