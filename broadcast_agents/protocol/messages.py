"""Pure parsing and validation of contract bodies: plans, commands and node reports.

Every parse_* accepts raw bytes or an already-decoded mapping, returns a frozen dataclass,
and raises MessageError (never anything else) for bad input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

from .jsonsafe import MessageError, decode_json
from .timefmt import format_time, parse_time

ITEM_KINDS = ("clip", "tts", "greeting", "relay", "emergency")
OPS = ("play_now", "stop", "set_volume", "resync", "ping")
EVENT_TYPES = ("started", "finished", "failed", "skipped", "preempted", "rejected")
MAX_ITEMS = 5000
MAX_MEDIA = 50
_SHA256 = re.compile(r"[0-9a-f]{64}")
_T = TypeVar("_T")

__all__ = [
    "Ack", "Command", "Event", "MediaRef", "MessageError", "Plan", "PlanItem", "State",
    "Telemetry", "parse_ack", "parse_command", "parse_event", "parse_plan", "parse_plan_item",
    "parse_state", "parse_telemetry",
]  # fmt: skip


# ---------------------------------------------------------------- field helpers


def _obj(data: bytes | str | Mapping[str, Any], what: str) -> Mapping[str, Any]:
    value = data if isinstance(data, Mapping) else decode_json(data)
    if not isinstance(value, Mapping):
        raise MessageError(f"{what} must be a JSON object")
    return value


def _str(d: Mapping[str, Any], name: str, *, max_len: int = 256, optional: bool = False) -> Any:
    value = d.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, str) or not value:
        raise MessageError(f"{name} must be a non-empty string")
    if len(value) > max_len:
        raise MessageError(f"{name} longer than {max_len} characters")
    return value


def _int(d: Mapping[str, Any], name: str, lo: int, hi: int, *, optional: bool = False) -> Any:
    value = d.get(name)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise MessageError(f"{name} must be an integer")
    if not lo <= value <= hi:
        raise MessageError(f"{name} must be between {lo} and {hi}")
    return value


def _num(d: Mapping[str, Any], name: str, *, optional: bool = False) -> Any:
    value = d.get(name)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MessageError(f"{name} must be a number")
    if abs(value) > 1e15:
        raise MessageError(f"{name} is out of range")
    return value


def _bool(d: Mapping[str, Any], name: str) -> bool:
    value = d.get(name)
    if not isinstance(value, bool):
        raise MessageError(f"{name} must be true or false")
    return value


def _time(d: Mapping[str, Any], name: str, *, optional: bool = False) -> Any:
    value = d.get(name)
    if value is None and optional:
        return None
    try:
        return parse_time(value)
    except (ValueError, TypeError) as exc:
        raise MessageError(f"{name}: {exc}") from None


def _url(d: Mapping[str, Any], name: str, *, optional: bool = False) -> Any:
    value = _str(d, name, max_len=2048, optional=optional)
    if value is not None and not value.startswith(("http://", "https://", "/")):
        raise MessageError(f"{name} must be an http(s) URL or a path on the controller")
    return value


def _list(d: Mapping[str, Any], name: str, limit: int) -> list[Any]:
    value = d.get(name)
    if not isinstance(value, list):
        raise MessageError(f"{name} must be a list")
    if len(value) > limit:
        raise MessageError(f"{name} has more than {limit} entries")
    return value


def _each(values: list[Any], what: str, parse: Callable[[Any], _T]) -> tuple[_T, ...]:
    out = []
    for index, value in enumerate(values):
        try:
            out.append(parse(value))
        except MessageError as exc:
            raise MessageError(f"{what}[{index}]: {exc}") from None
    return tuple(out)


def _detail(d: Mapping[str, Any]) -> Any:
    value = d.get("detail")
    if value is not None and not isinstance(value, dict | str):
        raise MessageError("detail must be an object or a string")
    return value


def _without_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


# ---------------------------------------------------------------- plan


@dataclass(frozen=True)
class MediaRef:
    url: str
    sha256: str
    bytes: int
    duration_ms: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "duration_ms": self.duration_ms,
        }


def parse_media(data: Any) -> MediaRef:
    if not isinstance(data, Mapping):
        raise MessageError("media entry must be an object")
    d = data
    sha = _str(d, "sha256", max_len=64)
    if not _SHA256.fullmatch(sha):
        raise MessageError("sha256 must be 64 lowercase hex digits")
    return MediaRef(
        url=_url(d, "url"),
        sha256=sha,
        bytes=_int(d, "bytes", 0, 2**40),
        duration_ms=_int(d, "duration_ms", 0, 24 * 3600 * 1000),
    )


@dataclass(frozen=True)
class PlanItem:
    id: str
    start: datetime
    priority: int
    title: str
    kind: str
    volume: int
    media: tuple[MediaRef, ...] = ()
    end: datetime | None = None
    stream_url: str | None = None
    # A notice read several times: silence of block_gap_ms after every block_size media entries.
    block_size: int | None = None
    block_gap_ms: int = 0

    def gaps_ms(self) -> tuple[int, ...]:
        """Silence (ms) to play after each media entry; none after the last."""
        gaps = []
        for i in range(len(self.media)):
            last = i + 1 == len(self.media)
            at_block_end = bool(self.block_size) and (i + 1) % (self.block_size or 1) == 0
            gaps.append(self.block_gap_ms if at_block_end and not last else 0)
        return tuple(gaps)

    @property
    def duration(self) -> timedelta:
        audio = sum(m.duration_ms for m in self.media)
        return timedelta(milliseconds=audio + sum(self.gaps_ms()))

    @property
    def window_end(self) -> datetime:
        """When the item stops: its explicit `end`, else start plus the media durations."""
        return self.end if self.end is not None else self.start + self.duration

    def to_dict(self) -> dict[str, Any]:
        return _without_none(
            {
                "id": self.id,
                "start": format_time(self.start),
                "end": format_time(self.end) if self.end else None,
                "priority": self.priority,
                "title": self.title,
                "kind": self.kind,
                "volume": self.volume,
                "media": [m.to_dict() for m in self.media],
                "stream_url": self.stream_url,
                "block_size": self.block_size,
                "block_gap_ms": self.block_gap_ms or None,
            }
        )


def parse_plan_item(data: Any) -> PlanItem:
    if not isinstance(data, Mapping):
        raise MessageError("plan item must be an object")
    kind = _str(data, "kind", max_len=32)
    if kind not in ITEM_KINDS:
        raise MessageError(f"kind must be one of {', '.join(ITEM_KINDS)}")
    item = PlanItem(
        id=_str(data, "id", max_len=128),
        start=_time(data, "start"),
        end=_time(data, "end", optional=True),
        priority=_int(data, "priority", -1_000_000, 1_000_000),
        title=_str(data, "title", max_len=500),
        kind=kind,
        volume=_int(data, "volume", 0, 100),
        media=_each(
            _list(data, "media", MAX_MEDIA) if "media" in data else [], "media", parse_media
        ),
        stream_url=_url(data, "stream_url", optional=True),
        block_size=_int(data, "block_size", 1, MAX_MEDIA, optional=True),
        block_gap_ms=_int(data, "block_gap_ms", 0, 3_600_000, optional=True) or 0,
    )
    if item.end is not None and item.end <= item.start:
        raise MessageError("end must be after start")
    if kind == "relay":
        if item.stream_url is None or item.end is None:
            raise MessageError("a relay item needs stream_url and end")
    elif not item.media:
        raise MessageError(f"a {kind} item needs at least one media entry")
    return item


@dataclass(frozen=True)
class Plan:
    node: str
    items: tuple[PlanItem, ...]
    seq: int | None = None
    envelope_id: str | None = None


def parse_plan(data: bytes | str | Mapping[str, Any]) -> Plan:
    """Parse a plan body (usually the whole verified envelope; header fields are read too)."""
    d = _obj(data, "plan")
    items = _each(_list(d, "items", MAX_ITEMS), "items", parse_plan_item)
    ids = [i.id for i in items]
    if len(set(ids)) != len(ids):
        raise MessageError("item ids must be unique within a plan")
    seq = d.get("seq") if isinstance(d.get("seq"), int) else None
    env_id = d.get("id") if isinstance(d.get("id"), str) else None
    return Plan(node=_str(d, "node", max_len=128), items=items, seq=seq, envelope_id=env_id)


# ---------------------------------------------------------------- commands


@dataclass(frozen=True)
class Command:
    op: str
    id: str | None = None  # the envelope id: what an ack refers to
    item: PlanItem | None = None
    target: str | None = None
    volume: int | None = None


def parse_command(data: bytes | str | Mapping[str, Any]) -> Command:
    d = _obj(data, "command")
    op = _str(d, "op", max_len=32)
    if op not in OPS:
        raise MessageError(f"op must be one of {', '.join(OPS)}")
    env_id = d.get("id") if isinstance(d.get("id"), str) else None
    if op == "play_now":
        try:
            item = parse_plan_item(d.get("item"))
        except MessageError as exc:
            raise MessageError(f"item: {exc}") from None
        return Command(op, env_id, item=item)
    if op == "stop":
        return Command(op, env_id, target=_str(d, "target", max_len=128))
    if op == "set_volume":
        return Command(op, env_id, volume=_int(d, "volume", 0, 100))
    return Command(op, env_id)


# ---------------------------------------------------------------- node -> controller


@dataclass(frozen=True)
class State:
    online: bool
    node: str | None = None
    version: str | None = None
    plan_seq: int | None = None
    at: datetime | None = None

    def to_dict(self) -> dict[str, Any]:
        return _without_none(
            {
                "online": self.online,
                "node": self.node,
                "version": self.version,
                "plan_seq": self.plan_seq,
                "at": format_time(self.at) if self.at else None,
            }
        )


def parse_state(data: bytes | str | Mapping[str, Any]) -> State:
    """`online` is required; the rest may be missing (a last will carries little)."""
    d = _obj(data, "state")
    return State(
        online=_bool(d, "online"),
        node=_str(d, "node", max_len=128, optional=True),
        version=_str(d, "version", max_len=64, optional=True),
        plan_seq=_int(d, "plan_seq", 0, 2**63, optional=True),
        at=_time(d, "at", optional=True),
    )


@dataclass(frozen=True)
class Telemetry:
    node: str
    at: datetime
    volume: int
    now_playing: str | None
    plan_seq: int | None
    cache_bytes: int
    clock_offset_ms: float | None
    version: str
    uptime_s: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "node": self.node,
            "at": format_time(self.at),
            "volume": self.volume,
            "now_playing": self.now_playing,
            "plan_seq": self.plan_seq,
            "cache_bytes": self.cache_bytes,
            "clock_offset_ms": self.clock_offset_ms,
            "version": self.version,
            "uptime_s": self.uptime_s,
        }


def parse_telemetry(data: bytes | str | Mapping[str, Any]) -> Telemetry:
    d = _obj(data, "telemetry")
    uptime = _num(d, "uptime_s")
    if uptime < 0:
        raise MessageError("uptime_s must not be negative")
    return Telemetry(
        node=_str(d, "node", max_len=128),
        at=_time(d, "at"),
        volume=_int(d, "volume", 0, 100),
        now_playing=_str(d, "now_playing", max_len=128, optional=True),
        plan_seq=_int(d, "plan_seq", 0, 2**63, optional=True),
        cache_bytes=_int(d, "cache_bytes", 0, 2**50),
        clock_offset_ms=_num(d, "clock_offset_ms", optional=True),
        version=_str(d, "version", max_len=64),
        uptime_s=uptime,
    )


@dataclass(frozen=True)
class Event:
    node: str
    type: str
    item: str
    at: datetime
    detail: dict[str, Any] | str | None = None
    id: str | None = None  # unique per event, so a controller can drop a re-delivery

    def to_dict(self) -> dict[str, Any]:
        return _without_none(
            {
                "node": self.node,
                "type": self.type,
                "item": self.item,
                "at": format_time(self.at),
                "detail": self.detail,
                "id": self.id,
            }
        )


def parse_event(data: bytes | str | Mapping[str, Any]) -> Event:
    d = _obj(data, "event")
    kind = _str(d, "type", max_len=32)
    if kind not in EVENT_TYPES:
        raise MessageError(f"type must be one of {', '.join(EVENT_TYPES)}")
    item = d.get("item")
    if not isinstance(item, str) or len(item) > 128:  # "" when a rejected payload had no id
        raise MessageError("item must be a string of at most 128 characters")
    return Event(
        node=_str(d, "node", max_len=128),
        type=kind,
        item=item,
        at=_time(d, "at"),
        detail=_detail(d),
        id=_str(d, "id", max_len=128, optional=True),
    )


@dataclass(frozen=True)
class Ack:
    node: str
    cmd: str
    result: str  # "ok", "error" or "rejected"
    at: datetime
    detail: dict[str, Any] | str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _without_none(
            {
                "node": self.node,
                "cmd": self.cmd,
                "result": self.result,
                "at": format_time(self.at),
                "detail": self.detail,
            }
        )


def parse_ack(data: bytes | str | Mapping[str, Any]) -> Ack:
    d = _obj(data, "ack")
    return Ack(
        node=_str(d, "node", max_len=128),
        cmd=_str(d, "cmd", max_len=128),
        result=_str(d, "result", max_len=64),
        at=_time(d, "at"),
        detail=_detail(d),
    )
