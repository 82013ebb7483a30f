"""The MQTT contract holds on two broker implementations: Mosquitto and NATS (JetStream MQTT).

Each scenario runs the real controller (API + dispatch service) and real agent processes on
each broker: a retained plan reaches a node that connects later, a zone broadcast plays only
in that zone, the last will marks a killed node offline, events a node queued while the broker
was down arrive once after it returns, and a forged command is rejected and reported. One more
test runs the plan and a broadcast across a three-server NATS cluster, with the controller and
the node on different members. What differs between brokers is in docs/scale.md.
"""

from __future__ import annotations

import queue
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from broadcast_agents.protocol import topics
from tests.faults.rig import SITE, Rig
from tests.support.broker import start_mosquitto
from tests.support.mqtt_client import Collector, FakeController
from tests.support.nats import start_nats, start_nats_cluster
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow


@pytest.fixture(params=["mosquitto", "nats"])
def broker(request: pytest.FixtureRequest, tmp_path) -> Iterator:  # type: ignore[no-untyped-def, type-arg]
    b = start_mosquitto(tmp_path) if request.param == "mosquitto" else start_nats(tmp_path)
    yield b
    b.stop()


def soon(seconds: float) -> datetime:
    return datetime.now(UTC) + timedelta(seconds=seconds)


def test_retained_plan_reaches_a_node_that_connects_later(rig: Rig) -> None:
    seq = rig.dispatch.publish_plans({"thon-1-a": [rig.clip_item("p-ret", soon(5))]})["thon-1-a"]
    rig.agent("thon-1-a")  # connects after the plan was published: only the retained copy
    wait_until(lambda: rig.node("thon-1-a").plan_seq == seq, 20, "node reports the plan seq")
    rig.wait_play("thon-1-a", "p-ret", "finished")
    assert [p["type"] for p in rig.events("thon-1-a", "p-ret")] == ["finished", "started"]


def test_zone_broadcast_plays_in_that_zone_only(rig: Rig) -> None:
    for node in ("thon-1-a", "thon-2-a"):
        rig.agent(node)
        rig.wait_online(node)
    broadcast = rig.broadcast(["thon-1"])
    rig.wait_play("thon-1-a", broadcast, "finished")
    rig.ping("thon-2-a")  # thon-2-a handled everything sent before this
    status = rig.officer.get(f"/api/v1/broadcasts/{broadcast}").json
    by_node = {n["node"]: n for n in status["nodes"]}
    assert by_node["thon-1-a"]["result"] == "ok" and by_node["thon-1-a"]["started"]
    assert "thon-2-a" not in by_node
    assert rig.events("thon-2-a", broadcast) == []
    assert [s["item"] for s in rig.agents["thon-2-a"].sidecars()] == []


def test_last_will_marks_a_killed_node_offline(rig: Rig) -> None:
    agent = rig.agent("thon-1-a")
    rig.wait_online("thon-1-a")
    agent.kill()  # SIGKILL: no clean "offline" message, only the broker's last will
    assert rig.wait_online("thon-1-a", online=False, timeout=30).online is False
    with Collector(rig.broker, [topics.node_state(SITE, "thon-1-a")]) as states:
        retained = states.get(timeout=10)  # a late subscriber still learns it from the broker
    assert retained.retain and retained.payload["online"] is False


def test_events_queued_offline_arrive_once_after_reconnect(rig: Rig) -> None:
    agent = rig.agent("thon-1-a")
    rig.wait_online("thon-1-a")
    rig.dispatch.publish_plans({"thon-1-a": [rig.clip_item("p-off", soon(5))]})
    rig.ping("thon-1-a")
    # A witness with a persistent session, like the controller's: it misses nothing either.
    witness = Collector(rig.broker, [topics.node_event(SITE, "thon-1-a")], "witness", clean=False)
    with witness as heard:
        rig.broker.stop()
        wait_until(lambda: agent.sidecars(), 20, "the item played while the broker was down")
        rig.broker.start()
        rig.wait_play("thon-1-a", "p-off", "finished", timeout=60)
        rig.ping("thon-1-a", timeout=40)  # the outbox has drained
        heard.wait_seen(lambda m: m.payload.get("type") == "finished", timeout=20)
        distinct = {m.payload["id"]: m for m in heard.seen}.values()  # QoS 1 may repeat one
        kinds = [m.payload["type"] for m in distinct if m.payload.get("item") == "p-off"]
    assert sorted(kinds) == ["finished", "started"]
    assert sorted(p["type"] for p in rig.events("thon-1-a", "p-off")) == ["finished", "started"]
    assert agent.proc.poll() is None
    assert [s["item"] for s in agent.sidecars()] == ["p-off"]


def test_forged_command_is_rejected_and_reported(rig: Rig) -> None:
    agent = rig.agent("thon-1-a")
    rig.wait_online("thon-1-a")
    forger = FakeController(rig.broker, SITE)  # its own key: not the controller's
    try:
        item = rig.clip_item("forged", soon(3))
        forged = forger.command(topics.zone_cmd(SITE, "thon-1"), {"op": "play_now", "item": item})
    finally:
        forger.close()
    rejected = rig.wait_play("thon-1-a", forged["id"], "rejected")
    assert rejected["detail"]["reason"] == "bad_signature"
    genuine = rig.broadcast(["thon-1"])
    rig.wait_play("thon-1-a", genuine, "finished")  # it starts after the forged one would have
    assert [s["item"] for s in agent.sidecars()] == [genuine]
    assert rig.events("thon-1-a", "forged") == []


@pytest.fixture
def cluster(tmp_path) -> Iterator[list]:  # type: ignore[type-arg]
    members = start_nats_cluster(tmp_path / "cluster", 3)
    yield members
    for member in members:
        member.stop()


def test_nats_cluster_members_share_retained_plans_and_sessions(tmp_path, cluster) -> None:  # type: ignore[no-untyped-def]
    """A node on one member, the controller's publisher on another, a listener on a third."""
    controller = FakeController(cluster[0], SITE)
    try:
        plan = controller.plan("n1", [])
        with Collector(cluster[2], [topics.node_plan(SITE, "n1")]) as plans:
            assert plans.get(timeout=20).payload["id"] == plan["id"]  # retained, replicated
        cmd_topic = [topics.node_cmd(SITE, "n1")]
        with Collector(cluster[1], cmd_topic, client_id="tt-x-n1", clean=False):
            pass  # a persistent session created on member 1 ...
        command = controller.command(cmd_topic[0], {"op": "ping"})
        with Collector(cluster[2], cmd_topic, client_id="tt-x-n1", clean=False) as cmds:
            # ... resumed on member 2 gets what was queued while it was away
            assert cmds.get(timeout=20).payload["id"] == command["id"]
            with pytest.raises(queue.Empty):
                cmds.get(timeout=1)  # and only once
    finally:
        controller.close()
