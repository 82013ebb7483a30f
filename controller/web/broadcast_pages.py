"""Phát ngay / Khẩn cấp: broadcast now to chosen hamlets, emergency to all, stop everything.

The page only renders the choices; ``static/js/broadcast.js`` confirms in a dialog, calls
``POST /api/v1/broadcasts`` (or ``/stop``) and polls ``GET /api/v1/broadcasts/{id}`` to show each
loudspeaker's acknowledgement and playback live.
"""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from controller.api import context
from controller.auth.gate import requires
from controller.db.models import MediaItem, Node, Zone
from controller.reports.records import format_duration
from controller.web.ui_text import TEXT, t

bp = Blueprint("broadcast_pages", __name__)
MEDIA_LIMIT = 500


def area_texts(prefix: str) -> dict[str, str]:
    """Every word of this page for its script, keyed without the prefix, in the UI language."""
    return {key.removeprefix(prefix): t(key) for key in TEXT if key.startswith(prefix)}


@bp.get("/broadcast")
@requires("broadcast", read="broadcast")
def broadcast():  # type: ignore[no-untyped-def]
    sess, site = context.session(), context.site_id()
    zones = list(sess.scalars(select(Zone).where(Zone.site_id == site).order_by(Zone.id)))
    nodes = sess.scalars(select(Node).where(Node.site_id == site).order_by(Node.id))
    zone_names = {z.id: z.name for z in zones}
    media = sess.scalars(
        select(MediaItem)
        .where(MediaItem.site_id == site)
        .order_by(MediaItem.created_at.desc(), MediaItem.id.desc())
        .limit(MEDIA_LIMIT)
    )
    page_data = {
        "text": area_texts("bc_"),
        "nodes": {
            n.id: {"name": n.name or n.id, "zone": zone_names.get(n.zone_id, "")} for n in nodes
        },  # fmt: skip
        "zones": zone_names,
        "site": context.config().site.name,
        "lead_ms": context.config().dispatch.lead_ms,
    }
    return render_template(
        "broadcast.html",
        zones=zones,
        media=[(m, format_duration(m.duration_ms / 1000)) for m in media],
        page_data=page_data,
    )
