"""MQTT topic names of contract v1: builders, a parser, and the QoS/retain table."""

from __future__ import annotations

from dataclasses import dataclass

VERSION_SEGMENT = "tt/v1"

NODE_LEAVES = ("plan", "cmd", "state", "telemetry", "event", "ack")

# Per the contract table: (qos, retained) for each leaf.
QOS: dict[str, int] = {
    "plan": 1,
    "cmd": 1,
    "state": 1,
    "telemetry": 0,
    "event": 1,
    "ack": 1,
}
RETAIN: dict[str, bool] = {
    "plan": True,
    "cmd": False,
    "state": True,
    "telemetry": False,
    "event": False,
    "ack": False,
}


@dataclass(frozen=True)
class TopicRef:
    """A parsed contract topic: scope is "node", "zone" or "all"; target is None for "all"."""

    site: str
    scope: str
    target: str | None
    leaf: str

    @property
    def qos(self) -> int:
        return QOS[self.leaf]

    @property
    def retain(self) -> bool:
        return RETAIN[self.leaf]


def _check_segment(name: str, value: str) -> str:
    # MQTT wildcards or separators inside an id would silently change the topic's meaning.
    if not value or any(c in value for c in "/+#\x00"):
        raise ValueError(f"invalid {name} for a topic segment: {value!r}")
    return value


def prefix(site: str) -> str:
    """`tt/v1/{site}`."""
    return f"{VERSION_SEGMENT}/{_check_segment('site', site)}"


def node_topic(site: str, node: str, leaf: str) -> str:
    """`tt/v1/{site}/node/{node}/{leaf}` for any leaf in NODE_LEAVES."""
    if leaf not in NODE_LEAVES:
        raise ValueError(f"unknown node topic leaf: {leaf!r}")
    return f"{prefix(site)}/node/{_check_segment('node', node)}/{leaf}"


def node_plan(site: str, node: str) -> str:
    return node_topic(site, node, "plan")


def node_cmd(site: str, node: str) -> str:
    return node_topic(site, node, "cmd")


def node_state(site: str, node: str) -> str:
    return node_topic(site, node, "state")


def node_telemetry(site: str, node: str) -> str:
    return node_topic(site, node, "telemetry")


def node_event(site: str, node: str) -> str:
    return node_topic(site, node, "event")


def node_ack(site: str, node: str) -> str:
    return node_topic(site, node, "ack")


def zone_cmd(site: str, zone: str) -> str:
    return f"{prefix(site)}/zone/{_check_segment('zone', zone)}/cmd"


def all_cmd(site: str) -> str:
    return f"{prefix(site)}/all/cmd"


def node_subscriptions(site: str, node: str, zone: str) -> list[str]:
    """Everything one node listens to: its plan and cmd, its zone's cmd, the site's cmd."""
    return [node_plan(site, node), node_cmd(site, node), zone_cmd(site, zone), all_cmd(site)]


def controller_subscriptions(site: str) -> list[str]:
    """Wildcard filters a controller uses to hear every node of a site ("+" matches all sites)."""
    base = f"{VERSION_SEGMENT}/{site}/node/+"
    return [f"{base}/{leaf}" for leaf in ("state", "telemetry", "event", "ack")]


def parse(topic: str) -> TopicRef | None:
    """Parse a contract topic; None for anything that is not one."""
    parts = topic.split("/")
    if len(parts) < 5 or parts[0] != "tt" or parts[1] != "v1" or not parts[2]:
        return None
    site, scope, rest = parts[2], parts[3], parts[4:]
    if scope == "node" and len(rest) == 2 and rest[0] and rest[1] in NODE_LEAVES:
        return TopicRef(site, "node", rest[0], rest[1])
    if scope == "zone" and len(rest) == 2 and rest[0] and rest[1] == "cmd":
        return TopicRef(site, "zone", rest[0], "cmd")
    if scope == "all" and rest == ["cmd"]:
        return TopicRef(site, "all", None, "cmd")
    return None
