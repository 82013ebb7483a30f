"""The controller's one MQTT adapter (paho-mqtt 2.x), plus ``FakeLink`` for unit tests.

``MqttLink`` connects in the background and reconnects with backoff forever, re-subscribing on
every connect; ``publish`` blocks until the broker acknowledged a QoS 1 message (PUBACK) or the
timeout passed. Incoming messages go to one handler ``(topic, payload)`` called on paho's network
thread: the handler must be quick (the dispatch service only queues them).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion

from controller.config import MqttConfig

log = logging.getLogger(__name__)

# handler(topic, payload, ack): ``ack`` (when given) must be called once the message is safely
# applied; until then the broker keeps it for this client's persistent session.
Handler = Callable[..., None]
DEFAULT_TIMEOUT_S = 5.0


class LinkError(RuntimeError):
    """A message could not be handed to the broker (not connected, refused, or no PUBACK)."""


class Link(Protocol):
    """What dispatch needs from an MQTT connection."""

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def is_connected(self) -> bool: ...
    def set_handler(self, handler: Handler) -> None: ...
    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> None: ...


def stable_client_id(base: str, discriminator: str | int) -> str:
    """``base`` plus host and e.g. the web port: the same replica reconnects to its own session.

    A stable id with a persistent session makes the broker keep QoS 1 reports (events, acks)
    while this controller is down; two replicas on one host differ by their port.
    """
    host = socket.gethostname().split(".")[0][:16]
    return f"{base}-{host}-{discriminator}"


def unique_client_id(base: str) -> str:
    """``base`` plus host, pid and a random suffix: replicas must never share a client id."""
    host = socket.gethostname().split(".")[0][:16]
    return f"{base}-{host}-{os.getpid()}-{uuid.uuid4().hex[:6]}"


class MqttLink:
    """A paho client that stays connected, subscribed, and publishes with PUBACK waits."""

    def __init__(
        self,
        cfg: MqttConfig,
        subscriptions: Iterable[tuple[str, int]] = (),
        *,
        client_id: str | None = None,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        persistent: bool = False,
    ) -> None:
        self.client_id = client_id or unique_client_id(cfg.client_id)
        self._persistent = persistent
        self._cfg = cfg
        self._subscriptions = list(subscriptions)
        self._timeout_s = timeout_s
        self._handler: Handler | None = None
        self._connected = threading.Event()
        self._client = self._make_client()

    def _make_client(self) -> mqtt.Client:
        client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2,
            client_id=self.client_id,
            clean_session=not self._persistent,
            protocol=mqtt.MQTTv311,
        )
        # Acknowledge a message only after it is applied (see ``Handler``).
        client.manual_ack_set(True)
        if self._cfg.username:
            client.username_pw_set(self._cfg.username, self._cfg.password or None)
        if self._cfg.tls:
            client.tls_set()
        client.reconnect_delay_set(min_delay=1, max_delay=30)
        client.max_inflight_messages_set(200)
        client.max_queued_messages_set(10000)
        client.on_connect = self._on_connect
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        return client

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        """Connect in the background; paho retries with backoff until it succeeds."""
        self._client.connect_async(self._cfg.host, self._cfg.port, keepalive=30)
        self._client.loop_start()

    def stop(self) -> None:
        self._client.disconnect()
        self._client.loop_stop()
        self._connected.clear()

    def is_connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def set_handler(self, handler: Handler) -> None:
        self._handler = handler

    # -- publishing -----------------------------------------------------------------------

    def publish(
        self,
        topic: str,
        payload: bytes,
        qos: int = 1,
        retain: bool = False,
        timeout: float | None = None,
    ) -> None:
        """Publish and, for QoS > 0, wait for the broker's acknowledgement."""
        if not self.is_connected():
            # paho would queue it for later: a command delivered late is worse than an error.
            raise LinkError("MQTT broker not connected")
        info = self._client.publish(topic, payload, qos=qos, retain=retain)
        if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_AGAIN):
            raise LinkError(f"publish refused: {mqtt.error_string(info.rc)}")
        if qos == 0:
            return
        try:
            info.wait_for_publish(timeout if timeout is not None else self._timeout_s)
        except (RuntimeError, ValueError) as exc:
            raise LinkError(str(exc)) from exc
        if not info.is_published():
            raise LinkError(f"no PUBACK for {topic} within the timeout")

    # -- paho callbacks (network thread) --------------------------------------------------

    def _on_connect(self, client: mqtt.Client, _ud: Any, _flags: Any, reason: Any, _p: Any) -> None:
        if reason.is_failure:
            log.warning("mqtt connect refused", extra={"reason": str(reason)})
            return
        if self._subscriptions:
            client.subscribe(self._subscriptions)
        self._connected.set()
        log.info("mqtt connected", extra={"client_id": self.client_id})

    def _on_disconnect(self, _c: mqtt.Client, _ud: Any, _f: Any, reason: Any, _p: Any) -> None:
        self._connected.clear()
        log.warning("mqtt disconnected", extra={"reason": str(reason)})

    def _on_message(self, client: mqtt.Client, _ud: Any, message: mqtt.MQTTMessage) -> None:
        mid, qos = message.mid, message.qos

        def ack() -> None:
            if qos > 0:
                client.ack(mid, qos)

        if self._handler is None:
            ack()
            return
        try:
            self._handler(message.topic, bytes(message.payload), ack)
        except Exception:  # a handler bug must not kill the network thread
            log.exception("mqtt message handler failed", extra={"topic": message.topic})
            ack()


@dataclass
class Published:
    topic: str
    payload: bytes
    qos: int
    retain: bool


@dataclass
class FakeLink:
    """In-memory link for unit tests: records publishes, lets tests inject incoming messages."""

    connected: bool = True
    fail_publish: bool = False
    published: list[Published] = field(default_factory=list)
    retained: dict[str, bytes] = field(default_factory=dict)
    started: bool = False
    _handler: Handler | None = None

    def start(self) -> None:
        self.started = True

    def stop(self) -> None:
        self.started = False

    def is_connected(self) -> bool:
        return self.connected

    def set_handler(self, handler: Handler) -> None:
        self._handler = handler

    def publish(
        self,
        topic: str,
        payload: bytes,
        qos: int = 1,
        retain: bool = False,
        timeout: float | None = None,
    ) -> None:
        if not self.connected or self.fail_publish:
            raise LinkError("fake link refuses to publish")
        self.published.append(Published(topic, payload, qos, retain))
        if retain:
            self.retained[topic] = payload

    def deliver(self, topic: str, payload: bytes) -> None:
        """Simulate a message arriving from the broker."""
        if self._handler is not None:
            self._handler(topic, payload)

    def topics(self) -> list[str]:
        return [p.topic for p in self.published]
