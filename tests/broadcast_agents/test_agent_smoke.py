"""A single real agent process: receives a signed plan, plays it on time, reports events."""

from datetime import UTC, datetime, timedelta

from broadcast_agents import __version__
from broadcast_agents.protocol import (
    State,
    format_time,
    parse_state,
    parse_telemetry,
    parse_time,
    topics,
)
from tests.support.agents import start_agent
from tests.support.audio import make_tone, media_ref
from tests.support.mqtt_client import Collector

# The target is 10 ms (bench/sync.py measures it); the test allows for CI's loaded 2 cores.
ON_TIME_S = 0.03

SITE = "xa-test"


def test_plan_item_plays_and_reports(
    tmp_path, broker, controller, public_key, media_server, media_dir
):
    tone = make_tone(media_dir / "tone", 1.0)
    ref = media_ref(tone, media_server.url(tone.name), 1000)
    filters = [topics.node_event(SITE, "n1"), topics.node_state(SITE, "n1"),
               topics.node_telemetry(SITE, "n1")]  # fmt: skip
    with Collector(broker, filters) as col:
        agent = start_agent(tmp_path / "n1", "n1", zone="z1", site=SITE, broker=broker,
                            public_key=public_key, base_url=media_server.base_url)  # fmt: skip
        try:
            state = col.wait_seen(lambda m: m.topic.endswith("/state") and m.payload["online"])
            assert parse_state(state.payload) == State(True, "n1", __version__, None,
                                                       parse_time(state.payload["at"]))  # fmt: skip
            tele = col.wait_seen(lambda m: m.topic.endswith("/telemetry"))
            telemetry = parse_telemetry(tele.payload)
            assert (telemetry.node, telemetry.volume, telemetry.version) == ("n1", 100, __version__)
            start = datetime.now(UTC) + timedelta(seconds=3)
            item = {"id": "b1", "start": format_time(start), "priority": 10, "title": "Bản tin",
                    "kind": "clip", "volume": 80, "media": [ref]}  # fmt: skip
            controller.plan("n1", [item])
            started = col.wait_for(lambda m: m.payload.get("type") == "started", timeout=10)
            assert started.payload["item"] == "b1"
            assert abs((parse_time(started.payload["at"]) - start).total_seconds()) < 0.02
            finished = col.wait_for(lambda m: m.payload.get("type") == "finished", timeout=10)
            assert finished.payload["item"] == "b1"
        finally:
            assert agent.terminate() == 0, agent.log
    sidecar = agent.sidecars()[0]
    assert sidecar["item"] == "b1"
    assert abs((parse_time(sidecar["first_sample_at"]) - start).total_seconds()) < ON_TIME_S
