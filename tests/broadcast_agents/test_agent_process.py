"""Real agent processes against a real broker: security, persistence, sync, offline, signals."""

import json
import queue
from datetime import UTC, datetime, timedelta

import pytest

from broadcast_agents.protocol import format_time, generate_key, parse_time, topics
from tests.support.agents import start_agent
from tests.support.audio import make_tone, media_ref
from tests.support.mqtt_client import Collector
from tests.support.waiting import wait_until

SITE = "xa-test"
pytestmark = pytest.mark.slow


def node_filters(node="+"):
    return [f"tt/v1/{SITE}/node/{node}/{leaf}" for leaf in ("event", "ack", "state")]


def clip(id_, start, ref, priority=10, kind="clip"):
    return {"id": id_, "start": format_time(start), "priority": priority, "title": id_,
            "kind": kind, "volume": 80, "media": [ref]}  # fmt: skip


@pytest.fixture
def agents(tmp_path, broker, public_key, media_server):
    started = []

    def launch(node, zone="z1"):
        a = start_agent(tmp_path / node, node, zone=zone, site=SITE, broker=broker,
                        public_key=public_key, base_url=media_server.base_url)  # fmt: skip
        started.append(a)
        return a

    yield launch
    for a in started:
        a.kill()


@pytest.fixture
def tone(media_dir, media_server):
    path = make_tone(media_dir / "tone", 1.0)
    return media_ref(path, media_server.url(path.name), 1000)


@pytest.fixture
def long_tone(media_dir, media_server):
    path = make_tone(media_dir / "long", 8.0, 300)
    return media_ref(path, media_server.url(path.name), 8000)


def online(col, node, after=0):
    """The node's online state message, among those received after index `after` of col.seen."""
    return col.wait_seen(
        lambda m: m.topic.endswith(f"/{node}/state")
        and m.payload["online"]
        and col.seen.index(m) >= after
    )


def ping(controller, col, node):
    """Round trip through the agent: everything sent before has been handled when this returns."""
    env = controller.command(topics.node_cmd(SITE, node), {"op": "ping"})
    col.wait_for(lambda m: m.topic.endswith("/ack") and m.payload["cmd"] == env["id"])
    return env


def of_type(messages, kind):
    return [
        m.payload for m in messages if isinstance(m.payload, dict) and m.payload.get("type") == kind
    ]


def test_rejections_are_reported_and_never_acted_on(controller, broker, agents, tone):
    with Collector(broker, node_filters("n1")) as col:
        agent = agents("n1")
        online(col, "n1")
        topic = topics.node_cmd(SITE, "n1")
        start = datetime.now(UTC) + timedelta(seconds=2)
        play = {"op": "play_now", "item": clip("bad", start, tone)}
        accepted = ping(controller, col, "n1")
        acks_before = len([m for m in col.seen if m.topic.endswith("/ack")])
        sent = {
            "bad_signature": controller.command(topic, play, key=generate_key()),
            "wrong_site": controller.command(topic, play, site="xa-khac"),
            "expired": controller.command(
                topic, play, issued_at=datetime.now(UTC) - timedelta(days=3)
            ),
            "stale_seq": controller.command(topic, play, seq=accepted["seq"]),
        }
        reasons = {}
        for _ in sent:
            msg = col.wait_for(lambda m: m.payload.get("type") == "rejected")
            reasons[msg.payload["item"]] = msg.payload["detail"]["reason"]
        assert reasons == {env["id"]: code for code, env in sent.items()}
        controller.publish(topic, b"\x00garbage")
        assert col.wait_for(lambda m: m.payload.get("type") == "rejected").payload["item"] == ""
        controller.publish(topic, accepted)  # a QoS 1 re-delivery of an accepted command
        ping(controller, col, "n1")
        acks = [m.payload for m in col.seen if m.topic.endswith("/ack")]
        assert len(acks) == acks_before + 1  # only the new ping: the re-delivery was ignored
        assert [a["cmd"] for a in acks].count(accepted["id"]) == 1
        assert len(of_type(col.seen, "rejected")) == 5
        with pytest.raises(queue.Empty):  # nothing acted on: the "bad" item never starts
            col.wait_for(lambda m: m.payload.get("type") == "started", timeout=3)
    assert agent.sidecars() == []


