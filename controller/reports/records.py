"""Fold proof-of-play events into one record per node and item (pure).

A node reports ``started`` then ``finished`` (or ``failed``, ``preempted``, ...) for each item it
plays; the log shows one line per play with its outcome and the time it was actually on air.

Totals count airtime, not loudspeakers: an item heard from two loudspeakers of a thôn at once was
on air once there, so per-thôn and per-category minutes take the union of the item's intervals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

# Outcome of a play, most telling first: a finished play is finished whatever else was said.
STATUS_ORDER: tuple[str, ...] = (
    "finished",
    "failed",
    "preempted",
    "skipped",
    "rejected",
    "started",
)
ENDING_EVENTS = ("finished", "preempted", "failed")
MAX_PLAY_S = 6 * 3600  # longer than any program: a clock jump, not airtime


class EventLike(Protocol):
    node_id: str
    zone_id: str
    item_id: str
    type: str
    at: datetime
    title: str
    category: str
    duration_ms: int | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class PlayRecord:
    """One item on one node: when it started, how it ended, how long it was on air."""

    at: datetime
    node_id: str
    zone_id: str
    item_id: str
    title: str
    category: str
    status: str
    seconds_on_air: float
    planned_ms: int | None
    detail: dict[str, Any]
    on_air_from: datetime | None = None  # when the sound began (``at`` may be a later report)


def fold_events(events: Iterable[EventLike]) -> list[PlayRecord]:
    """One record per (node, item), oldest first."""
    groups: dict[tuple[str, str], dict[str, EventLike]] = {}
    for event in events:
        groups.setdefault((event.node_id, event.item_id), {})[event.type] = event
    records = [_record(by_type) for by_type in groups.values()]
    return sorted(records, key=lambda r: (r.at, r.node_id))


def _record(by_type: dict[str, EventLike]) -> PlayRecord:
    status = next((s for s in STATUS_ORDER if s in by_type), next(iter(by_type)))
    first = by_type.get("started") or min(by_type.values(), key=lambda e: e.at)
    described = next((e for e in by_type.values() if e.title), first)
    detail: dict[str, Any] = {}
    for event in by_type.values():
        detail.update(event.detail or {})
    seconds = airtime(by_type)
    return PlayRecord(
        at=first.at,
        node_id=first.node_id,
        zone_id=first.zone_id,
        item_id=first.item_id,
        title=described.title,
        category=described.category,
        status=status,
        seconds_on_air=seconds,
        planned_ms=described.duration_ms,
        detail=detail,
        on_air_from=_sound_began(by_type, seconds),
    )


def _sound_began(by_type: dict[str, EventLike], seconds: float) -> datetime | None:
    started = by_type.get("started")
    if started is not None:
        return started.at
    finished = by_type.get("finished")
    # Only the end was reported: the sound began the planned length before it.
    return finished.at - timedelta(seconds=seconds) if finished is not None and seconds else None


def airtime(by_type: dict[str, EventLike]) -> float:
    """Seconds on air: from ``started`` to how it ended; the planned length if only finished."""
    started = by_type.get("started")
    end = next((by_type[k] for k in ENDING_EVENTS if k in by_type), None)
    if started is not None and end is not None:
        seconds = (end.at - started.at).total_seconds()
        return seconds if 0 <= seconds <= MAX_PLAY_S else 0.0
    finished = by_type.get("finished")
    if finished is not None and finished.duration_ms:
        return finished.duration_ms / 1000
    return 0.0


def minutes_by(records: Iterable[PlayRecord], key: str) -> dict[str, float]:
    """Loudspeaker-minutes summed by a record attribute: every node's play counts in full."""
    totals: dict[str, float] = {}
    for record in records:
        name = getattr(record, key)
        totals[name] = totals.get(name, 0.0) + record.seconds_on_air / 60
    return totals


def on_air_interval(record: PlayRecord) -> tuple[datetime, datetime] | None:
    """When ``record`` was on air, or None when nothing was heard."""
    if record.seconds_on_air <= 0:
        return None
    start = record.on_air_from or record.at
    return start, start + timedelta(seconds=record.seconds_on_air)


def union_seconds(intervals: Iterable[tuple[datetime, datetime]]) -> float:
    """Seconds covered by ``intervals`` with overlaps counted once."""
    total = 0.0
    end: datetime | None = None
    start: datetime | None = None
    for low, high in sorted(intervals):
        if end is None or low > end:
            if end is not None and start is not None:
                total += (end - start).total_seconds()
            start, end = low, high
        elif high > end:
            end = high
    if end is not None and start is not None:
        total += (end - start).total_seconds()
    return total


def airtime_minutes_by(records: Iterable[PlayRecord], key: str) -> dict[str, float]:
    """Minutes on air by a record attribute, each item counted once per group.

    An item played by several loudspeakers of the group (the thôn, the category) counts the
    union of their intervals, not their sum: two speakers of one thôn do not double its airtime.
    """
    intervals: dict[str, dict[str, list[tuple[datetime, datetime]]]] = {}
    for record in records:
        per_item = intervals.setdefault(getattr(record, key), {})
        span = on_air_interval(record)
        if span is not None:
            per_item.setdefault(record.item_id, []).append(span)
    return {
        name: sum(union_seconds(spans) for spans in items.values()) / 60
        for name, items in intervals.items()
    }


def format_duration(seconds: float) -> str:
    """``mm:ss`` (``h:mm:ss`` from an hour), seconds rounded half up; ``—`` when nothing was on
    air. The one duration format of every page (``TT.mmss`` in ``static/js/api.js`` matches)."""
    if seconds <= 0:
        return "—"
    total = int(seconds + 0.5)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
