"""A real NATS server with its MQTT listener on free 127.0.0.1 ports: the second broker.

NATS implements MQTT 3.1.1 on top of JetStream (sessions, retained messages and QoS 1 queues
are JetStream streams), and clusters. It stands in for "any MQTT broker at province scale"
in the broker-agnostic tests; the differences from Mosquitto are listed in docs/scale.md.

broker = start_nats(tmp_path)             # -> NatsBroker(host, port, stop(), start())
broker.stop(); broker.start()             # same ports and store: sessions and retained survive
cluster = start_nats_cluster(tmp_path, 3) # -> [NatsBroker, ...], one MQTT port each

Never touches the machine's own NATS (4222): every port is picked free, the store lives
under the test's tmp dir.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.broker import free_port, wait_for_port

NATS_SERVER = shutil.which("nats-server") or "/usr/sbin/nats-server"


@dataclass
class NatsBroker:
    """Same surface as ``tests.support.broker.Broker``: ``host``, ``port`` (MQTT), start/stop."""

    host: str
    port: int
    client_port: int
    config_path: Path
    log_path: Path
    kind: str = "nats"
    _proc: subprocess.Popen | None = field(default=None, repr=False)

    def start(self, wait: bool = True) -> NatsBroker:
        if self.running:
            return self
        log = self.log_path.open("ab")
        self._proc = subprocess.Popen(
            [NATS_SERVER, "-c", str(self.config_path)], stdout=log, stderr=log
        )
        log.close()
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout: float = 20.0) -> None:
        try:
            wait_for_port(self.host, self.port, timeout)
        except TimeoutError:
            self.stop()
            raise RuntimeError(f"nats-server did not start:\n{self.log_path.read_text()}") from None

    def stop(self) -> None:
        """SIGTERM (JetStream flushes its store) and wait."""
        if self._proc is None:
            return
        if self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait()
        self._proc = None

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None


def _config(root: Path, name: str, client_port: int, mqtt_port: int, cluster: str = "") -> str:
    # JetStream needs a server_name; its limits are kept small so a test never reserves the
    # machine's memory or disk (the defaults are a share of all RAM and disk).
    return (
        f'server_name: "{name}"\n'
        f"listen: 127.0.0.1:{client_port}\n"
        "jetstream {\n"
        f'  store_dir: "{root / "store"}"\n'
        "  max_memory_store: 64MB\n"
        "  max_file_store: 512MB\n"
        "}\n"
        f"mqtt {{ listen: 127.0.0.1:{mqtt_port} }}\n"
        f"{cluster}"
    )


def _broker(
    root: Path, name: str, client_port: int, mqtt_port: int, cluster: str = ""
) -> NatsBroker:
    root.mkdir(parents=True, exist_ok=True)
    config = root / "nats.conf"
    config.write_text(_config(root, name, client_port, mqtt_port, cluster))
    return NatsBroker("127.0.0.1", mqtt_port, client_port, config, root / "nats.log")


def start_nats(tmp_path: Path) -> NatsBroker:
    """One NATS server with JetStream and MQTT, its store under tmp_path/nats."""
    name = f"tt_{uuid.uuid4().hex[:8]}"
    return _broker(Path(tmp_path) / "nats", name, free_port(), free_port()).start()


def start_nats_cluster(tmp_path: Path, size: int = 3) -> list[NatsBroker]:
    """A JetStream cluster of ``size`` servers, each with its own MQTT port.

    MQTT sessions and retained messages are replicated streams, so a client may connect to any
    member. Returns once every member listens and the cluster answers MQTT (JetStream elects
    its meta leader first, which takes a few seconds).
    """
    route_ports = [free_port() for _ in range(size)]
    routes = ", ".join(f"nats-route://127.0.0.1:{p}" for p in route_ports)
    cluster_name = f"ttc_{uuid.uuid4().hex[:6]}"
    members = []
    for index, route_port in enumerate(route_ports):
        cluster = (
            f'cluster {{\n  name: "{cluster_name}"\n  listen: 127.0.0.1:{route_port}\n'
            f"  routes: [{routes}]\n}}\n"
        )
        root = Path(tmp_path) / f"nats-{index}"
        members.append(_broker(root, f"{cluster_name}_{index}", free_port(), free_port(), cluster))
    for member in members:
        member.start(wait=False)
    for member in members:
        member.wait_ready()
    return members
