#!/usr/bin/env python3
"""Soak test (``make soak``; not part of ``make test`` nor CI): hours of village life in minutes.

Starts a local Mosquitto on a free port, the controller (``python -m controller serve``, SQLite
under a temp dir, its own port) and 200 simulated nodes: light paho clients, spread over a few
processes, that verify every envelope with ``broadcast_agents.protocol.EnvelopeVerifier`` and
answer ``play_now`` as a real agent does (ack at once, ``started`` at the planned instant or a
late join of up to 5 s, ``finished`` when the clip would end, ``skipped`` when too late, and
telemetry every 30 s). It sends a broadcast to every node every few seconds through the API and
restarts the broker at random moments. At the end it checks that the play log is complete
(every accepted broadcast has ``started`` and ``finished`` from every node exactly once, and an
ack from each) and that the controller's memory (VmRSS, after warm-up) stayed within a bound.

    python scripts/soak.py [--duration 600] [--quick] [--nodes 200] [--seed N] [--keep]

Prints ``name: value unit`` lines and exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import heapq
import multiprocessing as mp
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from broadcast_agents.protocol import (  # noqa: E402
    Accepted,
    Ack,
    EnvelopeVerifier,
    Event,
    Rejected,
    canonical_json,
    parse_command,
    topics,
)

SITE = "xa-binh-yen"
LATE_JOIN_S = 5.0  # the agent's player.late_join_ms default
TELEMETRY_EVERY_S = 30.0
CLIP_SECONDS = 2
ADMIN_PASSWORD = "mat-khau-soak-test"
MOSQUITTO = shutil.which("mosquitto") or "/usr/sbin/mosquitto"


# ----------------------------------------------------------------------------- small helpers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(check: Callable[[], bool], timeout: float, what: str, every: float = 0.2) -> None:
    """Poll ``check`` until it holds; raise TimeoutError naming ``what`` otherwise."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        time.sleep(every)  # a poll interval between checks of another process's state


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def now_utc() -> datetime:
    return datetime.now(UTC)


# ----------------------------------------------------------------------------- the broker


@dataclass
class Mosquitto:
    """A Mosquitto child process with persistence, restartable on the same port."""

    root: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        conf = self.root / "mosquitto.conf"
        conf.write_text(
            f"listener {self.port} 127.0.0.1\nallow_anonymous true\n"
            f"persistence true\npersistence_location {self.root}/\nautosave_interval 1\n"
            "max_queued_messages 100000\nmax_inflight_messages 100\n"
            # As root it would drop to the mosquitto user, who cannot write the persistence file.
            f"{'user root' if os.geteuid() == 0 else ''}\n"
        )
        with (self.root / "mosquitto.log").open("ab") as log:
            self.proc = subprocess.Popen([MOSQUITTO, "-c", str(conf)], stdout=log, stderr=log)
        wait_until(lambda: port_open(self.port), 10, "mosquitto to listen", every=0.05)

    def stop(self) -> None:
        """SIGTERM: Mosquitto saves sessions and queued messages before it exits."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=20)
        self.proc = None

    def restart(self, down_s: float) -> None:
        self.stop()
        time.sleep(down_s)  # the outage itself is what is being simulated
        self.start()


# ----------------------------------------------------------------------------- the controller


def controller_config(root: Path, port: int, broker_port: int) -> str:
    return f"""
[site]
id = "{SITE}"

[server]
host = "127.0.0.1"
port = {port}
public_url = "http://127.0.0.1:{port}"
threads = 8
secret_key_file = "{root / "secret_key"}"

[database]
url = "sqlite:///{root / "tt.db"}"

[mqtt]
host = "127.0.0.1"
port = {broker_port}
client_id = "tt-soak-controller"

[storage]
media_dir = "{root / "media"}"

[signing]
private_key = "{root / "signing_key"}"

