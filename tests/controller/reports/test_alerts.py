"""Dashboard alerts: offline nodes, clock offsets, stale plans, failed and skipped plays."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from controller.reports.alerts import (
    NodeView,
    PlayProblem,
    node_alerts,
    play_alerts,
    sorted_alerts,
)

NOW = datetime(2027, 1, 28, 8, 0, tzinfo=UTC)


def node(**kw) -> NodeView:  # type: ignore[no-untyped-def]
    values = dict(
        id="a", name="Cụm A", online=True, last_seen=NOW, clock_offset_ms=5.0, plan_lagging=False
    )
    values.update(kw)
    return NodeView(**values)  # type: ignore[arg-type]


def test_a_healthy_node_raises_nothing() -> None:
    assert node_alerts([node()], NOW) == []


def test_offline_at_once_and_stronger_after_ten_minutes() -> None:
    nine_ago = NOW - timedelta(minutes=9)
    [recent] = node_alerts([node(online=False, last_seen=nine_ago, clock_offset_ms=900)], NOW)
    assert recent.code == "offline_recent" and recent.params == {"since": nine_ago}
    assert recent.severity > 1  # a warning first: a 4G link drops for a minute now and then
    long_ago = NOW - timedelta(minutes=11)
    [alert] = node_alerts([node(online=False, last_seen=long_ago, clock_offset_ms=900)], NOW)
    assert alert.code == "offline" and alert.params == {"since": long_ago}
    assert alert.severity == 0
    [never] = node_alerts([node(online=False, last_seen=None)], NOW)
    assert never.code == "offline" and never.params == {"since": None}


def test_a_refused_plan_or_command_is_an_alert() -> None:
    problem = PlayProblem("a", "rejected", NOW, "", {"reason": "bad_signature", "topic": "t"})
    [alert] = play_alerts([problem], {"a": "Cụm A"})
    assert alert.code == "rejected" and alert.severity == 1
    assert alert.params == {"title": "—", "at": NOW, "reason": "bad_signature"}


def test_a_node_that_says_online_but_went_silent_is_offline() -> None:
    [alert] = node_alerts([node(last_seen=NOW - timedelta(minutes=30))], NOW)
    assert alert.code == "offline"


def test_clock_and_plan() -> None:
    alerts = node_alerts([node(clock_offset_ms=-140.4, plan_lagging=True)], NOW)
    assert [(a.code, a.params) for a in alerts] == [("clock", {"ms": -140}), ("plan", {})]
    assert node_alerts([node(clock_offset_ms=100.0)], NOW) == []


def test_failed_downloads_are_missing_media() -> None:
    problems = [
        PlayProblem("a", "failed", NOW, "Tin 1", {"error": "could not fetch http://c/m: 404"}),
        PlayProblem("a", "failed", NOW, "Tin 2", {"error": "sha256 mismatch for http://c/m"}),
        PlayProblem("b", "failed", NOW, "Tin 3", {"error": "sound card busy"}),
        PlayProblem("b", "skipped", NOW, "", {}),
    ]
    alerts = play_alerts(problems, {"a": "Cụm A"})
    assert [(a.code, a.node) for a in alerts] == [
        ("media_missing", "Cụm A"),
        ("media_missing", "Cụm A"),
        ("failed", "b"),
        ("skipped", "b"),
    ]
    assert alerts[3].params["title"] == "—"


def test_most_serious_first() -> None:
    alerts = node_alerts(
        [
            node(id="z", name="Z", clock_offset_ms=500),
            node(id="y", name="Y", last_seen=None, online=False),
        ],
        NOW,
    )
    assert [a.code for a in sorted_alerts(alerts)] == ["offline", "clock"]
