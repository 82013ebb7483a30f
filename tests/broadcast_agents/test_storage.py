"""Plan store, cache eviction and agent config."""

import json
import os

import pytest

from broadcast_agents.cache import MediaCache
from broadcast_agents.config import ConfigError, config_from_dict
from broadcast_agents.plan_store import PlanStore
from broadcast_agents.protocol import VerifierState, parse_plan_item

PLAN = {
    "v": 1, "kind": "plan", "id": "e1", "seq": 3, "node": "n1",
    "items": [{"id": "i1", "start": "2027-01-28T06:00:00.000+07:00", "priority": 1, "title": "t",
               "kind": "clip", "volume": 50,
               "media": [{"url": "/m", "sha256": "a" * 64, "bytes": 1, "duration_ms": 10}]}],
}  # fmt: skip


def test_plan_store_survives_a_new_instance(tmp_path):
    store = PlanStore(tmp_path)
    assert store.load_plan() is None
    store.save_plan(PLAN)
    store.save_verifier(VerifierState({"k": 3}, ["e1"]))
    store.save_done({"i1": "2027-01-28T06:00:00+07:00"})
    store.save_volume(35)
    again = PlanStore(tmp_path)
    plan = again.load_plan()
    assert plan.seq == 3 and plan.items[0].id == "i1"
    assert again.load_verifier() == VerifierState({"k": 3}, ["e1"])
    assert again.load_done() == {"i1": "2027-01-28T06:00:00+07:00"}
    assert again.load_volume() == 35
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp files left


def test_plan_store_tolerates_damaged_files(tmp_path):
    (tmp_path / "plan.json").write_text("{half")
    (tmp_path / "volume.json").write_text('{"volume": 900}')
    store = PlanStore(tmp_path)
    assert store.load_plan() is None and store.load_volume() == 100


def test_play_now_items_round_trip_and_damaged_entries_are_left_out(tmp_path):
    relay = {"id": "r1", "start": "2027-01-28T18:00:00.000+07:00", "priority": 5, "title": "VOV",
             "kind": "relay", "volume": 70, "stream_url": "https://s.example/vov1",
             "end": "2027-01-28T18:30:00.000+07:00"}  # fmt: skip
    items = [parse_plan_item(PLAN["items"][0]), parse_plan_item(relay)]
    store = PlanStore(tmp_path)
    assert store.load_adhoc() == {}
    store.save_adhoc(items)
    assert PlanStore(tmp_path).load_adhoc() == {i.id: i for i in items}
    (tmp_path / "adhoc.json").write_text('{"items": [{"id": "x"}, ' + json.dumps(relay) + "]}")
    assert list(PlanStore(tmp_path).load_adhoc()) == ["r1"]
    (tmp_path / "adhoc.json").write_text("[1, 2")
    assert PlanStore(tmp_path).load_adhoc() == {}


def _put(cache, name, size, mtime):
    path = cache.path(name)
    path.write_bytes(b"x" * size)
    os.utime(path, (mtime, mtime))


def test_cache_lru_eviction_never_removes_needed_files(tmp_path):
    cache = MediaCache(tmp_path, max_bytes=250)
    for i, name in enumerate(["old", "mid", "new"]):
        _put(cache, name, 100, 1000 + i)
    cache.set_needed({"old"})
    assert cache.evict() == ["mid"]
    assert {e[0] for e in cache.entries()} == {"old", "new"}
    cache.set_needed({"old", "new"})
    assert cache.evict(incoming=500) == []  # over cap, but all needed: keep them
    cache.touch("old")
    cache.set_needed(set())
    assert cache.evict(incoming=100) == ["new"]  # touched "old" is now the most recent


def _cfg(**over):
    base = {"node": {"id": "n", "zone": "z", "site": "s"}, "controller": {"public_key": "k"},
            "cache": {"dir": "/c"}, "state": {"dir": "/s"}}  # fmt: skip
    base.update(over)
    return base


def test_config_reads_sections_and_env_secrets():
    cfg = config_from_dict(
        _cfg(mqtt={"host": "b", "port": 8883, "tls": True}, gpio={"amp_pin": 17}),
        {"TT_MQTT_PASSWORD": "pw", "TT_CONTROLLER_TOKEN": "tok"},
    )
    assert (cfg.mqtt.host, cfg.mqtt.port, cfg.mqtt.tls, cfg.mqtt.password) == (
        "b",
        8883,
        True,
        "pw",
    )
    assert cfg.token == "tok" and cfg.gpio.amp_pin == 17 and cfg.player.sink == "alsa"


@pytest.mark.parametrize("data", [_cfg(node={"id": "n"}), _cfg(mqtt={"hots": "x"})])
def test_config_errors_are_clear(data):
    with pytest.raises(ConfigError):
        config_from_dict(data, {})


def test_example_config_is_valid():
    from pathlib import Path

    from broadcast_agents.config import load_config

    cfg = load_config(Path(__file__).parents[2] / "examples" / "agent.toml", env={})
    assert (cfg.node, cfg.zone, cfg.site) == ("thon-1-a", "thon-1", "xa-tan-phu")
    assert cfg.gpio.amp_pin == 17 and cfg.ntp_server == "pool.ntp.org"