[quiet_hours]
# Off (start = end): the soak broadcasts at whatever hour it runs.
start = "00:00"
end = "00:00"
"""


@dataclass
class Controller:
    """``python -m controller serve`` as a child process, with an admin API token."""

    root: Path
    broker_port: int
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None
    token: str = ""

    @property
    def config_path(self) -> Path:
        return self.root / "controller.toml"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _env(self) -> dict[str, str]:
        return {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}

    def cli(self, *args: str, stdin: str = "") -> str:
        cmd = [sys.executable, "-m", "controller", "--config", str(self.config_path), *args]
        done = subprocess.run(cmd, input=stdin, capture_output=True, text=True, cwd=ROOT,
                              env=self._env(), timeout=120, check=True)  # fmt: skip
        return done.stdout

    def prepare(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(controller_config(self.root, self.port, self.broker_port))
        self.cli("user", "create", "soak-admin", "--role", "admin", "--password-stdin",
                 stdin=ADMIN_PASSWORD + "\n")  # fmt: skip
        self.token = self.cli("token", "create", "soak-admin").strip()

    def start(self) -> None:
        cmd = [sys.executable, "-m", "controller", "--config", str(self.config_path), "serve"]
        with (self.root / "controller.log").open("ab") as log:
            self.proc = subprocess.Popen(cmd, stdout=log, stderr=log, cwd=ROOT, env=self._env())
        wait_until(self._healthy, 60, "the controller's /healthz")

    def _healthy(self) -> bool:
        if self.proc is not None and self.proc.poll() is not None:
            raise RuntimeError("the controller exited; see controller.log")
        try:
            return requests.get(f"{self.base_url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def rss_mb(self) -> float:
        """The controller's resident memory now (VmRSS), in MiB."""
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS line")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Api:
    """The integration API with the admin token (JSON in, JSON out)."""

    def __init__(self, base_url: str, token: str) -> None:
        self.base = base_url
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {token}"

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        return self.http.request(method, self.base + path, timeout=30, **kwargs)

    def ok(self, method: str, path: str, **kwargs: Any) -> Any:
        resp = self.call(method, path, **kwargs)
        if resp.status_code >= 300:
            raise RuntimeError(f"{method} {path}: {resp.status_code} {resp.text[:300]}")
        return resp.json() if resp.content else None

    def plays(self) -> Iterator[dict[str, Any]]:
        """The whole play log, page by page."""
        cursor = None
        while True:
            params = {"limit": "10000", **({"before": cursor} if cursor else {})}
            page = self.ok("get", "/api/v1/plays", params=params)
            yield from page["items"]
            cursor = page.get("next")
            if not cursor:
                return


def provision(api: Api, nodes: int, zones: int, clip: Path) -> tuple[list[tuple[str, str]], int]:
    """Zones, nodes and one clip in the library; returns (node, zone) pairs and the media id."""
    pairs = []
    for z in range(zones):
        zone = f"thon-{z + 1}"
        api.ok("post", "/api/v1/zones", json={"id": zone, "name": f"Thôn {z + 1}"})
    for n in range(nodes):
        zone = f"thon-{n % zones + 1}"
        node = f"cum-loa-{n + 1:03d}"
        api.ok("post", "/api/v1/nodes", json={"id": node, "zone": zone, "name": f"Cụm {n + 1}"})
        pairs.append((node, zone))
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"sine=frequency=660:duration={CLIP_SECONDS}:sample_rate=22050", str(clip)],
        check=True,
    )  # fmt: skip
    with clip.open("rb") as fh:
        media = api.ok("post", "/api/v1/media", files={"file": (clip.name, fh)},
                       data={"title": "Nhạc hiệu thử", "category": "other"})  # fmt: skip
    return pairs, media["id"]


# ----------------------------------------------------------------------------- simulated nodes


class Scheduler:
    """One thread running timed callbacks for all the nodes of a process."""

    def __init__(self) -> None:
        self._heap: list[tuple[float, int, Callable[[], None]]] = []
        self._cv = threading.Condition()
        self._n = 0
        self._stopped = False
        threading.Thread(target=self._run, daemon=True).start()

    def at(self, when: float, job: Callable[[], None]) -> None:
        """Run ``job`` at ``when`` (time.time() seconds)."""
        with self._cv:
            self._n += 1
            heapq.heappush(self._heap, (when, self._n, job))
            self._cv.notify()

    def stop(self) -> None:
        with self._cv:
            self._stopped = True
            self._cv.notify()

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._stopped and (not self._heap or self._heap[0][0] > time.time()):
                    self._cv.wait(None if not self._heap else self._heap[0][0] - time.time())
                if self._stopped:
                    return
                _, _, job = heapq.heappop(self._heap)
            job()


