"""Sync benchmark: a real broker, N real agent processes with file sinks, several play_now
commands; prints first-sample skew across nodes and agent memory as `name: value unit` lines.

    .venv/bin/python bench/sync.py            # 10 agents, 8 commands
    .venv/bin/python bench/sync.py --quick    # 4 agents, 2 commands
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from broadcast_agents.protocol import format_time, parse_time, public_key_b64, topics  # noqa: E402
from tests.support.agents import start_agent  # noqa: E402
from tests.support.audio import make_tone, media_ref  # noqa: E402
from tests.support.broker import start_mosquitto  # noqa: E402
from tests.support.media_server import start_media_server  # noqa: E402
from tests.support.mqtt_client import Collector, FakeController  # noqa: E402

SITE = "xa-bench"


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def idle_cpu_percent(pids: list[int], window_s: float) -> list[float]:
    """CPU used by each idle agent over a quiet window (telemetry and keepalives only)."""
    before = [cpu_seconds(p) for p in pids]
    time.sleep(window_s)  # the measurement itself: an idle period of known length
    return [(cpu_seconds(p) - b) / window_s * 100 for p, b in zip(pids, before, strict=True)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run(
    n_agents: int, n_commands: int, tmp: Path, verbose: bool = False, idle_window_s: float = 20.0
) -> None:
    broker = start_mosquitto(tmp)
    media = tmp / "media"
    media.mkdir()
    server = start_media_server(media)
    controller = FakeController(broker, SITE)
    agents = []
    try:
        tone = make_tone(media / "tone", 1.0)
        ref = media_ref(tone, server.url(tone.name), 1000)
        with Collector(
            broker, [f"tt/v1/{SITE}/node/+/{leaf}" for leaf in ("state", "event")]
        ) as col:
            for i in range(n_agents):
                node = f"n{i}"
                agents.append(
                    start_agent(tmp / node, node, zone="z", site=SITE, broker=broker,
                                public_key=public_key_b64(controller.key), base_url=server.base_url)
                )  # fmt: skip
            for a in agents:
                col.wait_seen(lambda m, n=a.node: m.topic.endswith(f"/{n}/state"), timeout=30)
            starts = {}
            for k in range(n_commands):
                start = datetime.now(UTC) + timedelta(seconds=3)
                item = {"id": f"bc-{k}", "start": format_time(start), "priority": 50,
                        "title": "bench", "kind": "clip", "volume": 80, "media": [ref]}  # fmt: skip
                controller.command(topics.all_cmd(SITE), {"op": "play_now", "item": item})
                starts[item["id"]] = parse_time(item["start"])
                for _ in agents:
                    col.wait_for(lambda m, i=item["id"]: m.payload.get("type") == "finished"
                                 and m.payload.get("item") == i, timeout=20)  # fmt: skip
            memory = [rss_mb(a.proc.pid) for a in agents]
            idle = idle_cpu_percent([a.proc.pid for a in agents], idle_window_s)
        skews, errors = [], []
        for item_id, planned in starts.items():
            firsts = [parse_time(s["first_sample_at"]) for a in agents for s in a.sidecars()
                      if s["item"] == item_id]  # fmt: skip
            skews.append((max(firsts) - min(firsts)).total_seconds() * 1000)
            errors += [abs((f - planned).total_seconds()) * 1000 for f in firsts]
            if verbose:
                offsets = sorted(round((f - planned).total_seconds() * 1000, 1) for f in firsts)
                print(f"# {item_id} first-sample offsets ms: {offsets}")
        print(f"agents: {n_agents} count")
        print(f"commands: {n_commands} count")
        print(f"skew_median: {statistics.median(skews):.2f} ms")
        print(f"skew_p99: {percentile(skews, 0.99):.2f} ms")
        print(f"start_error_p99: {percentile(errors, 0.99):.2f} ms")
        print(f"agent_rss_median: {statistics.median(memory):.1f} MB")
        print(f"agent_rss_max: {max(memory):.1f} MB")
        print(f"agent_idle_cpu_median: {statistics.median(idle):.2f} %")
        print(f"agent_idle_cpu_max: {max(idle):.2f} %")
    finally:
        for a in agents:
            a.terminate()
        controller.close()
        server.stop()
        broker.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4 agents, 2 commands")
    parser.add_argument("--agents", type=int, default=None)
    parser.add_argument("--commands", type=int, default=None)
    parser.add_argument("--verbose", action="store_true", help="print each node's offsets")
    args = parser.parse_args()
    n_agents = args.agents or (4 if args.quick else 10)
    n_commands = args.commands or (2 if args.quick else 8)
    with tempfile.TemporaryDirectory(prefix="tt-bench-") as tmp:
        run(n_agents, n_commands, Path(tmp), args.verbose, 5.0 if args.quick else 30.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
