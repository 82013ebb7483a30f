"""A whole commune on one machine for fault tests: controller app served over HTTP, its
dispatch service on a real broker, a real clip in the library, and real agent processes.

rig.agent("thon-1-a")                 # start (or restart) a node's agent process
rig.plays(node="thon-1-a")            # the broadcast log, as the API returns it
rig.wait_play("thon-1-a", "it", "finished")
rig.clip_item("it", start)            # a plan item playing the library clip
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from broadcast_agents.protocol import format_time
from controller.db.models import MediaItem, Node
from controller.dispatch.items import media_ref
from controller.dispatch.keys import public_key_b64
from controller.dispatch.service import DispatchService
from tests.support.agents import AgentProcess, start_agent
from tests.support.waiting import wait_until

SITE = "xa-binh-yen"  # the default config's site, created by the ``app`` fixture
NODES = {"thon-1-a": "thon-1", "thon-1-b": "thon-1", "thon-2-a": "thon-2"}


@dataclass
class Rig:
    app: Any
    broker: Any
    dispatch: DispatchService
    base_url: str
    officer: Any  # tests' ApiClient with an officer token
    node_token: str
    media_id: int
    root: Path
    monkeypatch: pytest.MonkeyPatch
    agents: dict[str, AgentProcess] = field(default_factory=dict)

    @property
    def db(self) -> Any:
        return self.app.extensions["tt.db"]

    @property
    def public_key(self) -> str:
        return public_key_b64(self.dispatch.key)

    def agent(self, node: str, extra: str = "") -> AgentProcess:
        """Start the node's agent (same state and cache dirs on a restart)."""
        previous = self.agents.get(node)
        if previous is not None:
            previous.kill()
        self.monkeypatch.setenv("TT_CONTROLLER_TOKEN", self.node_token)
        process = start_agent(self.root / node, node, zone=NODES[node], site=SITE,
                              broker=self.broker, public_key=self.public_key,
                              base_url=self.base_url, extra=extra)  # fmt: skip
        self.agents[node] = process
        return process

    def clip_item(self, item_id: str, start: datetime, media_id: int | None = None) -> dict:
        with self.db.session() as session:
            media = session.get(MediaItem, media_id or self.media_id)
            ref = media_ref(media, self.base_url)
        return {"id": item_id, "start": format_time(start), "priority": 100, "title": item_id,
                "kind": "clip", "volume": 80, "media": [ref]}  # fmt: skip

    def broadcast(self, zones: list[str]) -> str:
        """``POST /api/v1/broadcasts`` of the library clip to zones; returns the broadcast id."""
        body = {"media_ids": [self.media_id], "zones": zones}
        response = self.officer.post("/api/v1/broadcasts", json=body)
        assert response.status_code == 201, response.json
        return response.json["id"]

    def node(self, node_id: str) -> Node:
        with self.db.session() as session:
            node = session.get(Node, node_id)
            session.expunge(node)
            return node

    def wait_online(self, node_id: str, online: bool = True, timeout: float = 20.0) -> Node:
        wait_until(lambda: self.node(node_id).online is online, timeout, f"{node_id} {online}")
        return self.node(node_id)

    def plays(self, **query: str) -> list[dict]:
        response = self.officer.get("/api/v1/plays", query_string=query)
        assert response.status_code == 200, response.json
        return response.json["items"]

    def events(self, node: str, item: str, kind: str | None = None) -> list[dict]:
        return [
            p for p in self.plays(node=node)
            if p["item"] == item and (kind is None or p["type"] == kind)
        ]  # fmt: skip

    def wait_play(self, node: str, item: str, kind: str, timeout: float = 25.0) -> dict:
        found = wait_until(
            lambda: self.events(node, item, kind), timeout, f"{kind} of {item} on {node}"
        )
        return found[0]

    def ping(self, node: str, timeout: float = 20.0) -> None:
        """A round trip through the node: everything it got before has been handled, and what
        it reported before has reached the database."""
        command = self.dispatch.send_command(SITE, "ping", {}, "node", [node])
        response = lambda: self.officer.get(f"/api/v1/broadcasts/{command.id}")  # noqa: E731
        wait_until(
            lambda: any(n.get("result") == "ok" for n in response().json.get("nodes", [])),
            timeout,
            f"ack of a ping by {node}",
        )

    def wait_controller_connected(self, timeout: float = 60.0) -> None:
        """After a broker restart: the controller's link reconnects with backoff (1-30 s)."""
        wait_until(self.dispatch.link.is_connected, timeout, "controller reconnected")

    def stop_agents(self) -> None:
        for process in self.agents.values():
            process.kill()
