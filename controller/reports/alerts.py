"""What needs the officer's attention on the dashboard (pure).

Alerts are codes with parameters; the page turns them into Vietnamese (or English) sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

OFFLINE_AFTER = timedelta(minutes=10)
CLOCK_LIMIT_MS = 100.0
# How agents word a download or checksum failure (broadcast_agents.fetcher.FetchError).
MEDIA_FAILURE = re.compile(r"could not fetch|sha256 mismatch|HTTP \d{3} for", re.IGNORECASE)
SEVERITY = {
    "offline": 0,
    "media_missing": 1,
    "failed": 1,
    "rejected": 1,
    "offline_recent": 2,
    "skipped": 2,
    "clock": 2,
    "plan": 2,
}


@dataclass(frozen=True)
class NodeView:
    """The slice of a node's live state the alerts look at."""

    id: str
    name: str
    online: bool
    last_seen: datetime | None
    clock_offset_ms: float | None
    plan_lagging: bool


@dataclass(frozen=True)
class PlayProblem:
    """A ``failed``, ``skipped`` or ``rejected`` event of today."""

    node_id: str
    type: str
    at: datetime
    title: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Alert:
    code: str
    node: str
    params: dict[str, Any]

    @property
    def severity(self) -> int:
        return SEVERITY.get(self.code, 3)


def node_alerts(nodes: Iterable[NodeView], now: datetime) -> list[Alert]:
    """Offline (at once; the stronger alert after 10 minutes), clock off by more than 100 ms,
    plan not up to date."""
    alerts: list[Alert] = []
    for node in nodes:
        label = node.name or node.id
        age = None if node.last_seen is None else now - node.last_seen
        long_silent = age is None or age > OFFLINE_AFTER
        if not node.online or (age is not None and long_silent):
            # A node that still says "online" but sent nothing for 10 minutes is gone as well.
            code = "offline" if long_silent else "offline_recent"
            alerts.append(Alert(code, label, {"since": node.last_seen}))
            continue  # what an unreachable node last said about its clock or plan is stale
        offset = node.clock_offset_ms
        if offset is not None and abs(offset) > CLOCK_LIMIT_MS:
            alerts.append(Alert("clock", label, {"ms": round(offset)}))
        if node.plan_lagging:
            alerts.append(Alert("plan", label, {}))
    return alerts


def play_alerts(problems: Iterable[PlayProblem], names: dict[str, str]) -> list[Alert]:
    """Failed, skipped or refused plays and commands; a failed download or checksum is reported
    as missing media, a refusal with the node's reason code."""
    alerts = []
    for p in problems:
        label = names.get(p.node_id) or p.node_id
        detail = p.detail or {}
        error = str(detail.get("error", ""))
        code = "media_missing" if p.type == "failed" and MEDIA_FAILURE.search(error) else p.type
        params: dict[str, Any] = {"title": p.title or "—", "at": p.at}
        if p.type == "rejected":
            params["reason"] = str(detail.get("reason", ""))
        alerts.append(Alert(code, label, params))
    return alerts


def sorted_alerts(alerts: Iterable[Alert]) -> list[Alert]:
    """Most serious first, then by node."""
    return sorted(alerts, key=lambda a: (a.severity, a.node))
