"""Plans are kept within what the node accepts: size and item limits, items it would refuse."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from broadcast_agents.protocol import Accepted, EnvelopeVerifier, canonical_json, parse_plan
from broadcast_agents.protocol.jsonsafe import MAX_BYTES
from controller.db.models import MediaItem, Program, PublishedPlan
from controller.dispatch import publisher
from controller.dispatch.keys import load_or_create_signing_key, public_key_b64
from controller.dispatch.mqtt_link import FakeLink
from controller.dispatch.plan_fit import fit_plan
from controller.scheduling.planning import compile_for_site, wire_plans
from tests.controller.dispatch.commune import SHA, SITE

HORIZON = timedelta(hours=48)
NOW = datetime(2027, 1, 27, 22, 0, tzinfo=UTC)  # 05:00 on 28 January in the site zone


def _item(n: int, media: int = 1, item_id: str | None = None) -> dict:
    start = datetime(2027, 1, 28, 6, 0, tzinfo=UTC) + timedelta(minutes=n)
    return {
        "id": item_id or f"p1-{n:05d}",
        "start": start.isoformat(),
        "priority": 100,
        "title": "Bản tin",
        "kind": "clip",
        "volume": 80,
        "media": [
            {"url": "http://c/api/v1/media/1/audio", "sha256": SHA, "bytes": 1, "duration_ms": 1}
        ]
        * media,
    }


def test_a_plan_within_limits_is_kept_whole_and_in_start_order() -> None:
    items = [_item(3), _item(1), _item(2)]
    fitted = fit_plan(items, 300)
    assert [i["id"] for i in fitted.items] == ["p1-00001", "p1-00002", "p1-00003"]
    assert fitted.cut == 0 and fitted.refused == ()


def test_too_many_items_keeps_the_earliest() -> None:
    fitted = fit_plan([_item(n) for n in range(20, 0, -1)], 300, max_items=5)
    assert [i["id"] for i in fitted.items] == [f"p1-{n:05d}" for n in range(1, 6)]
    assert fitted.cut == 15


def test_too_many_bytes_keeps_the_earliest_that_fit_exactly() -> None:
    items = [_item(n) for n in range(10)]
    overhead = 100
    budget = overhead + len(canonical_json(items[:4]))  # "[" + 4 items + 3 commas + "]"
    fitted = fit_plan(items, overhead + 2, max_bytes=budget)
    assert fitted.items == items[:4] and fitted.cut == 6
    assert fit_plan(items, overhead + 2, max_bytes=budget - 1).items == items[:3]


def test_items_the_node_would_refuse_are_left_out_not_the_plan() -> None:
    items = [_item(1), _item(2, media=51), _item(3, item_id="p1-00001"), _item(4)]
    fitted = fit_plan(items, 300)
    assert [i["id"] for i in fitted.items] == ["p1-00001", "p1-00004"]
    assert [item_id for item_id, _ in fitted.refused] == ["p1-00002", "p1-00001"]
    assert "media" in fitted.refused[0][1] and fitted.refused[1][1] == "duplicate item id"


@pytest.mark.postgres
def test_every_minute_program_with_three_clips_still_reaches_the_node(
    app, config, database, commune, caplog
) -> None:  # type: ignore[no-untyped-def]
    """The reviewer's case: cron ``* 6-21 * * *`` with 3 clips compiled to a 1.3 MB plan."""
    with database.session() as s:
        s.add(MediaItem(site_id=SITE, title="Kết thúc", category="chime", sha256="ef" * 32,
                        bytes=300, duration_ms=4000, original_sha256="ef" * 32))  # fmt: skip
        s.flush()
        s.add(Program(site_id=SITE, title="Tuyên truyền liên tục", status="approved",
                      schedule={"type": "cron", "expr": "* 6-21 * * *"}, media_ids=[2, 3, 2],
                      all_zones=True, zone_ids=[], priority="normal", kind="clip"))  # fmt: skip
    config.plan.horizon_h = 48
    config.quiet_hours.start, config.quiet_hours.end = "22:00", "05:00"  # the shipped default
    with database.session() as s:
        items = wire_plans(compile_for_site(s, config, SITE, NOW))["thon-1-a"]
    key = load_or_create_signing_key(config.path(config.signing.private_key))
    assert len(canonical_json(items)) > MAX_BYTES  # what used to be published and refused

    link = FakeLink()
    with caplog.at_level(logging.WARNING, "controller.dispatch.publisher"), database.session() as s:
        seq = publisher.publish_plan(s, link, key, SITE, "thon-1-a", items, HORIZON, now=NOW)

    [msg] = link.published
    assert len(msg.payload) <= MAX_BYTES
    result = EnvelopeVerifier(SITE, public_key_b64(key)).check(msg.payload, NOW, expect_kind="plan")
    assert isinstance(result, Accepted) and result.envelope["seq"] == seq
    plan = parse_plan(result.envelope)
    assert [i.id for i in plan.items] == [i["id"] for i in items[: len(plan.items)]]
    # Earliest first, and still well past the next refresh: at least the next 12 hours.
    assert plan.items[0].start == min(i.start for i in plan.items)
    assert plan.items[-1].start >= NOW + timedelta(hours=12)
    [warning] = [r for r in caplog.records if "later items cut" in r.getMessage()]
    assert warning.node == "thon-1-a" and warning.cut == len(items) - len(plan.items) > 0
    with database.session() as s:
        assert len(s.get(PublishedPlan, "thon-1-a").items) == len(plan.items)
