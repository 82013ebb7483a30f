"""Pure builders of what nodes receive for an immediate broadcast (phát ngay).

A ``play_now`` command carries one plan item whose ``id`` is the broadcast id and whose
``start`` is a few seconds ahead, so that every node starts it at the same instant.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from broadcast_agents.protocol import format_time
from controller.db.models import MediaItem
from controller.scheduling.priorities import wire_priority

IMMEDIATE_RANK = 99  # an immediate broadcast beats scheduled programs of its own level
DEFAULT_VOLUME = 80
EMERGENCY_VOLUME = 100


def media_url(public_url: str, media_id: int) -> str:
    """Where nodes download a clip: ``{public_url}/api/v1/media/{id}/audio``."""
    return f"{public_url.rstrip('/')}/api/v1/media/{media_id}/audio"


def media_ref(media: MediaItem, public_url: str) -> dict[str, Any]:
    return {
        "url": media_url(public_url, media.id),
        "sha256": media.sha256,
        "bytes": int(media.bytes),
        "duration_ms": int(media.duration_ms),
    }


def start_at(now: datetime, lead_ms: int) -> datetime:
    """The common start instant: now plus the configured lead time."""
    return now + timedelta(milliseconds=lead_ms)


def play_now_item(
    broadcast_id: str,
    start: datetime,
    media: Sequence[MediaItem],
    *,
    public_url: str,
    timezone: str,
    level: str = "normal",
    title: str | None = None,
    volume: int | None = None,
    kind: str = "clip",
) -> dict[str, Any]:
    """The plan item of a ``play_now`` command (``kind`` becomes ``emergency`` at that level)."""
    emergency = level == "emergency"
    if volume is None:
        volume = EMERGENCY_VOLUME if emergency else DEFAULT_VOLUME
    return {
        "id": broadcast_id,
        "start": format_time(start.astimezone(ZoneInfo(timezone))),
        "priority": wire_priority(level, IMMEDIATE_RANK),
        "title": (title or " + ".join(m.title for m in media))[:300],
        "kind": "emergency" if emergency else kind,
        "volume": volume,
        "media": [media_ref(m, public_url) for m in media],
    }
