"""The dispatch background service: one MQTT link, the signing key, and the ingest worker.

``DispatchService(app)`` registers itself as ``app.extensions["tt.dispatch"]`` and its link as
``app.extensions["tt.mqtt"]`` (the health check asks it ``is_connected()``). ``start()`` connects
and subscribes; node reports are queued by the network thread and applied by one worker thread
with its own database sessions, so a slow database never stalls MQTT keepalives.

Other parts call ``publish_plans`` (the scheduler, after compiling) and ``send_command``.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from broadcast_agents.protocol import topics
from controller.config import Config
from controller.db.models import Command, Node
from controller.db.session import Database
from controller.dispatch import ingest, publisher
from controller.dispatch.keys import load_or_create_signing_key
from controller.dispatch.mqtt_link import Link, LinkError, MqttLink, stable_client_id

log = logging.getLogger(__name__)

_STOP = object()


def subscriptions(client_group: str, site: str = "+", shared: bool = True) -> list[tuple[str, int]]:
    """Filters the controller listens to.

    ``state`` is retained, and retained messages are not sent to shared subscriptions, so every
    replica subscribes to it directly (applying it twice is harmless). Telemetry, events and acks
    go through a shared subscription so that, with several replicas, each is handled once; with
    ``shared=False`` (a broker without ``$share``) every replica gets them all.
    """
    base = f"{topics.VERSION_SEGMENT}/{site}/node/+"
    reports = f"$share/{client_group}/{base}" if shared else base
    return [
        (f"{base}/state", 1),
        (f"{reports}/telemetry", 0),
        (f"{reports}/event", 1),
        (f"{reports}/ack", 1),
    ]


class DispatchService:
    """Signs and publishes plans and commands; ingests what nodes report."""

    def __init__(self, app: Flask, link: Link | None = None) -> None:
        self.config: Config = app.extensions["tt.config"]
        self.db: Database = app.extensions["tt.db"]
        self.key = load_or_create_signing_key(self.config.path(self.config.signing.private_key))
        self.link: Link = link or MqttLink(
            self.config.mqtt,
            subscriptions(self.config.mqtt.client_id, shared=self.config.mqtt.shared_subscriptions),
            client_id=stable_client_id(self.config.mqtt.client_id, self.config.server.port),
            persistent=True,
        )
        self._inbox: queue.Queue[Any] = queue.Queue()
        self._stopping = threading.Event()
        self._worker: threading.Thread | None = None
        self._handled = 0
        self._handled_cond = threading.Condition()
        self.on_outcome: list[Callable[[str, ingest.Outcome], None]] = []
        app.extensions["tt.dispatch"] = self
        app.extensions["tt.mqtt"] = self.link
        app.extensions["tt.signing_key"] = self.key

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> None:
        self._stopping.clear()
        self.link.set_handler(self._enqueue)
        self._worker = threading.Thread(target=self._work, name="tt-dispatch-ingest", daemon=True)
        self._worker.start()
        self.link.start()

    def stop(self) -> None:
        self._stopping.set()
        self.link.stop()
        if self._worker is not None:
            self._inbox.put(_STOP)
            self._worker.join(timeout=10)
            self._worker = None

    # -- publishing -----------------------------------------------------------------------

    @property
    def horizon(self) -> timedelta:
        return timedelta(hours=self.config.plan.horizon_h)

    @property
    def command_ttl(self) -> timedelta:
        return timedelta(seconds=self.config.dispatch.command_ttl_s)

    def publish_plan(self, node_id: str, items: list[dict[str, Any]]) -> int:
        """Publish one node's plan if it changed; return its ``seq``."""
        with self.db.session() as session:
            node = session.get(Node, node_id)
            if node is None:
                raise KeyError(f"unknown node {node_id!r}")
            return publisher.publish_plan(
                session, self.link, self.key, node.site_id, node_id, items, self.horizon
            )

    def publish_plans(self, plans: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
        """Publish the plans that changed; return ``{node_id: seq}`` for those published.

        Unchanged plans are skipped (and absent from the answer); unknown nodes are logged and
        skipped; a broker failure stops the run with ``LinkError`` after what was done is saved.
        """
        published: dict[str, int] = {}
        with self.db.session() as session:
            sites = dict(
                session.execute(select(Node.id, Node.site_id).where(Node.id.in_(list(plans)))).all()
            )
            for node_id, items in plans.items():
                if node_id not in sites:
                    log.warning("plan for unknown node skipped", extra={"node": node_id})
                    continue
                before = publisher.current_seq(session, node_id)
                seq = publisher.publish_plan(
                    session, self.link, self.key, sites[node_id], node_id, items, self.horizon
                )
                if seq != before:
                    published[node_id] = seq
        return published

    def send_command(
        self,
        site: str,
        op: str,
        body: dict[str, Any],
        scope: str,
        targets: Sequence[str] = (),
        **kwargs: Any,
    ) -> Command:
        """Sign and publish a command in a session of its own (see ``publisher.send_command``)."""
        with self.db.session() as session:
            return publisher.send_command(
                session,
                self.link,
                self.key,
                site,
                op,
                body,
                scope,
                targets,
                ttl=self.command_ttl,
                **kwargs,
            )

    # -- ingest ---------------------------------------------------------------------------

    def _enqueue(self, topic: str, payload: bytes, ack: Callable[[], None] | None = None) -> None:
        self._inbox.put((topic, payload, ack))

    def _work(self) -> None:
        while True:
            message = self._inbox.get()
            if message is _STOP:
                return
            topic, payload, ack = message
            outcome = self._handle_until_stored(topic, payload)
            if outcome is None:
                return  # stopping while the database is down: the broker keeps the message
            if ack is not None:
                ack()
            for callback in list(self.on_outcome):
                callback(topic, outcome)
            with self._handled_cond:
                self._handled += 1
                self._handled_cond.notify_all()

    def _handle_until_stored(self, topic: str, payload: bytes) -> ingest.Outcome | None:
        """Apply a message, retrying while the database is unreachable (nothing is dropped)."""
        delay = 0.5
        while True:
            try:
                return self.apply(topic, payload)
            except OperationalError:
                log.warning("database unavailable, ingest retried", extra={"topic": topic[:200]})
                if self._stopping.wait(delay):
                    return None
                delay = min(delay * 2, 30.0)
            except Exception:
                # A message the database refuses must not stop the worker (the broker would
                # redeliver it after a restart, forever): log it, drop it, go on.
                log.exception("ingest failed, message dropped", extra={"topic": topic[:200]})
                return ingest.Outcome("dropped", "database error")

    def apply(self, topic: str, payload: bytes) -> ingest.Outcome:
        """Apply one message in its own transaction (``OperationalError`` if the DB is down)."""
        with self.db.session() as session:
            return ingest.handle_message(session, topic, payload)

    def handle(self, topic: str, payload: bytes) -> ingest.Outcome:
        """Apply one message; any database error is logged and reported as dropped."""
        try:
            return self.apply(topic, payload)
        except Exception:
            log.exception("ingest failed", extra={"topic": topic[:200]})
            return ingest.Outcome("dropped", "database error")

    def wait_handled(self, count: int, timeout: float) -> bool:
        """Block until at least ``count`` messages were handled (for tests and benchmarks)."""
        with self._handled_cond:
            return self._handled_cond.wait_for(lambda: self._handled >= count, timeout)


def register(background: list[tuple[str, Callable[[Any], Any]]]) -> None:
    """Add the dispatch service to ``controller.serve.BACKGROUND`` (once)."""
    if not any(name == "dispatch" for name, _ in background):
        background.append(("dispatch", DispatchService))


__all__ = ["DispatchService", "LinkError", "register", "subscriptions"]
