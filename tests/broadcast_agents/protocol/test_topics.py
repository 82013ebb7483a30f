"""Topic builders and the parser agree, and the QoS/retain table matches the contract."""

import pytest

from broadcast_agents.protocol import topics


def test_builders_follow_the_contract_layout():
    assert topics.prefix("xa-a") == "tt/v1/xa-a"
    assert topics.node_plan("xa-a", "n1") == "tt/v1/xa-a/node/n1/plan"
    assert topics.zone_cmd("xa-a", "thon-1") == "tt/v1/xa-a/zone/thon-1/cmd"
    assert topics.all_cmd("xa-a") == "tt/v1/xa-a/all/cmd"
    assert topics.node_subscriptions("s", "n", "z") == [
        "tt/v1/s/node/n/plan",
        "tt/v1/s/node/n/cmd",
        "tt/v1/s/zone/z/cmd",
        "tt/v1/s/all/cmd",
    ]


@pytest.mark.parametrize("leaf", topics.NODE_LEAVES)
def test_parse_round_trips_node_topics(leaf):
    ref = topics.parse(topics.node_topic("s1", "n1", leaf))
    assert ref == topics.TopicRef("s1", "node", "n1", leaf)


def test_parse_zone_and_all():
    assert topics.parse("tt/v1/s/zone/z/cmd") == topics.TopicRef("s", "zone", "z", "cmd")
    assert topics.parse("tt/v1/s/all/cmd") == topics.TopicRef("s", "all", None, "cmd")


@pytest.mark.parametrize(
    "topic",
    ["", "tt/v2/s/all/cmd", "tt/v1/s/node/n/other", "tt/v1/s/zone/z/plan", "tt/v1//all/cmd",
     "tt/v1/s/node//plan", "tt/v1/s/all/cmd/x", "x/y"],
)  # fmt: skip
def test_parse_refuses_non_contract_topics(topic):
    assert topics.parse(topic) is None


def test_qos_and_retain_table():
    assert topics.parse("tt/v1/s/node/n/plan").retain is True
    assert topics.parse("tt/v1/s/node/n/state").retain is True
    assert topics.parse("tt/v1/s/node/n/telemetry").qos == 0
    assert all(topics.QOS[leaf] == 1 for leaf in ("plan", "cmd", "state", "event", "ack"))
    assert not any(topics.RETAIN[leaf] for leaf in ("cmd", "telemetry", "event", "ack"))


@pytest.mark.parametrize("bad", ["a/b", "+", "#", ""])
def test_builders_refuse_ids_that_would_change_the_topic(bad):
    with pytest.raises(ValueError):
        topics.node_plan("s", bad)
