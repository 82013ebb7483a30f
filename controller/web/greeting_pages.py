"""Page: Ghi âm lời chúc (greeting recorder) for the chairman and officers.

Record with the microphone (or pick a phone recording), listen back, save it to the library as a
greeting, then submit it as a one-off program awaiting approval. Roles without the ``schedule``
capability (the chairman) stop after saving: the officer schedules, the chairman approves.
``static/js/greeting.js`` does the recording and calls ``/api/v1/media`` and ``/api/v1/programs``.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from controller.api import context
from controller.auth.gate import requires
from controller.auth.roles import allowed
from controller.db.models import Zone
from controller.web.library_pages import script_words

bp = Blueprint("greeting_pages", __name__)

DEFAULT_AIR_TIME = time(6, 0)  # the morning broadcast slot most communes keep


def utc_offset(when: datetime) -> str:
    """``+07:00`` style offset of an aware datetime (pure)."""
    offset = when.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def default_air_date(now_local: datetime) -> str:
    """Tomorrow in the commune's calendar, written dd/mm/yyyy (pure)."""
    return (now_local.date() + timedelta(days=1)).strftime("%d/%m/%Y")


@bp.get("/greeting")
@requires("record", read="record")
def recorder():  # type: ignore[no-untyped-def]
    cfg = context.config()
    now_local = datetime.now(ZoneInfo(cfg.site.timezone))
    zones = context.session().scalars(
        select(Zone).where(Zone.site_id == context.site_id()).order_by(Zone.id)
    )
    return render_template(
        "greeting.html",
        can_schedule=allowed(current_user.role, "schedule"),
        zones=list(zones),
        utc_offset=utc_offset(now_local),
        default_date=default_air_date(now_local),
        default_time=DEFAULT_AIR_TIME.strftime("%H:%M"),
        words=script_words("lib_", "greet_"),
    )