class SimNode:
    """A node that speaks the contract like the agent, without audio."""

    def __init__(self, node: str, zone: str, port: int, public_key: str, sched: Scheduler):
        import paho.mqtt.client as mqtt

        self.node, self.zone, self.port, self.sched = node, zone, port, sched
        self.verifier = EnvelopeVerifier(SITE, public_key)
        self.lock = threading.Lock()
        self.connected = threading.Event()
        self.counts: Counter[str] = Counter()
        self.started_at = time.time()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=f"soak-{node}", clean_session=False
        )
        self.client.max_queued_messages_set(0)  # keep every report while the broker is away
        self.client.reconnect_delay_set(0.2, 2)
        offline = canonical_json({"online": False, "node": node})
        self.client.will_set(topics.node_state(SITE, node), offline, qos=1, retain=True)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = lambda *a: self.connected.clear()
        self.client.on_message = self._on_message

    def start(self) -> None:
        self.client.connect_async("127.0.0.1", self.port, keepalive=30)
        self.client.loop_start()
        self.sched.at(time.time() + random.uniform(1, TELEMETRY_EVERY_S), self._telemetry)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _publish(self, leaf: str, body: dict[str, Any], qos: int = 1, retain: bool = False):
        self.client.publish(topics.node_topic(SITE, self.node, leaf), canonical_json(body), qos,
                            retain)  # fmt: skip

    def _on_connect(self, client, userdata, flags, reason, properties) -> None:  # type: ignore[no-untyped-def]
        if reason.is_failure:
            return
        subs = topics.node_subscriptions(SITE, self.node, self.zone)
        client.subscribe([(t, 1) for t in subs])
        self._publish("state", {"online": True, "node": self.node, "version": "soak"}, 1, True)
        self.counts["connects"] += 1
        self.connected.set()

    def _on_message(self, client, userdata, msg) -> None:  # type: ignore[no-untyped-def]
        kind = "plan" if msg.topic.endswith("/plan") else "cmd"
        with self.lock:  # one verifier state per node, whatever thread delivers
            result = self.verifier.check(msg.payload, now_utc(), expect_kind=kind)
        if isinstance(result, Rejected):
            self.counts[f"rejected_{result.reason_code}"] += 1
            self._event(
                "rejected", result.envelope_id or "", now_utc(), {"reason": result.reason_code}
            )
            return
        if not isinstance(result, Accepted):
            self.counts["duplicates"] += 1
            return
        self.counts[f"accepted_{kind}"] += 1
        if kind == "cmd":
            self._on_command(result.envelope)

    def _on_command(self, envelope: dict[str, Any]) -> None:
        command = parse_command(envelope)
        ack = Ack(self.node, envelope["id"], "ok", now_utc())
        self._publish("ack", ack.to_dict())
        if command.op == "play_now" and command.item is not None:
            self._play(command.item.id, command.item.start, command.item.duration)

    def _play(self, item: str, start: datetime, duration: timedelta) -> None:
        late = (now_utc() - start).total_seconds()
        if late > LATE_JOIN_S:
            self.counts["skipped_late"] += 1
            self._event("skipped", item, now_utc(), {"reason": "late"})
            return
        begin = max(start, now_utc())
        end = start + duration
        self.sched.at(begin.timestamp(), lambda: self._event("started", item, begin))
        self.sched.at(end.timestamp(), lambda: self._event("finished", item, end))

    def _event(self, kind: str, item: str, at: datetime, detail: Any = None) -> None:
        event = Event(self.node, kind, item, at, detail, f"{self.node}:{item}:{kind}")
        self._publish("event", event.to_dict())
        self.counts[f"event_{kind}"] += 1

    def _telemetry(self) -> None:
        if self.connected.is_set():
            body = {
                "node": self.node, "at": now_utc().isoformat(), "volume": 80,
                "now_playing": None, "plan_seq": None, "cache_bytes": 0,
                "clock_offset_ms": 0.5, "version": "soak",
                "uptime_s": round(time.time() - self.started_at, 1),
            }  # fmt: skip
            self._publish("telemetry", body, qos=0)
        self.sched.at(time.time() + TELEMETRY_EVERY_S, self._telemetry)


def run_node_group(group: list[tuple[str, str]], port: int, public_key: str, stop: Any,
                   ready: Any, results: Any) -> None:  # fmt: skip
    """Child process: run ``group``'s nodes until ``stop`` is set, then report their counts."""
    sched = Scheduler()
    nodes = [SimNode(node, zone, port, public_key, sched) for node, zone in group]
    for sim in nodes:
        sim.start()
    for sim in nodes:
        sim.connected.wait(60)
    ready.put(sum(sim.connected.is_set() for sim in nodes))
    stop.wait()
    total: Counter[str] = Counter()
    for sim in nodes:
        total.update(sim.counts)
        sim.stop()
    sched.stop()
    results.put(dict(total))


