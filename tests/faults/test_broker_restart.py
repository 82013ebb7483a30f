"""Mosquitto restarts under a running commune: while nodes hold plans, and while a broadcast is
being dispatched. Nodes play what they hold, reconnect, the controller's view catches up, and
the broadcast log has every play exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from broadcast_agents.protocol import topics
from tests.faults.rig import SITE, Rig
from tests.support.mqtt_client import Collector
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow
NODES = ("thon-1-a", "thon-1-b")


def witness(rig: Rig, leaf: str) -> Collector:
    """A listener with a persistent session: it misses nothing across the restart either."""
    filters = [f"{topics.prefix(SITE)}/node/+/{leaf}"]
    return Collector(rig.broker, filters, client_id=f"witness-{leaf}", clean=False)


def test_restart_while_nodes_hold_plans(rig: Rig) -> None:
    for node in NODES:
        rig.agent(node)
        rig.wait_online(node)
    start = datetime.now(UTC) + timedelta(seconds=5)
    seqs = rig.dispatch.publish_plans({n: [rig.clip_item(f"p-{n}", start)] for n in NODES})
    for node in NODES:
        rig.ping(node)
    with witness(rig, "event") as events:
        rig.broker.stop()
        for node in NODES:  # both play on their own clock with no broker
            wait_until(lambda n=node: rig.agents[n].sidecars(), 20, f"{node} played offline")
        rig.broker.start()
        rig.wait_controller_connected()
        for node in NODES:
            rig.wait_play(node, f"p-{node}", "finished", timeout=40)
            rig.ping(node, timeout=40)  # each outbox has drained
        distinct = {m.payload["id"]: m for m in events.seen}.values()  # QoS 1 may repeat one
        heard = Counter((m.topic.split("/")[4], m.payload["type"]) for m in distinct)
    assert heard == {(n, t): 1 for n in NODES for t in ("started", "finished")}
    for node in NODES:
        view = rig.node(node)
        assert view.online is True and view.plan_seq == seqs[node]
        assert sorted(p["type"] for p in rig.events(node, f"p-{node}")) == ["finished", "started"]
        assert [s["item"] for s in rig.agents[node].sidecars()] == [f"p-{node}"]


def test_restart_during_a_broadcast(rig: Rig) -> None:
    for node in NODES:
        rig.agent(node)
        rig.wait_online(node)
    rig.broker.stop()
    refused = rig.officer.post(
        "/api/v1/broadcasts", json={"media_ids": [rig.media_id], "zones": ["thon-1"]}
    )
    assert refused.status_code == 503 and refused.json["error"]["code"] == "broker_unavailable"
    assert rig.officer.get("/api/v1/broadcasts").json["items"] == []  # nothing half-sent
    rig.broker.start()
    rig.wait_controller_connected()
    with witness(rig, "ack") as acks, witness(rig, "event") as events:
        broadcast = rig.broadcast(["thon-1"])
        rig.broker.stop()  # right after the broker took it: it sits in the nodes' sessions
        rig.broker.start()
        rig.wait_controller_connected()
        for node in NODES:
            outcome = wait_until(
                lambda n=node: [e for e in rig.events(n, broadcast) if e["type"] != "started"],
                40, f"{node} outcome",
            )  # fmt: skip
            assert outcome[0]["type"] in ("finished", "skipped"), outcome
            rig.ping(node, timeout=40)
        # QoS 1 may deliver one message twice on the wire (a PUBACK lost in the restart), so
        # count distinct messages: what each node DID, not how often the broker repeated it.
        acked = Counter(
            m.payload["node"]
            for m in {(m.payload["node"], m.payload["at"]): m for m in acks.seen}.values()
            if m.payload["cmd"] == broadcast
        )
        outcomes = Counter(
            (m.payload["node"], m.payload["type"])
            for m in {m.payload["id"]: m for m in events.seen}.values()
            if m.payload["item"] == broadcast
        )
    assert acked == {n: 1 for n in NODES}  # handled once by each node: not lost, not doubled
    assert outcomes and all(count == 1 for count in outcomes.values()), outcomes
    for node in NODES:
        assert [s["item"] for s in rig.agents[node].sidecars()].count(broadcast) <= 1
    status = rig.officer.get(f"/api/v1/broadcasts/{broadcast}").json
    assert {n["node"]: n["result"] for n in status["nodes"]} == {n: "ok" for n in NODES}
