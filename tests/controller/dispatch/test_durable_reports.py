"""Node reports survive a controller outage: persistent MQTT session + ack after storing."""

from __future__ import annotations

import json

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import select

from controller.db.models import PlayEvent
from controller.dispatch.service import DispatchService
from tests.controller.dispatch.commune import SITE

P = f"tt/v1/{SITE}"


def _node_publish(broker, topic: str, payload: dict) -> None:  # type: ignore[no-untyped-def]
    client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2, client_id="node-sim")
    client.connect(broker.host, broker.port)
    client.loop_start()
    info = client.publish(topic, json.dumps(payload), qos=1)
    info.wait_for_publish(10)
    assert info.is_published()
    client.disconnect()
    client.loop_stop()


def _service(app, broker) -> DispatchService:  # type: ignore[no-untyped-def]
    cfg = app.extensions["tt.config"]
    cfg.mqtt.host, cfg.mqtt.port = broker.host, broker.port
    service = DispatchService(app)
    service.start()
    assert service.link.wait_connected(10)
    return service


def test_events_sent_while_the_controller_is_down_are_stored_after_restart(
    app, broker, commune, database
) -> None:  # type: ignore[no-untyped-def]
    first = _service(app, broker)
    first.stop()  # the controller goes away; its session (and subscriptions) stay on the broker
    event = {
        "node": "thon-1-a",
        "type": "started",
        "item": "p1-20270206T0600",
        "at": "2027-02-06T06:00:00.004+07:00",
    }
    _node_publish(broker, f"{P}/node/thon-1-a/event", event)
    second = _service(app, broker)
    try:
        assert second.wait_handled(1, timeout=10)
    finally:
        second.stop()
    with database.session() as s:
        rows = s.scalars(select(PlayEvent)).all()
        assert [(r.node_id, r.item_id, r.type) for r in rows] == [
            ("thon-1-a", "p1-20270206T0600", "started")
        ]


def test_client_id_is_stable_per_replica(app, broker, commune) -> None:  # type: ignore[no-untyped-def]
    a = DispatchService(app)
    b = DispatchService(app)
    assert a.link.client_id == b.link.client_id
    app.extensions["tt.config"].server.port += 1
    c = DispatchService(app)
    assert c.link.client_id != a.link.client_id
