"""Planning: stored programs -> compiler -> published plans (approval gating, recurrences)."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from controller.db.models import MediaItem, Node, Program, Site, Zone
from controller.scheduling.planning import (
    compile_for_site,
    media_url,
    quiet_hours_for,
    refresh_plans,
)

pytestmark = pytest.mark.postgres

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SITE = "xa-binh-yen"


class FakeDispatch:
    def __init__(self) -> None:
        self.calls: list[dict[str, list[dict[str, Any]]]] = []

    def publish_plans(self, plans: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
        self.calls.append(plans)
        return {node: len(self.calls) for node in plans}


@pytest.fixture
def db(app, config):  # type: ignore[no-untyped-def]
    """Two hamlets (one with its own quiet hours), three nodes and one clip."""
    database = app.extensions["tt.db"]
    with database.session() as s:
        s.add(Zone(id="thon-1", site_id=SITE, name="Thôn 1"))
        s.add(Zone(id="thon-2", site_id=SITE, name="Thôn 2", quiet_start="21:00",
                   quiet_end="06:00"))  # fmt: skip
        s.flush()
        for node, zone in (("t1-a", "thon-1"), ("t1-b", "thon-1"), ("t2-a", "thon-2")):
            s.add(Node(id=node, site_id=SITE, zone_id=zone))
        s.add(MediaItem(id=7, site_id=SITE, title="Bản tin", category="tuyen-truyen",
                        sha256="ab" * 32, bytes=4096, duration_ms=90_000,
                        original_sha256="cd" * 32))  # fmt: skip
    return database


def add_program(database, schedule: dict, status: str = "approved", **kw: Any) -> int:  # type: ignore[no-untyped-def]
    fields: dict[str, Any] = dict(
        site_id=SITE, title="Chương trình", status=status, schedule=schedule, media_ids=[7],
        all_zones=True, zone_ids=[], priority="normal", kind="clip",
    )  # fmt: skip
    fields.update(kw)
    with database.session() as s:
        row = Program(**fields)
        s.add(row)
        s.flush()
        return row.id


def plan_starts(database, config, now: datetime, node: str = "t1-a") -> list[str]:  # type: ignore[no-untyped-def]
    with database.session() as s:
        compiled = compile_for_site(s, config, SITE, now)
    return [item.start.isoformat() for item in compiled.plans[node]]


def test_weekly_program_over_a_month_has_exact_occurrences(db, config) -> None:  # type: ignore[no-untyped-def]
    config.plan.horizon_h = 31 * 24
    add_program(db, {"type": "weekly", "days": [0, 3], "time": "06:30"})  # Mon and Thu
    starts = plan_starts(db, config, datetime(2027, 3, 1, 0, 0, tzinfo=TZ))
    assert starts == [f"2027-03-{d:02d}T06:30:00+07:00" for d in (1, 4, 8, 11, 15, 18, 22, 25, 29)]


def test_holiday_program_fires_on_tet_2027(db, config) -> None:  # type: ignore[no-untyped-def]
    config.plan.horizon_h = 40 * 24
    greeting = add_program(
        db, {"type": "holiday", "holiday": "tet-nguyen-dan", "time": "07:00"}, kind="greeting"
    )
    eve = add_program(
        db, {"type": "holiday", "holiday": "tet-nguyen-dan", "time": "19:00", "offset_days": -1}
    )
    with db.session() as s:
        compiled = compile_for_site(s, config, SITE, datetime(2027, 1, 20, tzinfo=TZ))
    items = compiled.plans["t1-a"]
    assert [(i.program_id, i.start.isoformat()) for i in items] == [
        (eve, "2027-02-05T19:00:00+07:00"),
        (greeting, "2027-02-06T07:00:00+07:00"),
    ]
    assert items[1].to_wire()["kind"] == "greeting"


def test_only_approved_programs_are_compiled(db, config) -> None:  # type: ignore[no-untyped-def]
    now = datetime(2027, 1, 4, 8, 0, tzinfo=TZ)
    for status in ("draft", "pending", "rejected", "paused"):
        add_program(db, {"type": "daily", "time": "09:00"}, status=status)
    assert plan_starts(db, config, now) == []
    approved = add_program(db, {"type": "daily", "time": "09:00"}, title="Được duyệt")
    with db.session() as s:
        compiled = compile_for_site(s, config, SITE, now)
    assert {i.program_id for items in compiled.plans.values() for i in items} == {approved}
    assert len(compiled.plans["t1-a"]) == 2  # 4 and 5 January in the 48 h horizon


def test_zone_targets_quiet_hours_and_wire_shape(db, config) -> None:  # type: ignore[no-untyped-def]
    config.server.public_url = "https://dai.example.vn/"
    add_program(db, {"type": "daily", "time": "21:30"}, all_zones=True, volume=65)
    add_program(db, {"type": "daily", "time": "10:00"}, all_zones=False, zone_ids=["thon-2"])
    now = datetime(2027, 1, 4, 8, 0, tzinfo=TZ)
    with db.session() as s:
        compiled = compile_for_site(s, config, SITE, now)
    t1 = [i.start.time() for i in compiled.plans["t1-a"]]
    t2 = [i.start.time() for i in compiled.plans["t2-a"]]
    assert t1 == [time(21, 30), time(21, 30)]  # default quiet hours start at 22:00
    assert t2 == [time(10, 0), time(10, 0)]  # thon-2 is quiet from 21:00
    assert compiled.plans["t1-a"] == compiled.plans["t1-b"]
    assert {d.zone for d in compiled.dropped} == {"thon-2"}
    wire = compiled.plans["t1-a"][0].to_wire()
    assert wire["volume"] == 65 and wire["priority"] == 100
    assert wire["media"] == [
        {"url": "https://dai.example.vn/api/v1/media/7/audio", "sha256": "ab" * 32,
         "bytes": 4096, "duration_ms": 90_000},
    ]  # fmt: skip
    assert media_url(config, 7) == "https://dai.example.vn/api/v1/media/7/audio"


def test_program_with_missing_media_is_left_out_not_fatal(db, config, caplog) -> None:  # type: ignore[no-untyped-def]
    broken = add_program(db, {"type": "daily", "time": "09:00"}, media_ids=[7, 999])
    fine = add_program(db, {"type": "daily", "time": "11:00"})
    with caplog.at_level(logging.WARNING), db.session() as s:
        compiled = compile_for_site(s, config, SITE, datetime(2027, 1, 4, 8, tzinfo=TZ))
    assert {i.program_id for i in compiled.plans["t1-a"]} == {fine}
    assert any(getattr(r, "program", None) == broken for r in caplog.records)


def test_refresh_publishes_wire_items_for_every_node(app, db) -> None:  # type: ignore[no-untyped-def]
    dispatch = FakeDispatch()
    app.extensions["tt.dispatch"] = dispatch
    add_program(db, {"type": "daily", "time": "09:00"}, all_zones=False, zone_ids=["thon-1"])
    seqs = refresh_plans(app, now=datetime(2027, 1, 4, 8, tzinfo=TZ))
    assert seqs == {"t1-a": 1, "t1-b": 1, "t2-a": 1}
    plans = dispatch.calls[0]
    assert plans["t2-a"] == []  # an empty plan is still published: it clears old items
    assert [i["start"] for i in plans["t1-a"]] == [
        "2027-01-04T09:00:00+07:00",
        "2027-01-05T09:00:00+07:00",
    ]
    assert set(plans["t1-a"][0]) >= {"id", "start", "priority", "title", "kind", "volume", "media"}


def test_refresh_covers_every_site_and_uses_the_clock_hook(app, db) -> None:  # type: ignore[no-untyped-def]
    with db.session() as s:
        s.add(Site(id="xa-khac", name="Xã Khác", timezone="Asia/Ho_Chi_Minh"))
        s.flush()
        s.add(Zone(id="khac-1", site_id="xa-khac", name="Thôn A"))
        s.flush()
        s.add(Node(id="khac-1-a", site_id="xa-khac", zone_id="khac-1"))
        s.add(MediaItem(id=8, site_id="xa-khac", title="x", category="c", sha256="ef" * 32,
                        bytes=1, duration_ms=30_000, original_sha256="ef" * 32))  # fmt: skip
    add_program(db, {"type": "daily", "time": "09:00"}, site_id="xa-khac", media_ids=[8])
    dispatch = FakeDispatch()
    app.extensions["tt.dispatch"] = dispatch
    app.extensions["tt.clock"] = lambda: datetime(2027, 1, 4, 8, tzinfo=TZ)
    refresh_plans(app)
    published = {node: items for call in dispatch.calls for node, items in call.items()}
    assert set(published) == {"t1-a", "t1-b", "t2-a", "khac-1-a"}
    assert published["khac-1-a"][0]["start"] == "2027-01-04T09:00:00+07:00"
    assert published["t1-a"] == []  # media 8 belongs to the other commune only


def test_refresh_without_dispatcher_compiles_and_says_so(app, db, caplog) -> None:  # type: ignore[no-untyped-def]
    app.extensions.pop("tt.dispatch", None)
    add_program(db, {"type": "daily", "time": "09:00"})
    with caplog.at_level(logging.INFO):
        assert refresh_plans(app, now=datetime(2027, 1, 4, 8, tzinfo=TZ)) == {}
    assert any("not published" in r.getMessage() for r in caplog.records)


def test_quiet_hours_from_config_and_zone_columns(config) -> None:  # type: ignore[no-untyped-def]
    config.quiet_hours.start, config.quiet_hours.end = "21:30", "04:30"
    zones = [
        Zone(id="a", site_id=SITE, name="A", quiet_start="20:00", quiet_end="06:00"),
        Zone(id="b", site_id=SITE, name="B"),
        Zone(id="c", site_id=SITE, name="C", quiet_start="bad", quiet_end="06:00"),
    ]
    quiet = quiet_hours_for(config, zones)
    assert quiet.window_for("a") == (time(20, 0), time(6, 0))
    assert quiet.window_for("b") == quiet.window_for("c") == (time(21, 30), time(4, 30))


def test_validity_range_limits_a_campaign(db, config) -> None:  # type: ignore[no-untyped-def]
    config.plan.horizon_h = 10 * 24
    add_program(
        db, {"type": "daily", "time": "07:00"},
        valid_from=date(2027, 1, 6), valid_to=date(2027, 1, 8),
    )  # fmt: skip
    starts = plan_starts(db, config, datetime(2027, 1, 4, 8, tzinfo=TZ))
    assert [s[:10] for s in starts] == ["2027-01-06", "2027-01-07", "2027-01-08"]
    assert timedelta(hours=config.plan.horizon_h) == timedelta(days=10)
