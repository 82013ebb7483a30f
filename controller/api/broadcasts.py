"""``/api/v1/broadcasts``: immediate broadcasts (phát ngay), emergencies, and stopping them.

A broadcast is a signed ``play_now`` command sent to zones or to the whole commune with a start
a few seconds ahead (``[dispatch] lead_ms``) so that every loudspeaker starts together. Its id is
the command id; ``GET /api/v1/broadcasts/{id}`` shows each node's acknowledgement and its
proof-of-play events. It must reach at least one node, and only an emergency may start in a
target zone's quiet hours.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from flask import Blueprint, current_app, jsonify, request
from pydantic import BaseModel, Field, model_validator
from sqlalchemy import select

from controller import audit
from controller.api import context
from controller.api.spec import api_doc
from controller.api.validation import parse_body
from controller.auth.gate import requires
from controller.db.models import Command, CommandAck, MediaItem, Node, PlayEvent, Zone
from controller.dispatch import broadcast_rules, publisher
from controller.dispatch import items as item_builder
from controller.dispatch.mqtt_link import LinkError
from controller.errors import ApiError
from controller.scheduling.planning import quiet_hours_for, site_timezone

bp = Blueprint("broadcasts", __name__, url_prefix="/api/v1/broadcasts")

SLUG = r"^[a-z0-9][a-z0-9-]{0,63}$"
EVENT_KINDS = ("started", "finished", "failed", "skipped", "preempted", "rejected")
# A database id: a bigger number cannot name a row, and SQLite would overflow on it (500).
MediaId = Annotated[int, Field(ge=1, le=2**31 - 1)]


class BroadcastIn(BaseModel):
    model_config = {"extra": "forbid", "str_strip_whitespace": True}

    media_ids: list[MediaId] | None = Field(default=None, min_length=1, max_length=50)
    text: str | None = Field(default=None, min_length=1, max_length=5000)
    title: str | None = Field(default=None, max_length=300)
    zones: list[str] | None = Field(default=None, min_length=1, max_length=500)
    all: bool = False
    priority: Literal["normal", "priority", "emergency"] = "normal"
    emergency: bool = False
    volume: int | None = Field(default=None, ge=0, le=100)

    @model_validator(mode="after")
    def _one_source_one_target(self) -> BroadcastIn:
        if (self.media_ids is None) == (self.text is None):
            raise ValueError("give either media_ids or text")
        return self

    @property
    def level(self) -> str:
        return "emergency" if self.emergency else self.priority


class BroadcastOut(BaseModel):
    id: str
    start: datetime
    nodes: list[str] = []


class StopIn(BaseModel):
    model_config = {"extra": "forbid", "str_strip_whitespace": True}

    item: str | None = Field(default=None, min_length=1, max_length=128)
    zones: list[str] | None = Field(default=None, min_length=1, max_length=500)


class StopOut(BaseModel):
    id: str
    target: str
    nodes: list[str] = []


class CommandOut(BaseModel):
    id: str
    op: str
    scope: str
    targets: list[str]
    start: datetime | None = None
    created_at: datetime
    created_by: str
    item: dict[str, Any] | None = None
    nodes: list[dict[str, Any]] = []
    summary: dict[str, int] = {}


def dispatch_service() -> Any:
    service = current_app.extensions.get("tt.dispatch")
    if service is None:
        raise ApiError(
            503,
            "dispatch_unavailable",
            "Dịch vụ phát tin chưa chạy, chưa phát được.",
            "The dispatch service is not running.",
        )
    return service


def _broker_down(exc: Exception) -> ApiError:
    return ApiError(
        503,
        "broker_unavailable",
        "Không kết nối được máy chủ MQTT, chưa phát được. Vui lòng thử lại.",
        f"The MQTT broker is unreachable; nothing was sent ({exc}).",
    )


def _zones(zone_ids: list[str]) -> list[str]:
    site = context.site_id()
    known = set(
        context.session().scalars(
            select(Zone.id).where(Zone.site_id == site, Zone.id.in_(zone_ids))
        )
    )
    missing = [z for z in zone_ids if z not in known]
    if missing:
        raise ApiError(
            422,
            "zone_unknown",
            f"Thôn/xóm không tồn tại: {', '.join(missing)}.",
            f"Unknown zone(s): {', '.join(missing)}.",
        )
    return list(dict.fromkeys(zone_ids))


def _one_target(data: BroadcastIn) -> None:
    if bool(data.zones) == data.all:
        raise ApiError(
            422,
            "validation",
            "Hãy chọn các thôn cần phát hoặc phát toàn xã (không chọn cả hai).",
            "Give either 'zones' or 'all': true, not both.",
            field="zones",
        )


def _zones_with_nodes(zone_ids: list[str]) -> list[Zone]:
    """The targeted zones (every zone for ``all``) that have at least one node."""
    query = (
        select(Zone)
        .where(Zone.site_id == context.site_id(), Zone.id.in_(select(Node.zone_id)))
        .order_by(Zone.id)
    )
    if zone_ids:
        query = query.where(Zone.id.in_(zone_ids))
    zones = list(context.session().scalars(query))
    if not zones:
        raise ApiError(
            422,
            "no_nodes",
            "Thôn đã chọn chưa có cụm loa nào." if zone_ids else "Xã chưa có cụm loa nào.",
            "No loudspeaker node in the chosen zones." if zone_ids else "The site has no nodes.",
        )
    return zones


def _refuse_quiet_hours(zones: list[Zone], start: datetime) -> None:
    """Only an emergency may start while a targeted zone is in quiet hours."""
    cfg = context.config()
    quiet = quiet_hours_for(cfg, zones)
    tz = site_timezone(context.session(), cfg, context.site_id())
    found = broadcast_rules.quiet_zones(quiet, tz, [z.id for z in zones], start)
    if found:
        names = {z.id: z.name for z in zones}
        vi, en = broadcast_rules.quiet_refusal(quiet, found, names, tz)
        raise ApiError(422, "quiet_hours", vi, en, zones=sorted(found))


def _media(media_ids: list[int]) -> list[MediaItem]:
    rows = context.session().scalars(
        select(MediaItem).where(MediaItem.site_id == context.site_id(), MediaItem.id.in_(media_ids))
    )
    by_id = {m.id: m for m in rows}
    missing = [str(i) for i in media_ids if i not in by_id]
    if missing:
        raise ApiError(
            422,
            "media_unknown",
            f"Không tìm thấy tệp âm thanh: {', '.join(missing)}.",
            f"Unknown media: {', '.join(missing)}.",
        )
    return [by_id[i] for i in media_ids]


def _synthesize(data: BroadcastIn) -> MediaItem:
    """Speak the text into a library item (cached when the same text was spoken before)."""
    try:
        from controller.tts.service import TtsError, synthesize_to_media
    except ImportError:
        raise ApiError(
            422,
            "tts_unsupported",
            "Phát ngay bằng văn bản (đọc máy) chưa hỗ trợ. Hãy tạo bản tin âm thanh trước.",
            "Broadcasting text directly is not supported yet: synthesize it first.",
        ) from None
    category = "emergency" if data.level == "emergency" else "announcement"
    try:
        result = synthesize_to_media(
            context.session(),
            context.config(),
            data.text or "",
            title=data.title,
            category=category,
            created_by=context.principal_name(),
            site_id=context.site_id(),
        )
    except TtsError as exc:
        raise ApiError(exc.status, exc.code, exc.message_vi, exc.message_en) from None
    return result[0] if isinstance(result, tuple) else result


@bp.post("")
@requires("broadcast")
@api_doc(
    "Broadcast now (phát ngay) to zones or everywhere",
    body=BroadcastIn,
    response=BroadcastOut,
    status=201,
)
def create_broadcast():  # type: ignore[no-untyped-def]
    data = parse_body(BroadcastIn)
    _one_target(data)
    service = dispatch_service()
    cfg = context.config()
    zones = _zones(data.zones) if data.zones else []
    reached = _zones_with_nodes(zones)
    if data.level != "emergency":  # checked before any text is spoken
        _refuse_quiet_hours(reached, item_builder.start_at(datetime.now(UTC), cfg.dispatch.lead_ms))
    if data.text is not None:
        media, kind = [_synthesize(data)], "tts"
    else:
        media, kind = _media(data.media_ids or []), "clip"
    broadcast_id = uuid.uuid4().hex
    now = datetime.now(UTC)  # after speaking the text, which can take a while
    start = item_builder.start_at(now, cfg.dispatch.lead_ms)
    item = item_builder.play_now_item(
        broadcast_id,
        start,
        media,
        public_url=cfg.server.public_url,
        timezone=cfg.site.timezone,
        level=data.level,
        title=data.title,
        volume=data.volume,
        kind=kind,
    )
    sess = context.session()
    audit.record(
        sess,
        "broadcast.create",
        "broadcast",
        broadcast_id,
        {**data.model_dump(exclude_none=True), "level": data.level},
    )
    try:
        command = publisher.send_command(
            sess,
            service.link,
            service.key,
            context.site_id(),
            "play_now",
            {"item": item},
            "zone" if zones else "all",
            zones,
            ttl=service.command_ttl,
            command_id=broadcast_id,
            start=start,
            created_by=context.principal_name(),
            now=now,
        )
    except LinkError as exc:
        raise _broker_down(exc) from exc
    out = BroadcastOut(id=command.id, start=start, nodes=command.node_ids)
    body = out.model_dump(mode="json")
    body["start"] = item["start"]
    return jsonify(body), 201


@bp.post("/stop")
@requires("broadcast")
@api_doc(
    "Stop one broadcast or item, or everything playing", body=StopIn, response=StopOut, status=201
)
def stop_broadcast():  # type: ignore[no-untyped-def]
    data = parse_body(StopIn) if request.get_data() else StopIn()
    service = dispatch_service()
    zones = _zones(data.zones) if data.zones else []
    target = data.item or "all"
    sess = context.session()
    command_id = uuid.uuid4().hex
    audit.record(sess, "broadcast.stop", "broadcast", target, data.model_dump(exclude_none=True))
    try:
        command = publisher.send_command(
            sess,
            service.link,
            service.key,
            context.site_id(),
            "stop",
            {"target": target},
            "zone" if zones else "all",
            zones,
            ttl=service.command_ttl,
            command_id=command_id,
            created_by=context.principal_name(),
        )
    except LinkError as exc:
        raise _broker_down(exc) from exc
    return jsonify({"id": command.id, "target": target, "nodes": command.node_ids}), 201


@bp.get("")
@api_doc(
    "Recent commands (broadcasts, stops), newest first",
    list_of=CommandOut,
    query={"limit": "at most this many (default 50, max 500)"},
)
def list_broadcasts():  # type: ignore[no-untyped-def]
    limit = request.args.get("limit", "50")
    if not limit.isdecimal() or not 1 <= int(limit) <= 500:
        raise ApiError(
            422,
            "validation",
            "limit phải là số từ 1 đến 500.",
            "limit must be a number from 1 to 500.",
        )
    rows = context.session().scalars(
        select(Command)
        .where(Command.site_id == context.site_id())
        .order_by(Command.created_at.desc())
        .limit(int(limit))
    )
    return jsonify({"items": [command_out(c, with_nodes=False) for c in rows]})


@bp.get("/<command_id>")
@api_doc(
    "One broadcast or command, with each node's acknowledgement and events", response=CommandOut
)
def get_broadcast(command_id: str):  # type: ignore[no-untyped-def]
    command = context.session().get(Command, command_id)
    if command is None or command.site_id != context.site_id():
        raise ApiError(404, "not_found")
    return jsonify(command_out(command, with_nodes=True))


def command_out(command: Command, *, with_nodes: bool) -> dict[str, Any]:
    out = CommandOut(
        id=command.id,
        op=command.op,
        scope=command.scope,
        targets=command.targets,
        start=command.start,
        created_at=command.created_at,
        created_by=command.created_by,
        item=command.body.get("item"),
    )
    if with_nodes:
        out.nodes = node_statuses(command)
        out.summary = _summary(out.nodes)
    body = out.model_dump(mode="json")
    if command.body.get("item"):
        body["start"] = command.body["item"]["start"]
    return body


def node_statuses(command: Command) -> list[dict[str, Any]]:
    """Per addressed node: its ack (result, at) and the times of its events for this item."""
    sess = context.session()
    acks = {
        a.node_id: a
        for a in sess.scalars(select(CommandAck).where(CommandAck.command_id == command.id))
    }
    events: dict[str, dict[str, str]] = {}
    item_id = (command.body.get("item") or {}).get("id")
    if item_id:
        for e in sess.scalars(select(PlayEvent).where(PlayEvent.item_id == item_id)):
            events.setdefault(e.node_id, {})[e.type] = e.at.isoformat()
    statuses = []
    for node_id in sorted(set(command.node_ids) | set(acks) | set(events)):
        ack = acks.get(node_id)
        statuses.append(
            {
                "node": node_id,
                "acknowledged": ack is not None,
                "result": ack.result if ack else None,
                "acknowledged_at": ack.at.isoformat() if ack else None,
                **{kind: events.get(node_id, {}).get(kind) for kind in EVENT_KINDS},
            }
        )
    return statuses


def _summary(statuses: list[dict[str, Any]]) -> dict[str, int]:
    summary = {"nodes": len(statuses), "acknowledged": sum(s["acknowledged"] for s in statuses)}
    for kind in ("started", "finished", "failed"):
        summary[kind] = sum(1 for s in statuses if s[kind])
    return summary