def test_plan_survives_restart_without_broker_redelivery(controller, broker, agents, tone):
    with Collector(broker, node_filters("n1")) as col:
        agent = agents("n1")
        online(col, "n1")
        start = datetime.now(UTC) + timedelta(seconds=6)
        env = controller.plan("n1", [clip("p1", start, tone)])
        ping(controller, col, "n1")
        assert agent.terminate() == 0
        controller.publish(topics.node_plan(SITE, "n1"), b"", retain=True)  # clear retained plan
        mark = len(col.seen)
        restarted = agents("n1")
        assert online(col, "n1", after=mark).payload["plan_seq"] == env["seq"]
        started = col.wait_for(lambda m: m.payload.get("type") == "started", timeout=12)
        assert started.payload["item"] == "p1"
        assert abs((parse_time(started.payload["at"]) - start).total_seconds()) < 0.02
        col.wait_for(lambda m: m.payload.get("type") == "finished")
    assert [s["item"] for s in restarted.sidecars()] == ["p1"]


def test_item_plays_on_every_targeted_node_in_step_and_nowhere_else(
    controller, broker, agents, tone
):
    with Collector(broker, node_filters()) as col:
        nodes = {n: agents(n, zone) for n, zone in (("n1", "z1"), ("n2", "z1"), ("n3", "z2"))}
        for n in nodes:
            online(col, n)
        start = datetime.now(UTC) + timedelta(seconds=4)
        for n in ("n1", "n2"):
            controller.plan(n, [clip("prog", start, tone)])
        controller.plan("n3", [])
        now_start = start + timedelta(seconds=2)
        play = {"op": "play_now", "item": clip("bc-1", now_start, tone)}
        cmd = controller.command(topics.zone_cmd(SITE, "z1"), play)
        finished = set()
        while len(finished) < 4:
            m = col.wait_for(lambda m: m.payload.get("type") == "finished", timeout=15)
            finished.add((m.topic.split("/")[4], m.payload["item"]))
        assert finished == {(n, i) for n in ("n1", "n2") for i in ("prog", "bc-1")}
        acks = [m for m in col.seen if m.topic.endswith("/ack") and m.payload["cmd"] == cmd["id"]]
        assert sorted(m.payload["node"] for m in acks) == ["n1", "n2"]
    for item, planned in (("prog", start), ("bc-1", now_start)):
        firsts = [parse_time(s["first_sample_at"]) for n in ("n1", "n2")
                  for s in nodes[n].sidecars() if s["item"] == item]  # fmt: skip
        assert len(firsts) == 2
        assert (max(firsts) - min(firsts)).total_seconds() < 0.020
        assert all(abs((f - planned).total_seconds()) < 0.020 for f in firsts)
    assert nodes["n3"].sidecars() == []


def test_node_cut_from_broker_still_plays_and_reports_after_reconnect(
    controller, broker, agents, tone
):
    col = Collector(broker, node_filters("n1"), client_id="offline-watch", clean=False)
    with col:
        agent = agents("n1")
        online(col, "n1")
        start = datetime.now(UTC) + timedelta(seconds=4)
        controller.plan("n1", [clip("off-1", start, tone)])
        ping(controller, col, "n1")
        wait_until(lambda: agent.root.joinpath("cache").exists() and
                   any(agent.root.joinpath("cache").iterdir()), what="prefetch")  # fmt: skip
        broker.stop()
        sidecar = wait_until(lambda: [s for s in agent.sidecars() if "samples" in s], timeout=10,
                             what="offline playback")  # fmt: skip
        assert abs((parse_time(sidecar[0]["first_sample_at"]) - start).total_seconds()) < 0.02
        broker.start()
        started = col.wait_for(lambda m: m.payload.get("type") == "started", timeout=20)
        assert started.payload["item"] == "off-1"
        col.wait_for(lambda m: m.payload.get("type") == "finished", timeout=10)
        ping(controller, col, "n1")
        assert len(of_type(col.seen, "started")) == 1  # once each, however the link dropped
        assert len(of_type(col.seen, "finished")) == 1


