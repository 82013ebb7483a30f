"""Node -> controller messages: state, telemetry, proof-of-play events and command acks.

``handle_message`` takes one MQTT message and applies it to the database in the caller's
session (it does not commit). It never raises for bad input: an unknown topic or node, a
malformed payload or a node speaking for another node is logged and dropped. QoS 1 may deliver
twice, so events are stored once per node + item + type, and acks once per command + node.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from broadcast_agents.protocol import (
    MessageError,
    parse_ack,
    parse_event,
    parse_state,
    parse_telemetry,
    topics,
)
from broadcast_agents.protocol.messages import Ack, Event, State, Telemetry
from controller.db.models import (
    Command,
    CommandAck,
    MediaItem,
    Node,
    PlayEvent,
    Program,
    PublishedPlan,
)

log = logging.getLogger(__name__)

LEAVES = ("state", "telemetry", "event", "ack")
# Column limits the parser does not know about (it accepts up to 128 characters and 2**63).
ITEM_ID_MAX = 120
COMMAND_ID_MAX = 40
VERSION_MAX = 40
SEQ_MAX = 2**63 - 1
_MEDIA_URL = re.compile(r"/api/v1/media/(\d+)/")
# A compiled plan item's id: p{program_id}-{YYYYMMDDTHHMM} (controller.scheduling.types.PlanItem).
_PROGRAM_ITEM = re.compile(r"p(\d{1,10})-\d{8}T\d{4}")
DB_INT_MAX = 2**31 - 1


@dataclass(frozen=True)
class Outcome:
    """What became of a message: ``stored``, ``updated``, ``duplicate`` or ``dropped``."""

    status: str
    reason: str = ""

    @property
    def dropped(self) -> bool:
        return self.status == "dropped"


def handle_message(
    session: Session, topic: str, payload: bytes, *, now: datetime | None = None
) -> Outcome:
    """Apply one node message to the database (no commit); never raises for bad input."""
    now = now or datetime.now(UTC)
    ref = topics.parse(topic)
    if ref is None or ref.scope != "node" or ref.leaf not in LEAVES or ref.target is None:
        return _drop(topic, "not a node report topic")
    if "\x00" in topic:  # MQTT forbids it; PostgreSQL would refuse the lookup
        return _drop(topic, "NUL character in topic")
    node = session.get(Node, ref.target)
    if node is None or node.site_id != ref.site:
        return _drop(topic, "unknown node")
    if isinstance(payload, bytes | bytearray) and b"\\u0000" in payload:  # PostgreSQL: no NUL
        return _drop(topic, "NUL character in payload")
    try:
        return _HANDLERS[ref.leaf](session, node, payload, now)
    except MessageError as exc:
        return _drop(topic, f"malformed {ref.leaf}: {exc}")


def _drop(topic: str, reason: str) -> Outcome:
    log.warning("mqtt message dropped", extra={"topic": topic[:200], "reason": reason[:300]})
    return Outcome("dropped", reason)


def _same_node(claimed: str | None, node: Node) -> None:
    # A node's credentials only cover its own topics, but its payload must agree too.
    if claimed is not None and claimed != node.id:
        raise MessageError(f"payload speaks for node {claimed!r}")


def _utc(at: datetime) -> datetime:
    try:
        return at.astimezone(UTC)
    except OverflowError:  # 9999-12-31T23:59:59-12:00 is valid RFC 3339 but not in UTC
        raise MessageError("at is out of range") from None


def _seq(value: int | None) -> int | None:
    if value is not None and value > SEQ_MAX:
        raise MessageError("plan_seq is out of range")
    return value


def _on_state(session: Session, node: Node, payload: bytes, now: datetime) -> Outcome:
    state: State = parse_state(payload)
    _same_node(state.node, node)
    node.online = state.online
    if state.online:
        node.last_seen = now
    if state.version is not None:
        node.version = state.version[:VERSION_MAX]
    if state.plan_seq is not None:
        node.plan_seq = _seq(state.plan_seq)
    return Outcome("updated")


def _on_telemetry(session: Session, node: Node, payload: bytes, now: datetime) -> Outcome:
    t: Telemetry = parse_telemetry(payload)
    _same_node(t.node, node)
    node.online = True
    node.last_seen = now
    node.volume = t.volume
    node.now_playing = t.now_playing
    node.plan_seq = _seq(t.plan_seq)
    node.cache_bytes = t.cache_bytes
    node.clock_offset_ms = t.clock_offset_ms
    node.version = t.version[:VERSION_MAX]
    node.uptime_s = int(t.uptime_s)
    return Outcome("updated")


def _on_event(session: Session, node: Node, payload: bytes, now: datetime) -> Outcome:
    event: Event = parse_event(payload)
    _same_node(event.node, node)
    node.last_seen = now
    item_id = event.item or event.id or event.at.isoformat()
    if len(item_id) > ITEM_ID_MAX:
        raise MessageError(f"item longer than {ITEM_ID_MAX} characters")
    info = describe_item(session, node.id, event.item)
    detail: dict[str, Any] = (
        event.detail if isinstance(event.detail, dict) else {"text": event.detail or ""}
    )
    if not event.item:
        detail = {**detail, "item_missing": True}
    values = dict(
        site_id=node.site_id,
        node_id=node.id,
        zone_id=node.zone_id,
        item_id=item_id,
        type=event.type,
        at=_utc(event.at),
        title=info.get("title", "")[:300],
        category=info.get("category", "")[:20],
        duration_ms=info.get("duration_ms"),
        detail={k: v for k, v in detail.items() if v != ""},
        received_at=now,
    )
    inserted = _insert_once(session, PlayEvent, values, ["node_id", "item_id", "type"])
    return Outcome("stored" if inserted else "duplicate")


def _on_ack(session: Session, node: Node, payload: bytes, now: datetime) -> Outcome:
    ack: Ack = parse_ack(payload)
    _same_node(ack.node, node)
    node.last_seen = now
    if len(ack.cmd) > COMMAND_ID_MAX:  # longer than any command id the controller makes
        raise MessageError(f"cmd longer than {COMMAND_ID_MAX} characters")
    values = dict(command_id=ack.cmd, node_id=node.id, result=ack.result[:200], at=_utc(ack.at))
    inserted = _insert_once(session, CommandAck, values, ["command_id", "node_id"])
    return Outcome("stored" if inserted else "duplicate")


_HANDLERS = {"state": _on_state, "telemetry": _on_telemetry, "event": _on_event, "ack": _on_ack}


def _insert_once(session: Session, model: Any, values: dict[str, Any], keys: list[str]) -> bool:
    """INSERT ... ON CONFLICT DO NOTHING; True when a row was added."""
    dialect = session.get_bind().dialect.name
    make: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt: Insert = make(model).values(**values).on_conflict_do_nothing(index_elements=keys)
    # rowcount is not reliable for this statement on every driver; RETURNING is.
    return session.execute(stmt.returning(model.id)).first() is not None


def describe_item(session: Session, node_id: str, item_id: str) -> dict[str, Any]:
    """Title, category and duration of an item the node was sent.

    The node's current plan is asked first, then the ``play_now`` command of that id. An event
    can arrive long after its item left the plan (a node that was offline), so a plan item id
    (``p{program}-{YYYYMMDDTHHMM}``) is finally resolved from the program row itself.
    """
    if not item_id:
        return {}
    item = _plan_item(session, node_id, item_id) or _command_item(session, item_id)
    if item is None:
        return _describe_program(session, node_id, item_id)
    media = item.get("media") if isinstance(item.get("media"), list) else []
    duration = sum(m.get("duration_ms", 0) for m in media if isinstance(m, dict)) or None
    return {
        "title": str(item.get("title", "")),
        "category": _category(session, media, item),
        "duration_ms": duration,
    }


def _describe_program(session: Session, node_id: str, item_id: str) -> dict[str, Any]:
    """What a plan item of a program was, from the program and its library media."""
    match = _PROGRAM_ITEM.fullmatch(item_id)
    if match is None or int(match.group(1)) > DB_INT_MAX:
        return {}
    program = session.get(Program, int(match.group(1)))
    node = session.get(Node, node_id)
    if program is None or node is None or program.site_id != node.site_id:
        return {}
    ids = [m for m in program.media_ids if isinstance(m, int) and 0 < m <= DB_INT_MAX]
    rows = {m.id: m for m in session.scalars(select(MediaItem).where(MediaItem.id.in_(ids)))}
    playlist = [rows[m] for m in ids if m in rows]
    # As in a plan item: the playlist repeated ``repeat`` times (the pauses are not sound).
    duration = sum(m.duration_ms for m in playlist) * max(program.repeat, 1)
    return {
        "title": program.title,
        "kind": program.kind,
        "category": playlist[0].category if playlist else "",
        "duration_ms": duration or None,
    }


def _plan_item(session: Session, node_id: str, item_id: str) -> dict[str, Any] | None:
    plan = session.get(PublishedPlan, node_id)
    for item in plan.items if plan is not None else []:
        if isinstance(item, dict) and item.get("id") == item_id:
            return item
    return None


def _command_item(session: Session, item_id: str) -> dict[str, Any] | None:
    command = session.get(Command, item_id)
    if command is None:
        return None
    item = command.body.get("item")
    return item if isinstance(item, dict) else None


def _category(session: Session, media: list[Any], item: dict[str, Any]) -> str:
    if isinstance(item.get("category"), str):
        return item["category"]
    for entry in media:
        match = _MEDIA_URL.search(str(entry.get("url", ""))) if isinstance(entry, dict) else None
        if match:
            category = session.scalar(
                select(MediaItem.category).where(MediaItem.id == int(match.group(1)))
            )
            if category:
                return category
    return ""
