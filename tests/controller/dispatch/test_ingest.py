"""Node reports applied to the database: live state, proof of play and acks once, bad input out."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from controller.db.models import CommandAck, Node, PlayEvent, Program, PublishedPlan
from controller.dispatch import publisher
from controller.dispatch.ingest import handle_message
from controller.dispatch.keys import load_or_create_signing_key
from controller.dispatch.mqtt_link import FakeLink
from controller.scheduling.planning import compile_for_site, wire_plans
from tests.controller.dispatch.commune import SHA, SITE

pytestmark = pytest.mark.postgres
P = f"tt/v1/{SITE}/node"
NOW = datetime(2027, 1, 28, 0, 0, 5, tzinfo=UTC)


def _send(database, topic: str, payload: dict | bytes):  # type: ignore[no-untyped-def]
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    with database.session() as s:
        return handle_message(s, topic, raw, now=NOW)


def _event(node: str, item: str, kind: str = "started") -> dict:
    return {"node": node, "type": kind, "item": item, "at": "2027-01-28T07:00:00.123+07:00"}


def test_state_online_then_last_will(database, commune) -> None:  # type: ignore[no-untyped-def]
    online = {"online": True, "node": "thon-1-a", "version": "1.2.0", "plan_seq": 7}
    assert _send(database, f"{P}/thon-1-a/state", online).status == "updated"
    with database.session() as s:
        node = s.get(Node, "thon-1-a")
        assert node.online and node.version == "1.2.0" and node.plan_seq == 7
        assert node.last_seen == NOW
    assert _send(database, f"{P}/thon-1-a/state", {"online": False}).status == "updated"
    with database.session() as s:
        node = s.get(Node, "thon-1-a")
        assert node.online is False and node.last_seen == NOW and node.version == "1.2.0"


def test_telemetry_updates_live_columns(database, commune) -> None:  # type: ignore[no-untyped-def]
    telemetry = {
        "node": "thon-2-b",
        "at": "2027-01-28T07:00:00+07:00",
        "volume": 65,
        "now_playing": "p1@x",
        "plan_seq": 42,
        "cache_bytes": 123456,
        "clock_offset_ms": -3.5,
        "version": "1.3.0",
        "uptime_s": 3600.7,
    }
    assert _send(database, f"{P}/thon-2-b/telemetry", telemetry).status == "updated"
    with database.session() as s:
        n = s.get(Node, "thon-2-b")
        assert (n.volume, n.now_playing, n.plan_seq, n.cache_bytes) == (65, "p1@x", 42, 123456)
        assert n.clock_offset_ms == -3.5 and n.version == "1.3.0" and n.uptime_s == 3600
        assert n.online and n.last_seen == NOW


def test_event_stored_once_and_described_from_the_plan(database, commune) -> None:  # type: ignore[no-untyped-def]
    item = {
        "id": "p1@20270128T0700",
        "start": "2027-01-28T07:00:00+07:00",
        "priority": 100,
        "title": "Bản tin sáng",
        "kind": "clip",
        "volume": 80,
        "media": [
            {
                "url": "http://c/api/v1/media/2/audio",
                "sha256": SHA,
                "bytes": 1,
                "duration_ms": 3000,
            },
            {
                "url": "http://c/api/v1/media/1/audio",
                "sha256": SHA,
                "bytes": 1,
                "duration_ms": 30000,
            },
        ],
    }
    with database.session() as s:
        s.add(PublishedPlan(node_id="thon-1-a", seq=1, envelope_id="e", digest="d", items=[item]))
    first = _send(database, f"{P}/thon-1-a/event", _event("thon-1-a", item["id"]))
    again = _send(database, f"{P}/thon-1-a/event", _event("thon-1-a", item["id"]))
    finished = _send(database, f"{P}/thon-1-a/event", _event("thon-1-a", item["id"], "finished"))
    assert (first.status, again.status, finished.status) == ("stored", "duplicate", "stored")
    with database.session() as s:
        rows = list(s.scalars(select(PlayEvent).order_by(PlayEvent.type)))
    assert [r.type for r in rows] == ["finished", "started"]
    started = rows[1]
    assert started.zone_id == "thon-1" and started.site_id == SITE
    assert started.title == "Bản tin sáng" and started.duration_ms == 33000
    assert started.category == "chime"  # the first clip whose library entry is known
    assert started.at == datetime(2027, 1, 28, 0, 0, 0, 123000, tzinfo=UTC)


def test_late_event_is_described_from_the_program_after_its_item_left_the_plan(
    app, config, database, commune
) -> None:  # type: ignore[no-untyped-def]
    """A node offline for days reports an item its current plan no longer holds."""
    with database.session() as s:
        program = Program(site_id=SITE, title="Tuyên truyền bầu cử", status="approved",
                          kind="tts", schedule={"type": "daily", "time": "07:00"},
                          media_ids=[2, 1], repeat=2, repeat_gap_s=5, all_zones=True,
                          zone_ids=[], priority="normal")  # fmt: skip
        s.add(program)
        s.flush()
        item_id = f"p{program.id}-20270128T0700"
    key = load_or_create_signing_key(config.path(config.signing.private_key))
    link, horizon = FakeLink(), timedelta(hours=48)
    compiled_at = datetime(2027, 1, 27, 23, 0, tzinfo=UTC)  # 06:00 in the site zone
    with database.session() as s:
        items = wire_plans(compile_for_site(s, config, SITE, compiled_at))["thon-1-a"]
        assert items[0]["id"] == item_id
        publisher.publish_plan(s, link, key, SITE, "thon-1-a", items, horizon, now=compiled_at)
        publisher.publish_plan(s, link, key, SITE, "thon-1-a", [], horizon, now=compiled_at)
        assert s.get(PublishedPlan, "thon-1-a").items == []
    for kind in ("started", "finished"):
        assert _send(database, f"{P}/thon-1-a/event", _event("thon-1-a", item_id, kind)).status == (
            "stored"
        )
    # An id shaped like a plan item but naming no program is stored, undescribed.
    _send(database, f"{P}/thon-1-a/event", _event("thon-1-a", "p999-20270128T0700"))
    with database.session() as s:
        rows = {(r.item_id, r.type): r for r in s.scalars(select(PlayEvent))}
    for kind in ("started", "finished"):
        row = rows[(item_id, kind)]
        assert row.title == "Tuyên truyền bầu cử" and row.category == "chime"
        assert row.duration_ms == (3000 + 30000) * 2  # the playlist read twice
    unknown = rows[("p999-20270128T0700", "started")]
    assert unknown.title == "" and unknown.duration_ms is None


def test_ack_stored_once(database, commune) -> None:  # type: ignore[no-untyped-def]
    ack = {"node": "thon-1-b", "cmd": "c0ffee", "result": "ok", "at": "2027-01-28T07:00:01+07:00"}
    assert _send(database, f"{P}/thon-1-b/ack", ack).status == "stored"
    assert _send(database, f"{P}/thon-1-b/ack", {**ack, "result": "error"}).status == "duplicate"
    with database.session() as s:
        [row] = s.scalars(select(CommandAck))
    assert (row.command_id, row.node_id, row.result) == ("c0ffee", "thon-1-b", "ok")


BAD_MESSAGES = [
    (f"{P}/thon-1-a/event", b"{not json", "malformed event"),
    (f"{P}/thon-1-a/event", b'{"node": "thon-1-a", "type": "exploded"}', "malformed event"),
    (f"{P}/thon-1-a/ack", b"[]", "malformed ack"),
    (f"{P}/thon-1-a/state", b'{"online": "yes"}', "malformed state"),
    (f"{P}/thon-1-a/telemetry", b"\xff\xfe", "malformed telemetry"),
    (f"{P}/ghost/event", json.dumps(_event("ghost", "x")).encode(), "unknown node"),
    ("tt/v1/xa-khac/node/thon-1-a/state", b'{"online": true}', "unknown node"),
    (f"{P}/thon-1-a/plan", b"{}", "not a node report topic"),
    ("something/else", b"{}", "not a node report topic"),
    (f"{P}/thon-1-a/event", json.dumps(_event("thon-2-a", "x")).encode(), "speaks for"),
]


def test_bad_messages_are_dropped_with_a_log_line(database, commune, caplog) -> None:  # type: ignore[no-untyped-def]
    for topic, payload, reason in BAD_MESSAGES:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="controller.dispatch.ingest"):
            outcome = _send(database, topic, payload)
        assert outcome.dropped and reason in outcome.reason, (topic, payload)
        assert any(r.message == "mqtt message dropped" for r in caplog.records)
    with database.session() as s:
        assert s.scalar(select(func.count()).select_from(PlayEvent)) == 0
        assert s.get(Node, "thon-1-a").online is False


def test_rejected_event_without_item_is_kept_per_event(database, commune) -> None:  # type: ignore[no-untyped-def]
    base = {"node": "thon-1-a", "type": "rejected", "item": "", "detail": "bad_signature"}
    a = _send(database, f"{P}/thon-1-a/event", {**base, "at": "2027-01-28T07:00:00+07:00"})
    later = (datetime(2027, 1, 28, 0, 1, tzinfo=UTC) + timedelta(seconds=1)).isoformat()
    b = _send(database, f"{P}/thon-1-a/event", {**base, "at": later})
    assert (a.status, b.status) == ("stored", "stored")
    with database.session() as s:
        rows = list(s.scalars(select(PlayEvent)))
    assert {r.detail.get("text") for r in rows} == {"bad_signature"}
