"""Folding proof-of-play events into one record per node and item."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from controller.reports.records import fold_events, format_duration, minutes_by

T0 = datetime(2027, 1, 28, 0, 0, tzinfo=UTC)


@dataclass
class Ev:
    node_id: str
    item_id: str
    type: str
    at: datetime
    zone_id: str = "thon-1"
    title: str = "Tin bão"
    category: str = "emergency"
    duration_ms: int | None = 60000
    detail: dict[str, Any] = field(default_factory=dict)


def test_started_and_finished_make_one_finished_record_with_real_airtime() -> None:
    records = fold_events(
        [
            Ev("a", "x", "finished", T0 + timedelta(seconds=65)),
            Ev("a", "x", "started", T0 + timedelta(seconds=2)),
        ]
    )
    [r] = records
    assert r.status == "finished" and r.at == T0 + timedelta(seconds=2)
    assert r.seconds_on_air == 63.0 and r.planned_ms == 60000


def test_outcomes_and_ordering() -> None:
    events = [
        Ev("b", "x", "started", T0 + timedelta(minutes=5)),
        Ev("b", "x", "preempted", T0 + timedelta(minutes=6)),
        Ev("a", "y", "failed", T0 + timedelta(minutes=1), detail={"error": "boom"}),
        Ev("c", "z", "started", T0),
        Ev("d", "w", "finished", T0 + timedelta(minutes=9)),  # start never reported
    ]
    records = fold_events(events)
    assert [(r.node_id, r.status) for r in records] == [
        ("c", "started"),
        ("a", "failed"),
        ("b", "preempted"),
        ("d", "finished"),
    ]
    by_node = {r.node_id: r for r in records}
    assert by_node["b"].seconds_on_air == 60.0
    assert by_node["a"].seconds_on_air == 0.0 and by_node["a"].detail == {"error": "boom"}
    assert by_node["c"].seconds_on_air == 0.0  # still playing: not counted yet
    assert by_node["d"].seconds_on_air == 60.0  # the planned length stands in


def test_a_clock_jump_is_not_airtime() -> None:
    [r] = fold_events(
        [Ev("a", "x", "started", T0), Ev("a", "x", "finished", T0 - timedelta(seconds=5))]
    )
    assert r.seconds_on_air == 0.0


def test_minutes_by_zone_and_category() -> None:
    records = fold_events(
        [
            Ev("a", "x", "started", T0),
            Ev("a", "x", "finished", T0 + timedelta(minutes=3)),
            Ev("b", "x", "started", T0, zone_id="thon-2"),
            Ev("b", "x", "finished", T0 + timedelta(minutes=3), zone_id="thon-2"),
            Ev("a", "y", "started", T0, category="propaganda"),
            Ev("a", "y", "finished", T0 + timedelta(seconds=90), category="propaganda"),
        ]
    )
    assert minutes_by(records, "zone_id") == {"thon-1": 4.5, "thon-2": 3.0}
    assert minutes_by(records, "category") == {"emergency": 6.0, "propaganda": 1.5}


def test_format_duration() -> None:
    assert format_duration(0) == "—"
    assert format_duration(65.4) == "1:05"
    assert format_duration(3725) == "1:02:05"