@contextmanager
def node_processes(pairs: list[tuple[str, str]], port: int, public_key: str,
                   processes: int) -> Iterator[dict[str, Any]]:  # fmt: skip
    """Start the simulated nodes in ``processes`` children; yields a dict filled at exit."""
    ctx = mp.get_context("spawn")
    stop, ready, results = ctx.Event(), ctx.Queue(), ctx.Queue()
    groups = [pairs[i::processes] for i in range(processes)]
    children = [
        ctx.Process(target=run_node_group, args=(g, port, public_key, stop, ready, results))
        for g in groups
    ]
    for child in children:
        child.start()
    connected = sum(ready.get(timeout=120) for _ in children)
    if connected != len(pairs):
        raise RuntimeError(f"only {connected} of {len(pairs)} simulated nodes connected")
    counts: dict[str, Any] = {}
    try:
        yield counts
    finally:
        stop.set()
        total: Counter[str] = Counter()
        for _ in children:
            total.update(results.get(timeout=60))
        for child in children:
            child.join(30)
        counts.update(total)


# ----------------------------------------------------------------------------- the run


@dataclass
class Run:
    """What happened: broadcasts accepted and refused, restarts, request latencies."""

    accepted: list[str] = field(default_factory=list)
    refused: Counter[int] = field(default_factory=Counter)
    restarts: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    rss_mb: list[tuple[float, float]] = field(default_factory=list)  # (elapsed s, MiB)

    def rss_slope(self) -> float:
        """MiB per minute over the second half of the run (least squares): a leak's signature."""
        half = (
            [(t, m) for t, m in self.rss_mb if t >= self.rss_mb[-1][0] / 2] if self.rss_mb else []
        )
        if len(half) < 3:
            return 0.0
        return statistics.linear_regression([t for t, _ in half], [m for _, m in half]).slope * 60


def broadcast(api: Api, media_id: int, run: Run) -> None:
    started = time.monotonic()
    try:
        resp = api.call("post", "/api/v1/broadcasts", json={"media_ids": [media_id], "all": True})
    except requests.RequestException:
        run.refused[0] += 1
        return
    run.latencies_ms.append((time.monotonic() - started) * 1000)
    if resp.status_code == 201:
        run.accepted.append(resp.json()["id"])
    else:
        run.refused[resp.status_code] += 1


def drive(api: Api, broker: Mosquitto, media_id: int, seconds: float, interval: float,
          restarts: int, rng: random.Random, rss: Callable[[], float]) -> Run:  # fmt: skip
    """Broadcast every ``interval`` s for ``seconds`` s, restarting the broker at random moments."""
    run = Run()
    begin = time.monotonic()
    # Keep the last 15 s free of restarts so the final broadcasts are not judged mid-outage.
    moments = sorted(rng.uniform(5, max(6, seconds - 15)) for _ in range(restarts))
    next_cast = next_sample = begin
    while (elapsed := time.monotonic() - begin) < seconds:
        if time.monotonic() >= next_sample:
            run.rss_mb.append((elapsed, rss()))
            next_sample += 5
        if moments and elapsed >= moments[0]:
            moments.pop(0)
            broker.restart(down_s=rng.uniform(0.2, 3.0))
            run.restarts += 1
        if time.monotonic() >= next_cast:
            broadcast(api, media_id, run)
            next_cast += interval * rng.uniform(0.6, 1.4)
        time.sleep(0.05)  # the driver's tick
    return run


def play_log_gaps(api: Api, ids: list[str], nodes: list[str]) -> dict[str, int]:
    """Counts of missing, duplicate and late-skipped reports over the accepted broadcasts."""
    wanted = set(ids)
    seen: Counter[tuple[str, str, str]] = Counter()
    for row in api.plays():
        if row["item"] in wanted:
            seen[(row["item"], row["node"], row["type"])] += 1
    gaps = {"missing": 0, "duplicate": 0, "skipped": 0}
    for item in ids:
        for node in nodes:
            for kind in ("started", "finished"):
                count = seen.get((item, node, kind), 0)
                gaps["missing"] += count == 0
                gaps["duplicate"] += max(count - 1, 0)
            gaps["skipped"] += seen.get((item, node, "skipped"), 0)
    return gaps


def missing_acks(api: Api, ids: list[str], nodes: int) -> int:
    missing = 0
    for item in ids:
        summary = api.ok("get", f"/api/v1/broadcasts/{item}")["summary"]
        missing += nodes - summary["acknowledged"]
    return missing


