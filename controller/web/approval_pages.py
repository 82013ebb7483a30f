"""Page: Duyệt nội dung, the approver's queue of programs waiting for approval.

Each pending program shows its playlist playable in the browser, its schedule in Vietnamese
words and its targets; the approver approves or rejects it with a comment (``js/approval.js``
calls ``/api/v1/programs/{id}/approve|reject`` after a confirmation). The officer then sees the
outcome on the schedule page.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from controller.api import context
from controller.auth.gate import requires
from controller.db.models import MediaItem, Program, User, Zone
from controller.scheduling.planning import clock, site_timezone
from controller.web.schedule_pages import (
    describe_schedule,
    first_occurrence,
    holiday_names,
    priority_text,
    status_text,
    targets_text,
    validity_text,
)

bp = Blueprint("approval_pages", __name__)

RECENT_DECISIONS = 10


def _pending(site_id: str) -> list[Program]:
    query = (
        select(Program)
        .where(Program.site_id == site_id, Program.status == "pending")
        .order_by(Program.updated_at, Program.id)
    )
    return list(context.session().scalars(query))


def _recent(site_id: str) -> list[Program]:
    query = (
        select(Program)
        .where(Program.site_id == site_id, Program.decided_at.is_not(None))
        .order_by(Program.decided_at.desc(), Program.id.desc())
        .limit(RECENT_DECISIONS)
    )
    return list(context.session().scalars(query))


def _media_of(programs: list[Program], site_id: str) -> dict[int, MediaItem]:
    ids = {m for p in programs for m in p.media_ids}
    if not ids:
        return {}
    query = select(MediaItem).where(MediaItem.site_id == site_id, MediaItem.id.in_(ids))
    return {m.id: m for m in context.session().scalars(query)}


def _zone_names(site_id: str) -> dict[str, str]:
    zones = context.session().scalars(select(Zone).where(Zone.site_id == site_id))
    return {z.id: z.name for z in zones}


def _full_names(programs: list[Program]) -> dict[str, str]:
    """Username -> full name of whoever submitted or decided these programs (when one is set)."""
    names = {p.created_by for p in programs} | {p.decided_by for p in programs if p.decided_by}
    if not names:
        return {}
    rows = context.session().execute(
        select(User.username, User.full_name).where(User.username.in_(names))
    )
    return {username: full_name for username, full_name in rows if full_name}


def _next_plays(programs: list[Program], site_id: str) -> dict[int, datetime | None]:
    """When each program would first sound if approved now (the approver's main question)."""
    sess, cfg, now = context.session(), context.config(), clock(current_app)
    return {p.id: first_occurrence(sess, cfg, site_id, p.id, now) for p in programs}


@bp.get("/approvals")
@requires("approve", read="approve")
def queue():  # type: ignore[no-untyped-def]
    sess, site_id = context.session(), context.site_id()
    pending, recent = _pending(site_id), _recent(site_id)
    return render_template(
        "approval.html",
        pending=pending,
        recent=recent,
        people=_full_names(pending + recent),
        media=_media_of(pending, site_id),
        next_plays=_next_plays(pending, site_id),
        zones=_zone_names(site_id),
        holiday_names=holiday_names(),
        tz=site_timezone(sess, context.config(), site_id),
        describe_schedule=describe_schedule,
        status_text=status_text,
        targets_text=targets_text,
        priority_text=priority_text,
        validity_text=validity_text,
    )
