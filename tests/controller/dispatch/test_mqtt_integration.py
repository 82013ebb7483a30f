"""Dispatch against a real Mosquitto: retained plans, zone fan-out, node reports, seq restarts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt
import pytest
from sqlalchemy import func, select

from broadcast_agents.protocol import Accepted, EnvelopeVerifier, parse_command, parse_time
from controller.app import create_app
from controller.db.models import CommandAck, Node, PlayEvent
from controller.dispatch.service import DispatchService
from tests.controller.dispatch.commune import SHA, SITE
from tests.support.mqtt_client import Collector

P = f"tt/v1/{SITE}"


def _item(item_id: str) -> dict:
    return {
        "id": item_id,
        "start": "2027-01-28T06:00:00+07:00",
        "priority": 100,
        "title": "T",
        "kind": "clip",
        "volume": 80,
        "media": [{"url": "http://c/m", "sha256": SHA, "bytes": 1, "duration_ms": 1}],
    }


def _live_service(app, broker) -> DispatchService:  # type: ignore[no-untyped-def]
    cfg = app.extensions["tt.config"]
    cfg.mqtt.host, cfg.mqtt.port = broker.host, broker.port
    cfg.quiet_hours.start = cfg.quiet_hours.end = "00:00"  # phát ngay at any hour of the run
    service = DispatchService(app)
    service.start()
    assert service.link.wait_connected(10)
    return service


@pytest.fixture
def live(app, broker, commune) -> Iterator[DispatchService]:  # type: ignore[no-untyped-def]
    service = _live_service(app, broker)
    yield service
    service.stop()


def _verifier(service: DispatchService) -> EnvelopeVerifier:
    from controller.dispatch.keys import public_key_b64

    return EnvelopeVerifier(SITE, public_key_b64(service.key))


def test_plan_is_retained_and_republished_only_on_change(live, broker) -> None:  # type: ignore[no-untyped-def]
    seqs = live.publish_plans({"thon-1-a": [_item("a")]})
    with Collector(broker, [f"{P}/node/+/plan"]) as plans:
        retained = plans.get(timeout=10)  # subscribed after publishing: the broker kept it
        assert retained.retain and retained.topic == f"{P}/node/thon-1-a/plan"
        assert retained.payload["seq"] == seqs["thon-1-a"]
        assert live.publish_plans({"thon-1-a": [_item("a")]}) == {}
        live.publish_plans({"thon-1-b": [_item("b")]})
        following = plans.get(timeout=10)  # same publisher, QoS 1: arrives in order
        assert following.topic == f"{P}/node/thon-1-b/plan"
    verifier = _verifier(live)
    now = datetime.now(UTC)
    assert isinstance(verifier.check(json.dumps(retained.payload).encode(), now), Accepted)


def test_broadcast_to_one_zone_reaches_that_zone_only(live, broker, api_as) -> None:  # type: ignore[no-untyped-def]
    officer = api_as("officer")
    with Collector(broker, [f"{P}/#"]) as heard:
        r = officer.post("/api/v1/broadcasts", json={"media_ids": [1], "zones": ["thon-1"]})
        assert r.status_code == 201, r.json
        msg = heard.get(timeout=10)
        assert msg.topic == f"{P}/zone/thon-1/cmd" and not msg.retain
        officer.post("/api/v1/broadcasts", json={"media_ids": [2], "all": True})
        assert heard.get(timeout=10).topic == f"{P}/all/cmd"  # nothing went to thon-2 between
    verifier = _verifier(live)
    result = verifier.check(json.dumps(msg.payload).encode(), datetime.now(UTC))
    assert isinstance(result, Accepted)
    command = parse_command(result.envelope)
    assert command.op == "play_now" and command.item.id == r.json["id"] == command.id
    assert command.item.start == parse_time(r.json["start"])
    lead = command.item.start - datetime.now(UTC)
    assert timedelta(seconds=0) < lead <= timedelta(milliseconds=3000)
    assert r.json["nodes"] == ["thon-1-a", "thon-1-b"]


def test_node_reports_reach_the_database(app, broker, commune, database) -> None:  # type: ignore[no-untyped-def]
    node = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="thon-2-a")
    node.will_set(f"{P}/node/thon-2-a/state", b'{"online": false}', qos=1, retain=True)
    node.connect(broker.host, broker.port)
    node.loop_start()
    try:
        # Retained before the controller starts: picked up on subscribe.
        node.publish(f"{P}/node/thon-2-a/state", b'{"online": true}', 1, True).wait_for_publish(5)
        service = _live_service(app, broker)
        try:
            assert service.wait_handled(1, timeout=10)
            event = {
                "node": "thon-2-a",
                "type": "started",
                "item": "x1",
                "at": "2027-01-28T07:00:00.000+07:00",
            }
            ack = {
                "node": "thon-2-a",
                "cmd": "x1",
                "result": "ok",
                "at": "2027-01-28T06:59:58.000+07:00",
            }
            for topic, body in [
                ("event", event),
                ("event", event),
                ("ack", ack),
                ("ack", ack),
                ("event", "{broken"),
            ]:
                raw = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                node.publish(f"{P}/node/thon-2-a/{topic}", raw, 1).wait_for_publish(5)
            assert service.wait_handled(6, timeout=10)
            with database.session() as s:
                assert s.get(Node, "thon-2-a").online is True
                assert s.scalar(select(func.count()).select_from(PlayEvent)) == 1
                assert s.scalar(select(func.count()).select_from(CommandAck)) == 1
            node.disconnect()  # a clean disconnect would not fire the will: publish it as one
            node.loop_stop()
            last_will = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2)
            last_will.connect(broker.host, broker.port)
            last_will.loop_start()
            last_will.publish(f"{P}/node/thon-2-a/state", b'{"online": false}', 1, True)
            assert service.wait_handled(7, timeout=10)
            last_will.disconnect()
            last_will.loop_stop()
            with database.session() as s:
                assert s.get(Node, "thon-2-a").online is False
        finally:
            service.stop()
    finally:
        node.loop_stop()


def test_seq_keeps_growing_across_a_controller_restart(app, broker, commune, config) -> None:  # type: ignore[no-untyped-def]
    first = _live_service(app, broker)
    try:
        seq1 = first.publish_plans({"thon-1-a": [_item("a")]})["thon-1-a"]
        verifier = _verifier(first)
    finally:
        first.stop()
    restarted_app = create_app(config)  # a new process would do the same: same DB, same key file
    second = _live_service(restarted_app, broker)
    try:
        with Collector(broker, [f"{P}/node/thon-1-a/plan"]) as plans:
            old = plans.get(timeout=10)
            seq2 = second.publish_plans({"thon-1-a": [_item("a2")]})["thon-1-a"]
            new = plans.get(timeout=10)
        assert seq2 > seq1 and new.payload["seq"] == seq2
        now = datetime.now(UTC)
        assert isinstance(verifier.check(json.dumps(old.payload).encode(), now), Accepted)
        assert isinstance(verifier.check(json.dumps(new.payload).encode(), now), Accepted)
        health = restarted_app.test_client().get("/healthz")
        assert health.json["broker"] == "ok"
    finally:
        second.stop()
        restarted_app.extensions["tt.db"].dispose()
