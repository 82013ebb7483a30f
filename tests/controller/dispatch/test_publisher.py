"""Plans and commands as published: signed, on the right topics, only when changed, seq-safe."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from broadcast_agents.protocol import Accepted, EnvelopeVerifier, parse_command, parse_plan
from controller.db.models import Command, Counter, PublishedPlan
from controller.dispatch import publisher
from controller.dispatch.keys import load_or_create_signing_key, public_key_b64
from controller.dispatch.mqtt_link import FakeLink, LinkError, Published
from controller.dispatch.sequence import next_seq
from tests.controller.dispatch.commune import SHA, SITE

pytestmark = pytest.mark.postgres
HORIZON = timedelta(hours=48)
NOW = datetime(2027, 1, 28, 5, 0, tzinfo=UTC)


def _item(item_id: str = "p1@20270128T0600", start: str = "2027-01-28T06:00:00+07:00") -> dict:
    media = [
        {"url": "http://c/api/v1/media/1/audio", "sha256": SHA, "bytes": 10, "duration_ms": 30000}
    ]
    return {
        "id": item_id,
        "start": start,
        "priority": 100,
        "title": "Bản tin sáng",
        "kind": "clip",
        "volume": 80,
        "media": media,
    }


@pytest.fixture
def key(config):  # type: ignore[no-untyped-def]
    return load_or_create_signing_key(config.path(config.signing.private_key))


def test_plan_is_signed_retained_and_parsable(database, commune, key) -> None:  # type: ignore[no-untyped-def]
    link = FakeLink()
    with database.session() as s:
        seq = publisher.publish_plan(s, link, key, SITE, "thon-1-a", [_item()], HORIZON, now=NOW)
    [msg] = link.published
    assert msg.topic == f"tt/v1/{SITE}/node/thon-1-a/plan" and msg.retain and msg.qos == 1
    verifier = EnvelopeVerifier(SITE, public_key_b64(key))
    result = verifier.check(msg.payload, NOW + timedelta(minutes=1), expect_kind="plan")
    assert isinstance(result, Accepted) and result.envelope["seq"] == seq
    plan = parse_plan(result.envelope)
    assert plan.node == "thon-1-a" and [i.id for i in plan.items] == ["p1@20270128T0600"]
    with database.session() as s:
        row = s.get(PublishedPlan, "thon-1-a")
        assert row.seq == seq and row.envelope_id == result.envelope["id"]
        assert row.items == [_item()]


def test_unchanged_plan_is_not_republished_changed_one_is(database, commune, key) -> None:  # type: ignore[no-untyped-def]
    link = FakeLink()
    with database.session() as s:
        first = publisher.publish_plan(s, link, key, SITE, "thon-1-a", [_item()], HORIZON, now=NOW)
        same = publisher.publish_plan(s, link, key, SITE, "thon-1-a", [_item()], HORIZON, now=NOW)
        assert same == first and len(link.published) == 1
        changed = [_item(), _item("p2@20270128T1700", "2027-01-28T17:00:00+07:00")]
        newer = publisher.publish_plan(s, link, key, SITE, "thon-1-a", changed, HORIZON, now=NOW)
    assert newer > first and len(link.published) == 2
    assert json.loads(link.retained[f"tt/v1/{SITE}/node/thon-1-a/plan"])["seq"] == newer


def test_unchanged_plan_is_refreshed_before_its_envelope_expires(database, commune, key) -> None:  # type: ignore[no-untyped-def]
    link = FakeLink()
    with database.session() as s:
        publisher.publish_plan(s, link, key, SITE, "thon-1-a", [], HORIZON, now=NOW)
        publisher.publish_plan(s, link, key, SITE, "thon-1-a", [], HORIZON, now=NOW + HORIZON / 3)
        assert len(link.published) == 1
        later = NOW + HORIZON / 2 + timedelta(minutes=1)
        publisher.publish_plan(s, link, key, SITE, "thon-1-a", [], HORIZON, now=later)
    assert len(link.published) == 2


class _TimingOutLink(FakeLink):
    """Takes the message but never sees a PUBACK: it may still reach the broker later."""

    def publish(
        self,
        topic: str,
        payload: bytes,
        qos: int = 1,
        retain: bool = False,
        timeout: float | None = None,
    ) -> None:
        self.published.append(Published(topic, payload, qos, retain))
        raise LinkError("no PUBACK")


def test_failed_publish_burns_the_seq_and_records_nothing(database, commune, key) -> None:  # type: ignore[no-untyped-def]
    with database.session() as s:  # far above the clock, so only increments matter
        next_seq(s)
        s.execute(update(Counter).values(value=int(time.time() * 1000) + 10**9))
    lost = _TimingOutLink()
    with database.session() as s, pytest.raises(LinkError):
        publisher.publish_plan(s, lost, key, SITE, "thon-1-a", [_item()], HORIZON, now=NOW)
    lost_seq = json.loads(lost.published[0].payload)["seq"]
    with database.session() as s:
        assert s.get(PublishedPlan, "thon-1-a") is None
    link = FakeLink()
    with database.session() as s:
        seq = publisher.publish_plan(s, link, key, SITE, "thon-1-a", [_item()], HORIZON)
    assert seq > lost_seq and len(link.published) == 1


def test_zone_command_goes_to_zone_topics_and_records_nodes(database, commune, key) -> None:  # type: ignore[no-untyped-def]
    link = FakeLink()
    with database.session() as s:
        cmd = publisher.send_command(
            s,
            link,
            key,
            SITE,
            "set_volume",
            {"volume": 60},
            "zone",
            ["thon-2"],
            ttl=timedelta(seconds=60),
        )
    assert link.topics() == [f"tt/v1/{SITE}/zone/thon-2/cmd"]
    msg = link.published[0]
    assert not msg.retain and msg.qos == 1
    env = json.loads(msg.payload)
    assert env["kind"] == "cmd" and env["id"] == cmd.id
    assert parse_command(env).volume == 60
    with database.session() as s:
        row = s.get(Command, cmd.id)
        assert row.node_ids == ["thon-2-a", "thon-2-b"] and row.scope == "zone"
        assert row.seq == env["seq"]


def test_all_and_node_scopes(database, commune, key) -> None:  # type: ignore[no-untyped-def]
    link = FakeLink()
    with database.session() as s:
        everyone = publisher.send_command(
            s, link, key, SITE, "ping", {}, "all", [], ttl=timedelta(seconds=60)
        )
        one = publisher.send_command(
            s, link, key, SITE, "resync", {}, "node", ["thon-1-b"], ttl=timedelta(seconds=60)
        )
    assert link.topics() == [f"tt/v1/{SITE}/all/cmd", f"tt/v1/{SITE}/node/thon-1-b/cmd"]
    assert len(everyone.node_ids) == 4 and one.node_ids == ["thon-1-b"]
    assert one.seq > everyone.seq
    with pytest.raises(ValueError):
        publisher.command_topics(SITE, "galaxy", [])
