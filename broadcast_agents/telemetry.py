"""Builds the periodic telemetry report (pure) from what the agent knows."""

from __future__ import annotations

from datetime import datetime

from .protocol import Telemetry


def build_telemetry(
    *,
    node: str,
    now: datetime,
    volume: int,
    now_playing: str | None,
    plan_seq: int | None,
    cache_bytes: int,
    clock_offset_ms: float | None,
    version: str,
    uptime_s: float,
) -> Telemetry:
    return Telemetry(
        node=node,
        at=now,
        volume=volume,
        now_playing=now_playing,
        plan_seq=plan_seq,
        cache_bytes=cache_bytes,
        clock_offset_ms=clock_offset_ms,
        version=version,
        uptime_s=round(max(uptime_s, 0.0), 1),
    )
