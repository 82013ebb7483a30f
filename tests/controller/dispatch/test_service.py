"""DispatchService over a FakeLink: registration, publish_plans, and the ingest worker."""

from __future__ import annotations

import json

from sqlalchemy import select

from controller.db.models import CommandAck, Node
from controller.dispatch.service import DispatchService, register, subscriptions
from tests.controller.dispatch.commune import SHA, SITE


def _item(item_id: str) -> dict:
    return {
        "id": item_id,
        "start": "2027-01-28T06:00:00+07:00",
        "priority": 100,
        "title": "T",
        "kind": "clip",
        "volume": 80,
        "media": [{"url": "http://c/m", "sha256": SHA, "bytes": 1, "duration_ms": 1}],
    }


def test_service_registers_itself_and_its_link(app, dispatch, fake_link) -> None:  # type: ignore[no-untyped-def]
    assert app.extensions["tt.dispatch"] is dispatch
    assert app.extensions["tt.mqtt"] is fake_link and fake_link.started
    background: list = []
    register(background)
    register(background)
    assert background == [("dispatch", DispatchService)]


def test_publish_plans_publishes_only_changed_plans(dispatch, fake_link, commune) -> None:  # type: ignore[no-untyped-def]
    first = dispatch.publish_plans({"thon-1-a": [_item("a")], "thon-1-b": [_item("b")]})
    assert set(first) == {"thon-1-a", "thon-1-b"}
    again = dispatch.publish_plans(
        {"thon-1-a": [_item("a")], "thon-1-b": [_item("b2")], "ghost": [_item("g")]}
    )
    assert list(again) == ["thon-1-b"] and again["thon-1-b"] > first["thon-1-b"]
    assert fake_link.topics().count(f"tt/v1/{SITE}/node/thon-1-a/plan") == 1
    assert len(fake_link.published) == 3


def test_incoming_messages_are_ingested_by_the_worker(
    dispatch, fake_link, database, commune
) -> None:  # type: ignore[no-untyped-def]
    seen: list = []
    dispatch.on_outcome.append(lambda topic, outcome: seen.append(outcome.status))
    fake_link.deliver(f"tt/v1/{SITE}/node/thon-2-a/state", b'{"online": true}')
    ack = {"node": "thon-2-a", "cmd": "c1", "result": "ok", "at": "2027-01-28T07:00:00+07:00"}
    fake_link.deliver(f"tt/v1/{SITE}/node/thon-2-a/ack", json.dumps(ack).encode())
    fake_link.deliver(f"tt/v1/{SITE}/node/thon-2-a/ack", json.dumps(ack).encode())
    fake_link.deliver(f"tt/v1/{SITE}/node/thon-2-a/event", b"garbage")
    assert dispatch.wait_handled(4, timeout=10)
    assert seen == ["updated", "stored", "duplicate", "dropped"]
    with database.session() as s:
        assert s.get(Node, "thon-2-a").online
        assert len(list(s.scalars(select(CommandAck)))) == 1


def test_subscriptions_share_reports_but_not_retained_state() -> None:
    filters = dict(subscriptions("tt-controller"))
    assert filters["tt/v1/+/node/+/state"] == 1
    assert "$share/tt-controller/tt/v1/+/node/+/event" in filters
    assert "$share/tt-controller/tt/v1/+/node/+/ack" in filters
    assert filters["$share/tt-controller/tt/v1/+/node/+/telemetry"] == 0
