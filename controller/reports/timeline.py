"""Today's timeline: what plays when in each hamlet, from the plans published to its nodes.

Pure: the caller reads the plans.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from broadcast_agents.protocol import parse_time

DAY_MINUTES = 24 * 60
MIN_WIDTH_PCT = 0.6  # a 30-second clip would be invisible at its true width


@dataclass
class Slot:
    """One plan item in one hamlet: when, how long, and which of its nodes hold it."""

    item_id: str
    title: str
    kind: str
    start: datetime
    end: datetime
    nodes: list[str] = field(default_factory=list)

    @property
    def left_pct(self) -> float:
        midnight = datetime.combine(self.start.date(), time(0), tzinfo=self.start.tzinfo)
        return round((self.start - midnight).total_seconds() / 60 / DAY_MINUTES * 100, 2)

    @property
    def width_pct(self) -> float:
        minutes = (self.end - self.start).total_seconds() / 60
        room = 100 - self.left_pct
        return round(min(max(minutes / DAY_MINUTES * 100, MIN_WIDTH_PCT), room), 2)


def item_end(item: Mapping[str, Any], start: datetime) -> datetime:
    """A relay ends at its ``end``; a clip after the sum of its media."""
    if item.get("end"):
        return parse_time(str(item["end"]))
    media = item.get("media") or []
    ms = sum(int(m.get("duration_ms") or 0) for m in media if isinstance(m, Mapping))
    return start + timedelta(milliseconds=ms)


def day_slots(
    plans: Mapping[str, Iterable[Mapping[str, Any]]],
    zone_of: Mapping[str, str],
    day: date,
    tz: ZoneInfo,
) -> dict[str, list[Slot]]:
    """Per zone, the items starting on ``day`` (local), one slot per item, by start time."""
    by_zone: dict[str, dict[str, Slot]] = {}
    for node_id, items in plans.items():
        zone = zone_of.get(node_id)
        if zone is None:
            continue
        for item in items:
            slot = _slot(item, day, tz)
            if slot is None:
                continue
            known = by_zone.setdefault(zone, {}).setdefault(slot.item_id, slot)
            known.nodes.append(node_id)
    return {
        zone: sorted(slots.values(), key=lambda s: (s.start, s.title))
        for zone, slots in by_zone.items()
    }


def _slot(item: Mapping[str, Any], day: date, tz: ZoneInfo) -> Slot | None:
    try:
        start = parse_time(str(item["start"])).astimezone(tz)
        end = item_end(item, start).astimezone(tz)
    except (KeyError, ValueError, TypeError):
        return None
    if start.date() != day:
        return None
    return Slot(
        item_id=str(item.get("id", "")),
        title=str(item.get("title", "")),
        kind=str(item.get("kind", "")),
        start=start,
        end=max(end, start),
    )
