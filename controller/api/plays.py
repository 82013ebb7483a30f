"""``GET /api/v1/plays``: the broadcast log (nhật ký phát thanh), as JSON pages or a CSV file.

Filters: ``node``, ``zone``, ``type``, ``from``/``to`` (RFC 3339 with offset, or a local day).
JSON pages go newest first, ``limit`` rows (default 1000, at most 10000) with ``next`` as the
``before`` cursor of the following page. ``format=csv`` streams every matching row oldest
first as UTF-8 CSV with a BOM and Vietnamese headers, ready for Excel.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, jsonify, request, stream_with_context
from pydantic import BaseModel
from sqlalchemy import Select, and_, or_, select

from controller.api import context
from controller.api.spec import api_doc
from controller.db.models import Node, PlayEvent, Site, Zone
from controller.dispatch import play_log
from controller.dispatch.play_log import Cursor, FilterError
from controller.errors import ApiError

bp = Blueprint("plays", __name__, url_prefix="/api/v1/plays")

DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
QUERY_DOC = {
    "node": "only this node",
    "zone": "only this zone",
    "type": "only this event type (started, finished, failed, ...)",
    "from": "from this instant (RFC 3339 with offset) or day (YYYY-MM-DD)",
    "to": "before this instant, or up to the end of this day",
    "limit": f"rows per page (default {DEFAULT_LIMIT}, max {MAX_LIMIT})",
    "before": "page cursor: the `next` value of the previous page",
    "format": "`csv` for an Excel-ready file",
}


class PlayOut(BaseModel):
    id: int
    node: str
    zone: str
    item: str
    type: str
    at: datetime
    title: str
    category: str
    duration_ms: int | None = None
    detail: dict[str, Any] = {}
    received_at: datetime


def _tz() -> ZoneInfo:
    return ZoneInfo(context.config().site.timezone)


def _filtered(args: Any) -> Select[tuple[PlayEvent]]:
    query = select(PlayEvent).where(PlayEvent.site_id == context.site_id())
    if args.get("node"):
        query = query.where(PlayEvent.node_id == args["node"])
    if args.get("zone"):
        query = query.where(PlayEvent.zone_id == args["zone"])
    if args.get("type"):
        if args["type"] not in play_log.EVENT_NAMES_VI:
            raise FilterError(
                f"type: '{args['type']}' không phải loại sự kiện hợp lệ.",
                f"type: unknown event type {args['type']!r}.",
            )
        query = query.where(PlayEvent.type == args["type"])
    lower = upper = None
    if args.get("from"):
        lower = play_log.parse_bound("from", args["from"], _tz(), upper=False)
        query = query.where(PlayEvent.at >= lower)
    if args.get("to"):
        upper = play_log.parse_bound("to", args["to"], _tz(), upper=True)
        query = query.where(PlayEvent.at < upper)
    if lower is not None and upper is not None and upper <= lower:
        raise FilterError("'to' phải sau 'from'.", "'to' must be after 'from'.")
    return query


def play_out(event: PlayEvent, tz: ZoneInfo) -> dict[str, Any]:
    body = PlayOut(
        id=event.id,
        node=event.node_id,
        zone=event.zone_id,
        item=event.item_id,
        type=event.type,
        at=event.at.astimezone(tz),
        title=event.title,
        category=event.category,
        duration_ms=event.duration_ms,
        detail=event.detail or {},
        received_at=event.received_at.astimezone(tz),
    ).model_dump(mode="json")
    return body


@bp.get("")
@api_doc("The broadcast log (proof of play)", list_of=PlayOut, query=QUERY_DOC)
def list_plays():  # type: ignore[no-untyped-def]
    try:
        query = _filtered(request.args)
        if request.args.get("format") == "csv":
            return _csv(query)
        if request.args.get("format") not in (None, "", "json"):
            raise FilterError("format chỉ nhận json hoặc csv.", "format must be json or csv.")
        limit = play_log.parse_limit(request.args.get("limit"), DEFAULT_LIMIT, MAX_LIMIT)
        if request.args.get("before"):
            cursor = Cursor.decode(request.args["before"])
            query = query.where(
                or_(
                    PlayEvent.at < cursor.at,
                    and_(PlayEvent.at == cursor.at, PlayEvent.id < cursor.id),
                )
            )
    except FilterError as exc:
        raise ApiError(422, "validation", exc.message_vi, exc.message_en) from None
    query = query.order_by(PlayEvent.at.desc(), PlayEvent.id.desc()).limit(limit + 1)
    rows = list(context.session().scalars(query))
    tz = _tz()
    page = rows[:limit]
    next_cursor = Cursor(page[-1].at, page[-1].id).encode() if len(rows) > limit else None
    return jsonify({"items": [play_out(e, tz) for e in page], "next": next_cursor})


def _csv_filename(tz: ZoneInfo) -> str:
    # The bounds were already checked by _filtered: parsing them again cannot fail.
    args = request.args
    lower = (
        play_log.parse_bound("from", args["from"], tz, upper=False) if args.get("from") else None
    )
    upper = play_log.parse_bound("to", args["to"], tz, upper=True) if args.get("to") else None
    return play_log.csv_filename(lower, upper, tz)


def _csv(query: Select[tuple[PlayEvent]]) -> Response:
    sess = context.session()
    site = sess.get(Site, context.site_id())
    zone_label = site.zone_label if site else context.config().site.zone_label
    node_names = dict(sess.execute(select(Node.id, Node.name)).all())
    zone_names = dict(sess.execute(select(Zone.id, Zone.name)).all())
    tz = _tz()
    query = query.order_by(PlayEvent.at, PlayEvent.id).execution_options(yield_per=1000)

    def rows() -> Iterator[list[str]]:
        for event in sess.scalars(query):
            row = {
                "at": event.at,
                "node": event.node_id,
                "node_name": node_names.get(event.node_id, ""),
                "zone_name": zone_names.get(event.zone_id, event.zone_id),
                "item": event.item_id,
                "title": event.title,
                "category": event.category,
                "type": event.type,
                "duration_ms": event.duration_ms,
                "detail": event.detail,
            }
            yield play_log.csv_row(row, tz)

    body = play_log.csv_lines(play_log.csv_headers(zone_label), rows())
    return Response(
        stream_with_context(body),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{_csv_filename(tz)}"',
            "Content-Type": "text/csv; charset=utf-8",
        },
    )
