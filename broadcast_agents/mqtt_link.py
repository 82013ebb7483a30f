"""The node's MQTT connection (paho-mqtt 2.x): persistent session, last will, auto-reconnect.

Everything broker-specific stays here; the agent sees `publish`, `is_connected` and callbacks.
"""

from __future__ import annotations

import logging
import random
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass

import paho.mqtt.client as mqtt

from .config import MqttConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkCallbacks:
    on_message: Callable[[str, bytes], None]
    on_connected: Callable[[], None] = lambda: None
    on_published: Callable[[int], None] = lambda mid: None
    state_payload: Callable[[], tuple[str, bytes]] | None = None  # (topic, payload) on connect


class MqttLink:
    def __init__(
        self,
        cfg: MqttConfig,
        client_id: str,
        subscriptions: list[tuple[str, int]],
        will: tuple[str, bytes],
        callbacks: LinkCallbacks,
    ) -> None:
        self.cfg = cfg
        self.subscriptions = subscriptions
        self.callbacks = callbacks
        self._connected = threading.Event()
        # A stable client id and clean_session=False keep our QoS 1 subscriptions queued at
        # the broker while we are away.
        self.client = mqtt.Client(
            mqtt.CallbackAPIVersion.VERSION2,
            client_id=client_id,
            clean_session=False,
            protocol=mqtt.MQTTv311,
        )
        if cfg.username:
            self.client.username_pw_set(cfg.username, cfg.password)
        if cfg.tls:
            self.client.tls_set(ca_certs=cfg.ca_file, cert_reqs=ssl.CERT_REQUIRED)
        self.client.will_set(will[0], will[1], qos=1, retain=True)
        self.client.max_queued_messages_set(0)
        self._set_backoff()
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self.client.on_publish = self._on_publish

    def _set_backoff(self) -> None:
        # Jitter so that a village of nodes does not reconnect in lockstep after an outage.
        low = self.cfg.reconnect_min_s * random.uniform(1.0, 2.0)
        self.client.reconnect_delay_set(
            min_delay=max(1, round(low)), max_delay=max(1, round(self.cfg.reconnect_max_s))
        )

    def start(self) -> None:
        self.client.connect_async(self.cfg.host, self.cfg.port, keepalive=self.cfg.keepalive)
        self.client.loop_start()

    def is_connected(self) -> bool:
        return self._connected.is_set()

    def wait_connected(self, timeout: float) -> bool:
        return self._connected.wait(timeout)

    def publish(self, topic: str, payload: bytes, qos: int = 1, retain: bool = False) -> int:
        """Queue a message with paho (it retransmits QoS 1 after a reconnect); returns the mid."""
        return self.client.publish(topic, payload, qos=qos, retain=retain).mid

    def publish_and_wait(self, topic: str, payload: bytes, timeout: float, retain: bool) -> bool:
        info = self.client.publish(topic, payload, qos=1, retain=retain)
        try:
            info.wait_for_publish(timeout)
        except (RuntimeError, ValueError):
            return False
        return info.is_published()

    def resubscribe(self, topic: str) -> None:
        """Unsubscribe and subscribe again so the broker re-sends the retained message."""
        self.client.unsubscribe(topic)
        self.client.subscribe(topic, qos=1)

    def stop(self, final: tuple[str, bytes] | None = None, timeout: float = 3.0) -> None:
        """Clean stop: publish `final` (retained state) if connected, then disconnect."""
        if final is not None and self.is_connected():
            self.publish_and_wait(final[0], final[1], timeout, retain=True)
        self.client.disconnect()
        self.client.loop_stop()

    # -- paho callbacks (network thread)

    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if reason_code.is_failure:
            log.warning("broker refused connection: %s", reason_code)
            return
        client.subscribe([(topic, qos) for topic, qos in self.subscriptions])
        if self.callbacks.state_payload is not None:
            topic, payload = self.callbacks.state_payload()
            client.publish(topic, payload, qos=1, retain=True)
        self._connected.set()
        log.info("connected to %s:%s", self.cfg.host, self.cfg.port)
        self.callbacks.on_connected()

    def _on_disconnect(self, client, userdata, flags, reason_code, properties) -> None:
        self._connected.clear()
        self._set_backoff()
        log.warning("disconnected from broker: %s", reason_code)

    def _on_message(self, client, userdata, msg) -> None:
        self.callbacks.on_message(msg.topic, msg.payload)

    def _on_publish(self, client, userdata, mid, reason_code, properties) -> None:
        self.callbacks.on_published(mid)
