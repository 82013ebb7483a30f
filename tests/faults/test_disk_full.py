"""A node whose disk is full: the download fails, the play is reported failed, the agent lives.

The agent's cache sits on a real 64 KiB tmpfs, so the write fails with ENOSPC exactly as on a
full SD card (mounting needs root, which the test machines and CI have).
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from broadcast_agents.protocol import format_time
from tests.faults.fault_server import FaultServer, start_fault_server
from tests.faults.rig import Rig
from tests.support.audio import make_tone

pytestmark = pytest.mark.slow
NODE = "thon-1-a"


@pytest.fixture
def small_disk(rig: Rig) -> Iterator[Path]:
    cache = rig.root / NODE / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(cache)], check=True)
    try:
        yield cache
    finally:
        if NODE in rig.agents:
            rig.agents[NODE].kill()
        subprocess.run(["umount", "-l", str(cache)], check=False)


def test_full_disk_is_reported_and_the_agent_keeps_running(
    rig: Rig, small_disk: Path, tmp_path: Path
) -> None:
    server: FaultServer = start_fault_server()
    try:
        big = make_tone(tmp_path / "big", 30.0, 330, fmt="wav").read_bytes()  # ~2.8 MB
        assert len(big) > 64 * 1024
        server.files["big"] = big
        ref = {"url": server.url("big"), "sha256": hashlib.sha256(big).hexdigest(),
               "bytes": len(big), "duration_ms": 30_000}  # fmt: skip
        start = datetime.now(UTC) + timedelta(seconds=4)
        entry = {"id": "too-big", "start": format_time(start), "priority": 100,
                 "title": "too-big", "kind": "clip", "volume": 80, "media": [ref]}  # fmt: skip
        agent = rig.agent(NODE)
        rig.wait_online(NODE)
        rig.dispatch.publish_plans({NODE: [entry]})
        failed = rig.wait_play(NODE, "too-big", "failed", timeout=30)
        assert "No space left" in str(failed["detail"]), failed  # says why
        assert not [s for s in agent.sidecars() if s["item"] == "too-big"]  # nothing played
        assert agent.proc.poll() is None  # the agent is still alive
        rig.ping(NODE)  # and still answers
    finally:
        server.stop()