def test_emergency_play_now_preempts_running_item(controller, broker, agents, tone, long_tone):
    with Collector(broker, node_filters("n1")) as col:
        agents("n1")
        online(col, "n1")
        controller.plan("n1", [clip("long", datetime.now(UTC) + timedelta(seconds=2), long_tone)])
        col.wait_for(lambda m: m.payload.get("type") == "started" and m.payload["item"] == "long")
        emg_start = datetime.now(UTC) + timedelta(seconds=2)
        item = clip("emg-1", emg_start, tone, priority=1000, kind="emergency")
        controller.command(topics.all_cmd(SITE), {"op": "play_now", "item": item})
        pre = col.wait_for(lambda m: m.payload.get("type") == "preempted")
        assert pre.payload["item"] == "long" and pre.payload["detail"] == {"by": "emg-1"}
        started = col.wait_seen(
            lambda m: m.payload.get("type") == "started" and m.payload["item"] == "emg-1"
        )
        assert abs((parse_time(started.payload["at"]) - emg_start).total_seconds()) < 0.02
        assert (
            col.wait_for(lambda m: m.payload.get("type") == "finished").payload["item"] == "emg-1"
        )


def test_sigterm_publishes_offline_and_sigkill_leaves_the_will(controller, broker, agents):
    state_topic = topics.node_state(SITE, "n1")
    with Collector(broker, [state_topic]) as col:
        agent = agents("n1")
        online(col, "n1")
        assert agent.terminate() == 0
        msg = col.wait_for(lambda m: m.payload["online"] is False)
        assert msg.payload["node"] == "n1" and "stopped cleanly" in agent.log
        mark = len(col.seen)
        agent = agents("n1")
        online(col, "n1", after=mark)
        agent.kill()
        will = col.wait_for(lambda m: m.payload["online"] is False, timeout=15)
        assert will.payload["node"] == "n1"
    with Collector(broker, [state_topic]) as late:  # retained for whoever subscribes later
        retained = late.get()
        assert retained.retain and retained.payload["online"] is False


def test_stop_and_set_volume_commands(controller, broker, agents, long_tone):
    with Collector(broker, node_filters("n1")) as col:
        agents("n1")
        online(col, "n1")
        vol = controller.command(topics.zone_cmd(SITE, "z1"), {"op": "set_volume", "volume": 40})
        ack = col.wait_for(lambda m: m.topic.endswith("/ack") and m.payload["cmd"] == vol["id"])
        assert ack.payload["result"] == "ok" and ack.payload["detail"] == {"volume": 40}
        controller.plan("n1", [clip("long", datetime.now(UTC) + timedelta(seconds=2), long_tone)])
        col.wait_for(lambda m: m.payload.get("type") == "started" and m.payload["item"] == "long")
        stop = controller.command(topics.node_cmd(SITE, "n1"), {"op": "stop", "target": "all"})
        done = col.wait_seen(lambda m: m.payload.get("type") == "finished")
        assert done.payload["item"] == "long" and done.payload["detail"] == {"reason": "stopped"}
        ack = col.wait_seen(lambda m: m.topic.endswith("/ack") and m.payload["cmd"] == stop["id"])
        assert ack.payload["detail"] == {"stopped": ["long"]}


