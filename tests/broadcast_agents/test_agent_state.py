"""The agent's state files after a power cut between two writes: nothing accepted is lost."""

from datetime import UTC, datetime, timedelta

import pytest

from broadcast_agents.agent import Agent
from broadcast_agents.config import AgentConfig
from broadcast_agents.plan_store import PlanStore
from broadcast_agents.protocol import (
    canonical_json,
    format_time,
    generate_key,
    make_envelope,
    public_key_b64,
    topics,
)
from broadcast_agents.sinks import NullSink

SITE, NODE = "xa-test", "n1"


class PowerCut(Exception):
    pass


class CutAfterFirstWrite(PlanStore):
    """A store whose second state write of a message never happens (the power went)."""

    def __init__(self, state_dir):
        super().__init__(state_dir)
        self.writes = []

    def _write(self, name, save, *args):
        if self.writes:
            raise PowerCut(f"power cut before {name}, after {self.writes}")
        save(*args)
        self.writes.append(name)

    def save_plan(self, envelope):
        self._write("plan", super().save_plan, envelope)

    def save_adhoc(self, items):
        self._write("adhoc", super().save_adhoc, list(items))

    def save_verifier(self, state):
        self._write("verifier", super().save_verifier, state)


@pytest.fixture
def key():
    return generate_key()


@pytest.fixture
def make_agent(tmp_path, key):
    made = []

    def make(store=None):
        cfg = AgentConfig(node=NODE, zone="z1", site=SITE, public_key=public_key_b64(key),
                          base_url="", state_dir=tmp_path / "state",
                          cache_dir=tmp_path / "cache")  # fmt: skip
        agent = Agent(cfg, sink=NullSink(), store=store)
        made.append(agent)
        return agent

    yield make
    for agent in made:
        agent.outbox.queue.close()


def item(id_):
    start = format_time(datetime.now(UTC) + timedelta(hours=1))
    media = {"url": "/m", "sha256": "a" * 64, "bytes": 1, "duration_ms": 1000}
    return {"id": id_, "start": start, "priority": 10, "title": id_, "kind": "clip",
            "volume": 80, "media": [media]}  # fmt: skip


def envelope(key, kind, body):
    now = datetime.now(UTC)
    seq = int(now.timestamp() * 1000)
    return make_envelope(kind, body, site=SITE, seq=seq, issued_at=now,
                         ttl=timedelta(hours=1), key=key)  # fmt: skip


@pytest.mark.parametrize("kind", ["plan", "cmd"])
def test_power_cut_between_state_writes_loses_nothing(make_agent, key, kind):
    if kind == "plan":
        env = envelope(key, "plan", {"node": NODE, "items": [item("p1")]})
        topic = topics.node_plan(SITE, NODE)
    else:
        env = envelope(key, "cmd", {"op": "play_now", "item": item("bc-1")})
        topic = topics.node_cmd(SITE, NODE)
    store = CutAfterFirstWrite(make_agent().store.dir)
    crashing = make_agent(store)
    with pytest.raises(PowerCut):
        crashing._on_message(topic, canonical_json(env))
    assert store.writes == ["plan" if kind == "plan" else "adhoc"]  # the message itself first

    restarted = make_agent()
    restarted._on_message(topic, canonical_json(env))  # retained plan / QoS 1 re-delivery
    if kind == "plan":
        assert restarted.plan is not None and restarted.plan.seq == env["seq"]
        assert [i.id for i in restarted.plan.items] == ["p1"]
    else:
        assert list(restarted.adhoc) == ["bc-1"]
    assert restarted.verifier.state.recent_ids == [env["id"]]  # accepted, not a duplicate
    assert PlanStore(restarted.store.dir).load_verifier().recent_ids == [env["id"]]
