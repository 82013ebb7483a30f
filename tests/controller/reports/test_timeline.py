"""Today's timeline per hamlet from the published plans."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from controller.reports.timeline import day_slots

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DAY = date(2027, 1, 28)


def item(item_id: str, start: str, ms: int = 600000, **kw) -> dict:  # type: ignore[no-untyped-def]
    return {
        "id": item_id,
        "start": start,
        "title": f"Bản tin {item_id}",
        "kind": "clip",
        "media": [{"duration_ms": ms}],
        **kw,
    }


def test_items_of_the_day_per_zone_deduplicated_across_nodes() -> None:
    plans = {
        "a": [item("x", "2027-01-28T06:00:00+07:00"), item("y", "2027-01-29T06:00:00+07:00")],
        "b": [item("x", "2027-01-28T06:00:00+07:00"), item("w", "2027-01-27T23:59:00+00:00")],
        "c": [item("z", "2027-01-28T12:00:00+07:00")],
        "ghost": [item("q", "2027-01-28T12:00:00+07:00")],
    }
    slots = day_slots(plans, {"a": "thon-1", "b": "thon-1", "c": "thon-2"}, DAY, TZ)
    assert sorted(slots) == ["thon-1", "thon-2"]
    assert [(s.item_id, s.nodes) for s in slots["thon-1"]] == [("x", ["a", "b"]), ("w", ["b"])]
    x = slots["thon-1"][0]
    assert x.left_pct == 25.0 and x.width_pct == round(10 / 1440 * 100, 2)
    assert x.end.strftime("%H:%M") == "06:10"


def test_relay_uses_its_end_and_tiny_clips_stay_visible() -> None:
    relay = item("r", "2027-01-28T18:00:00+07:00", kind="relay", end="2027-01-28T19:00:00+07:00")
    relay.pop("media")
    short = item("s", "2027-01-28T23:59:50+07:00", ms=5000)
    bad = {"id": "b", "start": "not a time"}
    slots = day_slots({"a": [relay, short, bad]}, {"a": "z"}, DAY, TZ)["z"]
    assert [s.item_id for s in slots] == ["r", "s"]
    assert slots[0].width_pct == round(60 / 1440 * 100, 2)
    assert slots[1].width_pct <= 100 - slots[1].left_pct and slots[1].width_pct > 0
