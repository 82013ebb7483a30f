"""The generated Mosquitto ACL, enforced by a real broker: nodes stay in their lane.

A node may publish only its own reports and read only its own plan/cmd, its zone's cmd and the
site's cmd; only the controller publishes plans and commands. Denied publishes are dropped
silently by MQTT 3.1.1 brokers, so each check publishes a marker afterwards and asserts that
the marker is the only thing that arrived (one broker thread: earlier messages came first).
"""

from __future__ import annotations

import getpass
import json
import queue
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from tests.support.broker import Broker, free_port

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "mosquitto" / "make_credentials.py"
SITE = "xa-a"
P = f"tt/v1/{SITE}"


class Client:
    """A paho client with credentials whose received messages land in a queue."""

    def __init__(self, broker: Broker, user: str, password: str) -> None:
        self.messages: queue.Queue[tuple[str, bytes]] = queue.Queue()
        self._events: queue.Queue[tuple[str, object]] = queue.Queue()
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2, f"{user}-{uuid.uuid4().hex[:6]}"
        )
        self.client.username_pw_set(user, password)
        self.client.on_connect = lambda c, u, f, rc, p: self._events.put(("connect", rc))
        self.client.on_subscribe = lambda c, u, mid, rcs, p: self._events.put(("suback", rcs))
        self.client.on_message = lambda c, u, m: self.messages.put((m.topic, bytes(m.payload)))
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()
        kind, rc = self._events.get(timeout=10)
        self.refused = kind == "connect" and rc.is_failure  # type: ignore[attr-defined]

    def subscribe(self, *filters: str) -> list:
        self.client.subscribe([(f, 1) for f in filters])
        kind, codes = self._events.get(timeout=10)
        assert kind == "suback"
        return list(codes)  # type: ignore[call-overload]

    def publish(self, topic: str, payload: bytes = b"{}", retain: bool = False) -> None:
        info = self.client.publish(topic, payload, qos=1, retain=retain)
        info.wait_for_publish(10)
        assert info.is_published()

    def until(self, marker: str) -> list[str]:
        """Topics received up to and including the one carrying ``marker``."""
        topics = []
        while True:
            topic, payload = self.messages.get(timeout=10)
            topics.append(topic)
            if payload == marker.encode():
                return topics

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def secured(tmp_path: Path) -> Iterator[tuple[Broker, dict[str, str]]]:
    nodes = tmp_path / "nodes.csv"
    nodes.write_text(f"site,zone,node\n{SITE},thon-1,node-a\n{SITE},thon-2,node-b\n")
    out = tmp_path / "mq"
    port = free_port()
    args = ["--out", out, "--nodes", nodes, "--port", port, "--bind", "127.0.0.1"]
    # The broker keeps this user's rights (root here) so it can read the test's private tmp dir.
    args += ["--run-as", getpass.getuser()]
    subprocess.run([sys.executable, SCRIPT, *map(str, args)], check=True, capture_output=True)
    users = json.loads((out / "credentials.json").read_text())["users"]
    broker = Broker("127.0.0.1", port, out / "mosquitto.conf", tmp_path / "mosquitto.log")
    broker.start()
    yield broker, users
    broker.stop()


@pytest.fixture
def clients(secured) -> Iterator[dict[str, Client]]:  # type: ignore[no-untyped-def]
    broker, users = secured
    made = {
        name: Client(broker, name, users[name]) for name in ("tt-controller", "node-a", "node-b")
    }
    yield made
    for c in made.values():
        c.close()


def test_unknown_or_wrong_credentials_are_refused(secured) -> None:  # type: ignore[no-untyped-def]
    broker, users = secured
    assert Client(broker, "node-a", "sai-mat-khau").refused
    assert Client(broker, "nobody", users["node-a"]).refused
    ok = Client(broker, "node-a", users["node-a"])
    assert not ok.refused
    ok.close()


def test_controller_publishes_plans_and_commands_nodes_read_their_own(clients) -> None:  # type: ignore[no-untyped-def]
    ctl, a = clients["tt-controller"], clients["node-a"]
    ctl.publish(f"{P}/node/node-a/plan", b"plan-a", retain=True)
    ctl.publish(f"{P}/node/node-b/plan", b"plan-b", retain=True)
    a.subscribe(
        f"{P}/node/+/plan",
        f"{P}/node/node-b/cmd",
        f"{P}/zone/thon-2/cmd",
        f"{P}/node/node-a/cmd",
        f"{P}/zone/thon-1/cmd",
        f"{P}/all/cmd",
    )
    for topic in (
        f"{P}/node/node-b/cmd",
        f"{P}/zone/thon-2/cmd",
        f"{P}/node/node-a/cmd",
        f"{P}/zone/thon-1/cmd",
    ):
        ctl.publish(topic, topic.encode())
    ctl.publish(f"{P}/all/cmd", b"marker")
    heard = a.until("marker")
    assert sorted(heard) == sorted(
        [f"{P}/node/node-a/plan", f"{P}/node/node-a/cmd", f"{P}/zone/thon-1/cmd", f"{P}/all/cmd"]
    )


def test_node_cannot_publish_commands_plans_or_as_another_node(clients) -> None:  # type: ignore[no-untyped-def]
    ctl, a, b = clients["tt-controller"], clients["node-a"], clients["node-b"]
    b.subscribe(
        f"{P}/node/node-b/plan", f"{P}/node/node-b/cmd", f"{P}/zone/thon-2/cmd", f"{P}/all/cmd"
    )
    ctl.subscribe(f"$share/tt-controller/{P}/node/+/event", f"{P}/node/+/state")
    for topic in (
        f"{P}/node/node-b/plan",
        f"{P}/node/node-b/cmd",
        f"{P}/zone/thon-2/cmd",
        f"{P}/all/cmd",
        f"{P}/node/node-b/event",
        f"{P}/node/node-b/state",
        f"{P}/node/node-a/plan",
    ):
        a.publish(topic, b"forged")
    a.publish(f"{P}/node/node-a/state", b"own-state")
    a.publish(f"{P}/node/node-a/event", b"marker")
    assert ctl.until("marker") == [f"{P}/node/node-a/state", f"{P}/node/node-a/event"]
    ctl.publish(f"{P}/all/cmd", b"marker")
    assert b.until("marker") == [f"{P}/all/cmd"]


def test_node_cannot_read_other_nodes_reports(clients) -> None:  # type: ignore[no-untyped-def]
    a, b = clients["node-a"], clients["node-b"]
    a.subscribe(f"{P}/node/+/event", f"{P}/node/node-a/cmd")
    b.publish(f"{P}/node/node-b/event", b"secret")
    clients["tt-controller"].publish(f"{P}/node/node-a/cmd", b"marker")
    assert a.until("marker") == [f"{P}/node/node-a/cmd"]
