"""Node faults with real agent processes: kill -9 mid-playback and mid-download, media URLs that
answer 404, 500 or garbage, and a network that flaps. Each fault is reported through the real
controller and none crashes the agent."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from broadcast_agents.protocol import format_time
from tests.faults.fault_server import FaultServer, start_fault_server
from tests.faults.rig import Rig
from tests.support.audio import make_tone
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow
NODE = "thon-1-a"


@pytest.fixture
def faults() -> Iterator[FaultServer]:
    server = start_fault_server()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return make_tone(tmp_path_factory.mktemp("long") / "long", 4.0, 330).read_bytes()


def soon(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def item(item_id: str, start: datetime, url: str, data: bytes, duration_ms: int) -> dict:
    ref = {"url": url, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data),
           "duration_ms": duration_ms}  # fmt: skip
    return {"id": item_id, "start": format_time(start), "priority": 100, "title": item_id,
            "kind": "clip", "volume": 80, "media": [ref]}  # fmt: skip


def types(rig: Rig, item_id: str) -> list[str]:
    return sorted(p["type"] for p in rig.events(NODE, item_id))


def played(rig: Rig) -> list[str]:
    return [s["item"] for s in rig.agents[NODE].sidecars()]


def test_bad_media_is_reported_and_the_agent_plays_on(
    rig: Rig, faults: FaultServer, clip_file: Path
) -> None:
    names = ("gone", "broken", "garbage")
    for name, mode in zip(names, ("404", "500", "garbage"), strict=True):
        # distinct bytes per item: the node fetches each sha256 once, whatever its URL
        faults.files[name] = clip_file.read_bytes() + name.encode()
        faults.mode[name] = mode
    agent = rig.agent(NODE)
    rig.wait_online(NODE)
    t0 = soon(5)
    bad = [item(n, t0 + timedelta(seconds=2 * i), faults.url(n), faults.files[n], 1500)
           for i, n in enumerate(names)]  # fmt: skip
    good = rig.clip_item("good", t0 + timedelta(seconds=6))
    rig.dispatch.publish_plans({NODE: [*bad, good]})
    rig.wait_play(NODE, "good", "finished", timeout=30)
    for entry in bad:
        failed = rig.wait_play(NODE, entry["id"], "failed", timeout=10)
        assert failed["detail"], failed  # says why
        assert types(rig, entry["id"]) == ["failed"]
    assert played(rig) == ["good"]  # the garbage file was fetched but never played
    assert sum(1 for name, _ in faults.requests if name == "garbage") >= 1
    assert agent.proc.poll() is None


def test_kill_9_mid_download_resumes_and_never_plays_a_partial_file(
    rig: Rig, faults: FaultServer, long_clip: bytes
) -> None:
    faults.files["slow"], faults.mode["slow"] = long_clip, "stall"
    faults.stall_after = len(long_clip) // 2
    entry = item("slow", soon(9), faults.url("slow"), long_clip, 4000)
    rig.dispatch.publish_plans({NODE: [entry]})
    agent = rig.agent(NODE)
    assert faults.stalled.wait(20), "the node never started the download"
    part = agent.root / "cache" / f"{entry['media'][0]['sha256']}.part"
    wait_until(part.exists, 10, "a partial file")
    agent.kill()  # SIGKILL halfway through the body
    partial = part.read_bytes() if part.exists() else b""
    assert len(partial) < len(long_clip)
    # Damage what was saved: the resumed file cannot match its sha256 and must not be played.
    part.write_bytes(bytes(b ^ 0xFF for b in partial))
    faults.mode["slow"] = "ok"
    faults.release.set()
    mark = len(faults.requests)
    rig.agent(NODE)
    rig.wait_play(NODE, "slow", "finished", timeout=30)
    ranges = [r for name, r in faults.requests[mark:] if name == "slow"]
    if partial:
        assert ranges[0] == f"bytes={len(partial)}-"  # resumed where the saved part ended
        assert None in ranges[1:]  # then, sha256 mismatch: fetched again from byte 0
    assert played(rig) == ["slow"]
    assert types(rig, "slow") == ["finished", "started"]
    cached = agent.root / "cache" / entry["media"][0]["sha256"]
    assert cached.read_bytes() == long_clip


def test_kill_9_mid_playback_resumes_from_saved_plan_and_cache(
    rig: Rig, faults: FaultServer, long_clip: bytes, clip_file: Path
) -> None:
    short = clip_file.read_bytes()
    faults.files["long"], faults.files["next"] = long_clip, short
    t0 = soon(5)
    first = item("long", t0, faults.url("long"), long_clip, 4000)
    second = item("next", t0 + timedelta(seconds=6), faults.url("next"), short, 1500)
    rig.dispatch.publish_plans({NODE: [first, second]})
    agent = rig.agent(NODE)
    rig.wait_play(NODE, "long", "started", timeout=20)
    agent.kill()  # SIGKILL mid-item
    rig.broker.stop()  # and no broker: the restarted node has only its saved plan and cache
    fetched = list(faults.requests)
    restarted = rig.agent(NODE)
    wait_until(lambda: "next" in [s["item"] for s in restarted.sidecars()], 25, "next item")
    assert faults.requests == fetched  # nothing downloaded again: it played from its cache
    rig.broker.start()
    rig.wait_play(NODE, "next", "finished", timeout=60)
    assert types(rig, "next") == ["finished", "started"]
    assert "finished" in types(rig, "long")  # the interrupted item was closed, not lost
    assert [s["item"] for s in restarted.sidecars()].count("next") == 1


def test_network_flaps_do_not_crash_the_agent(rig: Rig) -> None:
    agent = rig.agent(NODE)
    rig.wait_online(NODE)
    connects = lambda: agent.log.count("connected to 127.0.0.1")  # noqa: E731
    for flap in range(1, 4):
        rig.broker.stop()
        rig.broker.start()
        wait_until(lambda: connects() > flap, 20, f"the node back after flap {flap}")  # noqa: B023
    rig.wait_controller_connected()
    rig.ping(NODE, timeout=60)  # both sides are back on the broker
    broadcast = rig.broadcast(["thon-1"])
    rig.wait_play(NODE, broadcast, "finished")
    assert rig.node(NODE).online is True
    assert agent.proc.poll() is None and connects() == 4
