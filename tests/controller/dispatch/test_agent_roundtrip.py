"""The controller's dispatch against a REAL node agent process over a real Mosquitto.

The contract is shared code, but this checks the two sides actually agree: the agent accepts
what the controller signs (key file, seq, site, expiry), and the controller stores what the
agent reports (state, ack, proof-of-play events).
"""

from __future__ import annotations

import queue
from collections.abc import Iterator

import pytest

from controller.dispatch.keys import public_key_b64
from controller.dispatch.service import DispatchService
from tests.controller.dispatch.commune import SITE
from tests.support.agents import start_agent

pytestmark = pytest.mark.slow


@pytest.fixture
def live(app, broker, commune) -> Iterator[tuple[DispatchService, queue.Queue]]:  # type: ignore[no-untyped-def]
    cfg = app.extensions["tt.config"]
    cfg.mqtt.host, cfg.mqtt.port = broker.host, broker.port
    cfg.quiet_hours.start = cfg.quiet_hours.end = "00:00"  # phát ngay at any hour of the run
    service = DispatchService(app)
    outcomes: queue.Queue = queue.Queue()
    service.on_outcome.append(lambda topic, outcome: outcomes.put((topic, outcome)))
    service.start()
    assert service.link.wait_connected(10)
    yield service, outcomes
    service.stop()


def _wait(outcomes: queue.Queue, leaf: str, timeout: float = 20) -> None:
    while True:
        topic, outcome = outcomes.get(timeout=timeout)
        assert not outcome.dropped, (topic, outcome)
        if topic.endswith(f"/{leaf}") and outcome.status in ("stored", "updated"):
            return


def test_agent_acknowledges_a_broadcast_and_reports_it(live, broker, tmp_path, api_as) -> None:  # type: ignore[no-untyped-def]
    service, outcomes = live
    agent = start_agent(
        tmp_path / "agent",
        "thon-1-a",
        zone="thon-1",
        site=SITE,
        broker=broker,
        public_key=public_key_b64(service.key),
    )
    try:
        _wait(outcomes, "state")  # the agent said it is online
        officer = api_as("officer")
        assert officer.get("/api/v1/nodes/thon-1-a").json["online"] is True
        r = officer.post("/api/v1/broadcasts", json={"media_ids": [1], "zones": ["thon-1"]})
        assert r.status_code == 201, r.json
        _wait(outcomes, "ack")
        _wait(outcomes, "event")  # the media URL leads nowhere here: a failure, but reported
        status = officer.get(f"/api/v1/broadcasts/{r.json['id']}").json
        node = next(n for n in status["nodes"] if n["node"] == "thon-1-a")
        assert node["acknowledged"] and node["result"] == "ok", (status, agent.log[-3000:])
        plays = officer.get("/api/v1/plays?node=thon-1-a").json["items"]
        assert plays and plays[0]["item"] == r.json["id"] and plays[0]["title"] == "Tin bão số 3"
        assert plays[0]["zone"] == "thon-1"
    finally:
        agent.terminate()
