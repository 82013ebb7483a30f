"""Folding proof-of-play events into one record per node and item."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from controller.reports.records import (
    airtime_minutes_by,
    fold_events,
    format_duration,
    minutes_by,
    union_seconds,
)

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
    assert format_duration(65.4) == "01:05"
    assert format_duration(2.5) == "00:03"  # half up, as Math.round in the pages' scripts
    assert format_duration(3725) == "1:02:05"


def test_two_speakers_of_one_thon_do_not_double_its_airtime() -> None:
    records = fold_events(
        [
            # One 3-minute bulletin heard from both loudspeakers of thôn 1 (a little apart) ...
            Ev("thon-1-a", "x", "started", T0),
            Ev("thon-1-a", "x", "finished", T0 + timedelta(minutes=3)),
            Ev("thon-1-b", "x", "started", T0 + timedelta(seconds=1)),
            Ev("thon-1-b", "x", "finished", T0 + timedelta(minutes=3, seconds=1)),
            # ... and from the loudspeaker of thôn 2.
            Ev("thon-2-a", "x", "started", T0, zone_id="thon-2"),
            Ev("thon-2-a", "x", "finished", T0 + timedelta(minutes=3), zone_id="thon-2"),
            # A 1-minute clip reported only as finished (the start is the planned length before).
            Ev("thon-1-a", "y", "finished", T0 + timedelta(minutes=10), category="propaganda"),
            Ev("thon-1-b", "y", "finished", T0 + timedelta(minutes=10), category="propaganda"),
        ]
    )
    assert len(records) == 5  # the table keeps one line per loudspeaker
    by_zone = airtime_minutes_by(records, "zone_id")
    assert by_zone == {"thon-1": pytest.approx(3 + 1 / 60 + 1), "thon-2": 3.0}
    assert airtime_minutes_by(records, "category") == {
        "emergency": pytest.approx(3 + 1 / 60),
        "propaganda": 1.0,
    }
    assert minutes_by(records, "zone_id")["thon-1"] == 8.0  # loudspeaker-minutes, for contrast


def test_failed_plays_keep_their_group_with_zero_minutes() -> None:
    records = fold_events([Ev("a", "x", "failed", T0, category="announcement")])
    assert airtime_minutes_by(records, "category") == {"announcement": 0.0}


def test_union_seconds_merges_overlaps_only() -> None:
    m = timedelta(minutes=1)
    spans = [(T0, T0 + 2 * m), (T0 + m, T0 + 3 * m), (T0 + 5 * m, T0 + 6 * m)]
    assert union_seconds(spans) == 240.0
    assert union_seconds([]) == 0.0
