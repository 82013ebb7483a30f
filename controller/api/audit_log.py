"""``GET /api/v1/audit``: the audit log (who did what, when), for leaders and administrators.

Filters: ``user`` (exact username), ``action`` (``user.create`` or a prefix such as ``user``),
``from``/``to`` (RFC 3339 with offset, or a local day ``YYYY-MM-DD``; ``to`` as a day includes
it), ``limit`` (default 200, at most 2000). Newest first.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, jsonify, request
from pydantic import BaseModel

from controller.api import context
from controller.api.spec import api_doc
from controller.auth.gate import requires
from controller.dispatch import play_log
from controller.dispatch.play_log import FilterError
from controller.errors import ApiError
from controller.reports import audit_trail

bp = Blueprint("audit_log", __name__, url_prefix="/api/v1/audit")


class AuditOut(BaseModel):
    id: int
    at: datetime
    username: str
    action: str
    target_type: str
    target_id: str
    detail: dict[str, Any] = {}


def _filter(args: Any, tz: ZoneInfo) -> audit_trail.AuditFilter:
    since = (
        play_log.parse_bound("from", args["from"], tz, upper=False) if args.get("from") else None
    )
    until = play_log.parse_bound("to", args["to"], tz, upper=True) if args.get("to") else None
    if since is not None and until is not None and until <= since:
        raise FilterError("'to' phải sau 'from'.", "'to' must be after 'from'.")
    limit = play_log.parse_limit(
        args.get("limit"), audit_trail.DEFAULT_LIMIT, audit_trail.MAX_LIMIT
    )
    return audit_trail.AuditFilter(
        username=args.get("user") or None,
        action=args.get("action") or None,
        since=since,
        until=until,
        limit=limit,
    )


@bp.get("")
@requires("admin", read="approve")
@api_doc(
    "The audit log, newest first (admin, approver)",
    list_of=AuditOut,
    query={
        "user": "only this username",
        "action": "an action (user.create) or its prefix (user)",
        "from": "from this instant (RFC 3339 with offset) or day (YYYY-MM-DD)",
        "to": "before this instant, or up to the end of this day",
        "limit": f"at most this many (default {audit_trail.DEFAULT_LIMIT}, "
        f"max {audit_trail.MAX_LIMIT})",
    },
)
def list_audit():  # type: ignore[no-untyped-def]
    tz = ZoneInfo(context.config().site.timezone)
    try:
        filt = _filter(request.args, tz)
    except FilterError as exc:
        raise ApiError(422, "validation", exc.message_vi, exc.message_en) from None
    rows = audit_trail.find_entries(context.session(), context.site_id(), filt)
    items = [
        AuditOut(
            id=r.id,
            at=r.at.astimezone(tz),
            username=r.username,
            action=r.action,
            target_type=r.target_type,
            target_id=r.target_id,
            detail=r.detail or {},
        ).model_dump(mode="json")
        for r in rows
    ]
    return jsonify({"items": items})