def test_plan_without_the_playing_item_stops_it_but_keeps_play_now(
    controller, broker, agents, tone, long_tone
):
    with Collector(broker, node_filters("n1")) as col:
        agent = agents("n1")
        online(col, "n1")
        controller.plan("n1", [clip("long", datetime.now(UTC) + timedelta(seconds=2), long_tone)])
        col.wait_for(lambda m: m.payload.get("type") == "started" and m.payload["item"] == "long")
        cancelled_at = datetime.now(UTC)
        controller.plan("n1", [])  # the program was cancelled while it played
        cut = col.wait_for(lambda m: m.payload.get("type") in ("preempted", "finished"))
        assert (cut.payload["type"], cut.payload["item"]) == ("preempted", "long")
        assert cut.payload["detail"] == {"reason": "removed"}
        assert (parse_time(cut.payload["at"]) - cancelled_at).total_seconds() < 1.0
        start = datetime.now(UTC) + timedelta(seconds=2)
        controller.command(topics.node_cmd(SITE, "n1"),
                           {"op": "play_now", "item": clip("bc-1", start, tone)})  # fmt: skip
        col.wait_for(lambda m: m.payload.get("type") == "started" and m.payload["item"] == "bc-1")
        controller.plan("n1", [])  # a plan never holds play_now items: they are not dropped
        done = col.wait_for(lambda m: m.payload.get("type") in ("preempted", "finished"))
        assert (done.payload["type"], done.payload["item"]) == ("finished", "bc-1")
        assert "detail" not in done.payload
    long_sidecar = next(s for s in agent.sidecars() if s["item"] == "long")
    assert long_sidecar["samples"] < 4 * long_sidecar["sample_rate"]  # cut, not played through


def test_play_now_survives_a_crash_during_its_lead_time(controller, broker, agents, tone):
    with Collector(broker, node_filters("n1")) as col:
        agent = agents("n1")
        online(col, "n1")
        start = datetime.now(UTC) + timedelta(seconds=5)
        item = clip("bc-emg", start, tone, priority=1000, kind="emergency")
        cmd = controller.command(topics.node_cmd(SITE, "n1"), {"op": "play_now", "item": item})
        col.wait_for(lambda m: m.topic.endswith("/ack") and m.payload["cmd"] == cmd["id"])
        agent.kill()  # power cut before the instant; the broker will not send the command again
        restarted = agents("n1")
        started = col.wait_for(
            lambda m: m.payload.get("type") == "started" and m.payload["item"] == "bc-emg", 12
        )
        assert abs((parse_time(started.payload["at"]) - start).total_seconds()) < 0.02
        col.wait_for(
            lambda m: m.payload.get("type") == "finished" and m.payload["item"] == "bc-emg"
        )
    stored = json.loads((restarted.root / "state" / "adhoc.json").read_text())
    assert stored == {"items": []}  # dropped once played; done.json keeps it from replaying
    assert [s["item"] for s in restarted.sidecars()] == ["bc-emg"]


def test_play_now_rejoins_in_step_after_a_crash_mid_play(controller, broker, agents, long_tone):
    with Collector(broker, node_filters("n1")) as col:
        agent = agents("n1")
        online(col, "n1")
        start = datetime.now(UTC) + timedelta(seconds=2)
        item = clip("bc-emg", start, long_tone, priority=1000, kind="emergency")
        controller.command(topics.node_cmd(SITE, "n1"), {"op": "play_now", "item": item})
        first = col.wait_for(lambda m: m.payload.get("type") == "started")
        agent.kill()  # crash mid-emergency (8 s long; the test config allows joining 3 s late)
        restarted = agents("n1")
        again = col.wait_for(  # not the first one, which the outbox may send again
            lambda m: m.payload.get("type") in ("started", "skipped")
            and m.payload["id"] != first.payload["id"],
            12,
        )
        assert (again.payload["type"], again.payload["item"]) == ("started", "bc-emg")
        late = timedelta(milliseconds=again.payload["detail"]["late_ms"])
        assert timedelta(0) < late < timedelta(seconds=3)
        # in step: the first sample is the one due at that instant, as on the other nodes
        start = parse_time(item["start"])
        assert abs(parse_time(again.payload["at"]) - start - late) < timedelta(milliseconds=5)
        col.wait_for(lambda m: m.payload.get("type") == "finished", 15)
    sidecar = restarted.sidecars()[0]
    assert sidecar["item"] == "bc-emg"
    played = timedelta(seconds=sidecar["samples"] / sidecar["sample_rate"])
    assert abs(played + late - timedelta(seconds=8)) < timedelta(milliseconds=100)
