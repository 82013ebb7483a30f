"""Benchmark of dispatch fan-out: broadcasts and plans reaching 1,000 simulated nodes over MQTT.

Starts a local Mosquitto on a free port and a controller app (SQLite in a temp folder, the real
DispatchService and MqttLink). Simulated nodes are light paho clients, many per process, driven
by one epoll loop per process; each subscribes to its plan and cmd topics, its zone's cmd and
the site's cmd, exactly as an agent does. Prints ``name: value unit`` lines:

- ``fanout.all.p50`` / ``fanout.all.p99``: from ``POST /api/v1/broadcasts`` (``all: true``) to
  the LAST node receiving the ``play_now``, over several runs;
- ``fanout.zones.p50`` / ``fanout.zones.p99``: the same for a broadcast listing every zone;
- ``plans_publish.1000``: ``publish_plans`` for every node (all plans changed);
- ``plans_delivered.1000``: from that call until the last node held its plan;
- ``plans_unchanged.1000``: the same call again (nothing changed, nothing published).

    .venv/bin/python bench/fanout.py                # 1,000 nodes, 20 broadcast runs
    .venv/bin/python bench/fanout.py --quick        # 5 runs
    .venv/bin/python bench/fanout.py --nodes 3000
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import queue
import resource
import selectors
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import paho.mqtt.client as mqtt  # noqa: E402

SITE = "xa-bench"
NODES_PER_ZONE = 100
CLIENTS_PER_PROCESS = 250
ITEMS_PER_PLAN = 20
SHA = "ab" * 32


# -- broker -------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _raise_fd_limit() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def start_broker(folder: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    conf = folder / "mosquitto.conf"
    conf.write_text(
        f"listener {port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 10000\n"
        "set_tcp_nodelay true\nconnection_messages false\n"
    )
    binary = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    proc = subprocess.Popen(
        [binary, "-c", str(conf)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_raise_fd_limit,
    )
    assert proc.stderr is not None
    for line in proc.stderr:  # wait for the broker to say it listens (no sleeping)
        if b"listen socket" in line:
            # Keep reading its log, or a full pipe would block the broker.
            threading.Thread(target=proc.stderr.read, daemon=True).start()
            return proc, port
    raise RuntimeError("mosquitto did not start")


# -- simulated nodes (worker processes) ---------------------------------------------------


def node_worker(host: str, port: int, nodes: list[tuple[str, str]], out: Any, stop: Any) -> None:
    """Run many node clients on one epoll loop; report (kind, id, node, monotonic time)."""
    _raise_fd_limit()
    received: list[tuple[str, str, str, float]] = []
    subscribed = 0

    def on_connect(client: mqtt.Client, userdata: Any, *_: Any) -> None:
        node, zone = userdata
        prefix = f"tt/v1/{SITE}"
        client.subscribe(
            [
                (f"{prefix}/node/{node}/plan", 1),
                (f"{prefix}/node/{node}/cmd", 1),
                (f"{prefix}/zone/{zone}/cmd", 1),
                (f"{prefix}/all/cmd", 1),
            ]
        )

    def on_subscribe(*_: Any) -> None:
        nonlocal subscribed
        subscribed += 1

    def on_message(client: mqtt.Client, userdata: Any, message: mqtt.MQTTMessage) -> None:
        at = time.monotonic()
        envelope = json.loads(message.payload)
        received.append((envelope["kind"], envelope["id"], userdata[0], at))

    selector = selectors.DefaultSelector()
    clients = []
    for node, zone in nodes:
        client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, client_id=node, userdata=(node, zone)
        )
        client.on_connect = on_connect
        client.on_subscribe = on_subscribe
        client.on_message = on_message
        client.connect(host, port, keepalive=120)
        client.socket().setblocking(False)
        selector.register(client.socket(), selectors.EVENT_READ, client)
        clients.append(client)
    ready_sent = False
    last_misc = time.monotonic()
    while not stop.is_set():
        for c in clients:
            if c.want_write():
                c.loop_write()
        for key, _ in selector.select(timeout=0.05):
            key.data.loop_read()
        if not ready_sent and subscribed == len(clients):
            out.put(("ready", len(clients)))
            ready_sent = True
        if received:
            out.put(("got", received))
            received = []
        if time.monotonic() - last_misc > 1.0:
            for c in clients:
                c.loop_misc()
            last_misc = time.monotonic()


class Nodes:
    """The fleet of simulated nodes, spread over worker processes."""

    def __init__(self, host: str, port: int, nodes: list[tuple[str, str]]) -> None:
        ctx = mp.get_context("fork")
        self.out = ctx.Queue()
        self.stop = ctx.Event()
        self.procs = []
        for i in range(0, len(nodes), CLIENTS_PER_PROCESS):
            chunk = nodes[i : i + CLIENTS_PER_PROCESS]
            proc = ctx.Process(
                target=node_worker, args=(host, port, chunk, self.out, self.stop), daemon=True
            )
            proc.start()
            self.procs.append(proc)
        ready = 0
        while ready < len(nodes):
            kind, count = self.out.get(timeout=60)
            if kind == "ready":
                ready += count
        self.pending: list[tuple[str, str, str, float]] = []

    def wait_all(self, kind: str, ids: set[str], count: int, timeout: float = 30) -> list[float]:
        """Receipt times of ``count`` messages of ``kind`` whose id is in ``ids``."""
        deadline = time.monotonic() + timeout
        earlier, self.pending = self.pending, []
        times = [r[3] for r in earlier if r[0] == kind and r[1] in ids]
        self.pending = [r for r in earlier if not (r[0] == kind and r[1] in ids)]
        while len(times) < count:
            try:
                tag, batch = self.out.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(f"only {len(times)}/{count} {kind} received") from None
            if tag != "got":
                continue
            for rec in batch:
                if rec[0] == kind and rec[1] in ids:
                    times.append(rec[3])
                else:
                    self.pending.append(rec)
        return times

    def close(self) -> None:
        self.stop.set()
        for proc in self.procs:
            proc.join(timeout=10)
            if proc.is_alive():
                proc.terminate()


# -- controller ---------------------------------------------------------------------------


def make_controller(folder: Path, port: int, nodes: list[tuple[str, str]]) -> tuple[Any, Any, str]:
    from controller.app import create_app
    from controller.bootstrap import ensure_site
    from controller.config import Config
    from controller.db.models import MediaItem, Node, Zone
    from controller.dispatch.service import DispatchService
    from controller.users import create_token, create_user

    cfg = Config()
    cfg.base_dir = folder
    cfg.site.id = SITE
    cfg.database.url = f"sqlite:///{folder / 'tt.db'}"
    cfg.server.secret_key_file = str(folder / "secret_key")
    cfg.signing.private_key = str(folder / "signing_key")
    cfg.mqtt.host, cfg.mqtt.port = "127.0.0.1", port
    cfg.quiet_hours.start = cfg.quiet_hours.end = "00:00"  # broadcast at any hour of the run
    app = create_app(cfg)
    db = app.extensions["tt.db"]
    ensure_site(db, cfg)
    with db.session() as s:
        zones = sorted({z for _, z in nodes})
        s.add_all(Zone(id=z, site_id=SITE, name=z) for z in zones)
        s.flush()
        s.add_all(Node(id=n, site_id=SITE, zone_id=z, name=n) for n, z in nodes)
        s.add(
            MediaItem(
                id=1,
                site_id=SITE,
                title="Bản tin",
                category="news",
                sha256=SHA,
                bytes=1000,
                duration_ms=60000,
                original_sha256=SHA,
            )
        )
        create_user(s, "officer", "officer", "mat-khau-bench-123", SITE)
    with db.session() as s:
        token = create_token(s, "officer")
    service = DispatchService(app)
    service.start()
    if not service.link.wait_connected(10):
        raise RuntimeError("controller could not connect to the broker")
    return app, service, token


def plan_items(node: str, version: int) -> list[dict[str, Any]]:
    media = [
        {
            "url": "http://127.0.0.1:8080/api/v1/media/1/audio",
            "sha256": SHA,
            "bytes": 1000,
            "duration_ms": 60000,
        }
    ]
    return [
        {
            "id": f"p{i}@v{version}",
            "start": f"2027-01-28T{6 + i % 12:02}:{i % 60:02}:00+07:00",
            "priority": 100,
            "title": f"Chương trình {i}",
            "kind": "clip",
            "volume": 80,
            "media": media,
        }
        for i in range(ITEMS_PER_PLAN)
    ]


# -- measurements -------------------------------------------------------------------------


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure_broadcasts(
    client: Any, token: str, fleet: Nodes, body: dict, runs: int, n: int
) -> list[float]:
    latencies = []
    headers = {"Authorization": f"Bearer {token}"}
    for _ in range(runs):
        t0 = time.monotonic()
        r = client.post("/api/v1/broadcasts", json=body, headers=headers)
        if r.status_code != 201:
            raise RuntimeError(f"broadcast failed: {r.status_code} {r.get_json()}")
        times = fleet.wait_all("cmd", {r.get_json()["id"]}, n)
        latencies.append((max(times) - t0) * 1000)
    return latencies


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="dispatch fan-out benchmark")
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", help="fewer runs")
    args = parser.parse_args(argv)
    runs = 5 if args.quick else 20
    n = args.nodes
    nodes = [(f"n{i:05}", f"z{i // NODES_PER_ZONE:03}") for i in range(n)]
    zones = sorted({z for _, z in nodes})
    with tempfile.TemporaryDirectory(prefix="tt-fanout-") as tmp:
        folder = Path(tmp)
        broker, port = start_broker(folder)
        fleet = None
        service = None
        try:
            fleet = Nodes("127.0.0.1", port, nodes)
            app, service, token = make_controller(folder, port, nodes)
            client = app.test_client()
            measure_broadcasts(client, token, fleet, {"media_ids": [1], "all": True}, 1, n)
            all_ms = measure_broadcasts(
                client, token, fleet, {"media_ids": [1], "all": True}, runs, n
            )
            zone_ms = measure_broadcasts(
                client, token, fleet, {"media_ids": [1], "zones": zones}, runs, n
            )
            t0 = time.monotonic()
            seqs = service.publish_plans({node: plan_items(node, 1) for node, _ in nodes})
            published = time.monotonic() - t0
            with app.extensions["tt.db"].session() as s:
                from controller.db.models import PublishedPlan

                ids = {p.envelope_id for p in s.query(PublishedPlan)}
            delivered = max(fleet.wait_all("plan", ids, n)) - t0
            t1 = time.monotonic()
            again = service.publish_plans({node: plan_items(node, 1) for node, _ in nodes})
            unchanged = time.monotonic() - t1
            assert len(seqs) == n and again == {}
        finally:
            if service is not None:
                service.stop()
            if fleet is not None:
                fleet.close()
            broker.terminate()
            broker.wait(timeout=10)
    print(f"fanout.nodes: {n} nodes")
    print(f"fanout.all.p50: {statistics.median(all_ms):.1f} ms")
    print(f"fanout.all.p99: {_p(all_ms, 0.99):.1f} ms")
    print(f"fanout.zones.p50: {statistics.median(zone_ms):.1f} ms")
    print(f"fanout.zones.p99: {_p(zone_ms, 0.99):.1f} ms")
    print(f"plans_publish.{n}: {published:.2f} s")
    print(f"plans_delivered.{n}: {delivered:.2f} s")
    print(f"plans_unchanged.{n}: {unchanged:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