def settle(api: Api, ids: list[str], nodes: list[str], timeout: float) -> dict[str, int]:
    """Wait (polling) until the play log is complete or ``timeout`` passes; the last gaps."""
    deadline = time.monotonic() + timeout
    while True:
        gaps = play_log_gaps(api, ids, nodes)
        if gaps["missing"] == 0 or time.monotonic() > deadline:
            return gaps
        time.sleep(2)  # the poll interval of a report that is still arriving


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=600, help="seconds of load (600)")
    parser.add_argument("--quick", action="store_true", help="60 s instead of --duration")
    parser.add_argument("--nodes", type=int, default=200)
    parser.add_argument("--zones", type=int, default=10)
    parser.add_argument("--processes", type=int, default=4, help="processes for the nodes")
    parser.add_argument("--interval", type=float, default=4.0, help="mean s between broadcasts")
    parser.add_argument("--restarts", type=int, default=None, help="broker restarts (1/min)")
    parser.add_argument("--max-rss-growth-mb", type=float, default=64.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, db)")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = 60.0
    if args.restarts is None:
        args.restarts = max(1, round(args.duration / 60))
    args.seed = args.seed if args.seed is not None else random.randrange(10**6)
    return args


def report(lines: list[tuple[str, Any, str]]) -> None:
    for name, value, unit in lines:
        shown = f"{value:.1f}" if isinstance(value, float) else str(value)
        print(f"{name}: {shown} {unit}".rstrip(), flush=True)


def soak(args: argparse.Namespace, workdir: Path) -> bool:
    rng = random.Random(args.seed)
    broker = Mosquitto(workdir / "mosquitto")
    broker.start()
    controller = Controller(workdir / "controller", broker.port)
    try:
        controller.prepare()
        controller.start()
        api = Api(controller.base_url, controller.token)
        pairs, media_id = provision(api, args.nodes, args.zones, workdir / "clip.wav")
        public_key = api.ok("get", "/api/v1/signing-key")["public_key"]
        nodes = [node for node, _ in pairs]
        with node_processes(pairs, broker.port, public_key, args.processes) as counts:
            online = lambda: sum(n["online"] for n in api.ok("get", "/api/v1/nodes")["items"])  # noqa: E731
            wait_until(lambda: online() == args.nodes, 60, "every node online", every=0.5)
            warm = Run()
            for _ in range(3):  # warm-up: caches, connection pools, first plans
                broadcast(api, media_id, warm)
            settle(api, warm.accepted, nodes, 60)
            rss_start = controller.rss_mb()
            run = drive(api, broker, media_id, args.duration, args.interval, args.restarts, rng,
                        controller.rss_mb)  # fmt: skip
            # End of the load; the audit below reads the whole log, a burst of its own.
            rss_end = controller.rss_mb()
            gaps = settle(api, run.accepted, nodes, 90)
            acks = missing_acks(api, run.accepted, args.nodes)
            rss_audit = controller.rss_mb()
        growth = rss_end - rss_start
        ok = (
            gaps["missing"] == 0 and gaps["duplicate"] == 0 and acks == 0
            and growth <= args.max_rss_growth_mb and len(run.accepted) > 0
        )  # fmt: skip
        p95 = statistics.quantiles(run.latencies_ms, n=20)[-1] if len(run.latencies_ms) > 1 else 0
        report([
            ("seed", args.seed, ""),
            ("duration", float(args.duration), "s"),
            ("nodes", args.nodes, "count"),
            ("broker_restarts", run.restarts, "count"),
            ("broadcasts_accepted", len(run.accepted), "count"),
            ("broadcasts_refused", sum(run.refused.values()), f"count {dict(run.refused)}"),
            ("plays_expected", 2 * len(run.accepted) * args.nodes, "events"),
            ("plays_missing", gaps["missing"], "events"),
            ("plays_duplicate", gaps["duplicate"], "events"),
            ("plays_skipped_late", gaps["skipped"], "events"),
            ("acks_missing", acks, "acks"),
            ("envelopes_rejected", sum(v for k, v in counts.items()
                                       if k.startswith("rejected_")), "count"),
            ("node_reconnects", counts.get("connects", 0) - args.nodes, "count"),
            ("broadcast_api_p95", p95, "ms"),
            ("rss_start", rss_start, "MiB"),
            ("rss_end", rss_end, "MiB"),
            ("rss_after_log_audit", rss_audit, "MiB"),
            ("rss_growth", growth, f"MiB (bound {args.max_rss_growth_mb:.0f})"),
            ("rss_slope_second_half", run.rss_slope(), "MiB/min"),
            ("result", "PASS" if ok else "FAIL", ""),
        ])  # fmt: skip
        if counts:
            print(f"# node counters: {dict(sorted(counts.items()))}", flush=True)
        print("# rss MiB by s: " + " ".join(f"{t:.0f}:{m:.0f}" for t, m in run.rss_mb), flush=True)
        return ok
    finally:
        controller.stop()
        broker.stop()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="tt-soak-"))
    try:
        ok = soak(args, workdir)
    finally:
        if args.keep:
            print(f"# logs and database kept in {workdir}", flush=True)
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
