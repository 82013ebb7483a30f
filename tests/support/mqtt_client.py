"""Test-side MQTT clients: a collector that queues what it hears, and a signing fake controller.

with Collector(broker, ["tt/v1/xa/node/+/event"]) as events:
    msg = events.get(timeout=5)          # -> Message(topic, payload dict, retain)
"""

from __future__ import annotations

import json
import queue
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import paho.mqtt.client as mqtt

from broadcast_agents.protocol import canonical_json, generate_key, make_envelope, topics


@dataclass(frozen=True)
class Message:
    topic: str
    payload: Any  # decoded JSON, or raw bytes if not JSON
    retain: bool


def _client(client_id: str | None = None, clean: bool = True) -> mqtt.Client:
    return mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2,
        client_id=client_id or f"test-{uuid.uuid4().hex[:8]}",
        clean_session=clean,
    )


class Collector:
    """Subscribes to filters and puts every message into a queue. A fixed client_id with
    clean=False keeps the session (and messages) across a broker restart with persistence."""

    def __init__(self, broker, filters: list[str], client_id: str | None = None,
                 clean: bool = True) -> None:  # fmt: skip
        self.broker = broker
        self.filters = filters
        self.queue: queue.Queue[Message] = queue.Queue()
        self.seen: list[Message] = []  # everything received, whatever wait_for skipped
        self._arrived = threading.Condition()
        self._subscribed = threading.Event()
        self.client = _client(client_id, clean)
        self.client.reconnect_delay_set(1, 1)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = lambda *a: self._subscribed.set()
        self.client.on_message = self._on_message

    def _on_connect(self, client, userdata, flags, rc, props) -> None:
        client.subscribe([(f, 1) for f in self.filters])

    def _on_message(self, client, userdata, msg) -> None:
        try:
            payload = json.loads(msg.payload)
        except ValueError:
            payload = msg.payload
        message = Message(msg.topic, payload, bool(msg.retain))
        with self._arrived:
            self.seen.append(message)
            self._arrived.notify_all()
        self.queue.put(message)

    def __enter__(self) -> Collector:
        self.client.connect(self.broker.host, self.broker.port)
        self.client.loop_start()
        if not self._subscribed.wait(10):
            raise TimeoutError("collector did not subscribe")
        return self

    def __exit__(self, *exc) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def get(self, timeout: float = 10.0) -> Message:
        return self.queue.get(timeout=timeout)

    def wait_for(self, predicate: Callable[[Message], bool], timeout: float = 10.0) -> Message:
        """The first queued message matching predicate (others are dropped from the queue but
        stay in `seen`). Raises queue.Empty on timeout."""
        deadline = datetime.now().timestamp() + timeout
        while True:
            remaining = deadline - datetime.now().timestamp()
            if remaining <= 0:
                raise queue.Empty(f"no matching message within {timeout}s")
            msg = self.queue.get(timeout=remaining)
            if predicate(msg):
                return msg

    def wait_seen(self, predicate: Callable[[Message], bool], timeout: float = 10.0) -> Message:
        """A message matching predicate among everything received so far or later."""
        with self._arrived:
            found = self._arrived.wait_for(
                lambda: next((m for m in self.seen if predicate(m)), None), timeout
            )
        if found is None:
            raise queue.Empty(f"no matching message within {timeout}s")
        return found

    def drain(self) -> list[Message]:
        out = []
        while True:
            try:
                out.append(self.queue.get_nowait())
            except queue.Empty:
                return out


class FakeController:
    """Signs and publishes plans and commands the way the real controller must."""

    def __init__(self, broker, site: str = "xa-test", key=None) -> None:
        self.broker = broker
        self.site = site
        self.key = key or generate_key()
        self.seq = int(datetime.now(UTC).timestamp() * 1000)
        self.client = _client()
        self.client.reconnect_delay_set(1, 1)
        self._connected = threading.Event()
        self.client.on_connect = lambda *a: self._connected.set()
        self.client.on_disconnect = lambda *a: self._connected.clear()
        self.client.connect(broker.host, broker.port)
        self.client.loop_start()

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def envelope(self, kind: str, body: dict, ttl: timedelta = timedelta(hours=48), **kw) -> dict:
        self.seq += 1
        return make_envelope(
            kind,
            body,
            site=kw.pop("site", self.site),
            seq=kw.pop("seq", self.seq),
            issued_at=kw.pop("issued_at", datetime.now(UTC)),
            ttl=ttl,
            key=kw.pop("key", self.key),
            **kw,
        )

    def publish(self, topic: str, payload: dict | bytes, retain: bool = False) -> None:
        data = payload if isinstance(payload, bytes) else canonical_json(payload)
        if not self._connected.wait(15):  # e.g. right after a broker restart
            raise TimeoutError("controller client not connected")
        info = self.client.publish(topic, data, qos=1, retain=retain)
        info.wait_for_publish(10)
        assert info.is_published()

    def plan(self, node: str, items: list[dict], **kw) -> dict:
        env = self.envelope("plan", {"node": node, "items": items}, **kw)
        self.publish(topics.node_plan(self.site, node), env, retain=True)
        return env

    def command(self, topic: str, body: dict, **kw) -> dict:
        env = self.envelope("cmd", body, **kw)
        self.publish(topic, env)
        return env
