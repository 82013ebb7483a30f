"""A month of the broadcast log read from the database, in the commune's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from controller.db.models import PlayEvent
from controller.reports.monthly import Period, load_month, parse_period
from tests.controller.dispatch.commune import SITE, seed_commune

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def add_play(s, node: str, zone: str, item: str, start: datetime, seconds: int, **kw) -> None:  # type: ignore[no-untyped-def]
    for kind, at in (("started", start), ("finished", start + timedelta(seconds=seconds))):
        s.add(
            PlayEvent(
                site_id=SITE,
                node_id=node,
                zone_id=zone,
                item_id=item,
                type=kind,
                at=at,
                title=kw.get("title", "Tin"),
                category=kw.get("category", "propaganda"),
                duration_ms=seconds * 1000,
            )
        )


def test_month_bounds_are_local_and_totals_add_up(database) -> None:  # type: ignore[no-untyped-def]
    seed_commune(database)
    with database.session() as s:
        # 31/01 23:30 local is still January; 01/02 00:10 local is February.
        add_play(s, "thon-1-a", "thon-1", "i1", datetime(2027, 1, 31, 16, 30, tzinfo=UTC), 120)
        add_play(s, "thon-1-a", "thon-1", "i2", datetime(2027, 1, 31, 17, 10, tzinfo=UTC), 60)
        add_play(
            s,
            "thon-2-a",
            "thon-2",
            "i3",
            datetime(2027, 1, 5, 0, 0, tzinfo=UTC),
            180,
            category="emergency",
        )
    with database.session() as s:
        jan = load_month(s, SITE, Period(2027, 1), TZ)
        assert [r.item_id for r in jan.records] == ["i3", "i1"]
        assert jan.records[1].at.tzinfo is TZ and jan.records[1].at.day == 31
        assert jan.by_zone == [("Thôn 2", 3.0), ("Thôn 1", 2.0)]
        assert jan.by_category == [("emergency", 3.0), ("propaganda", 2.0)]
        assert jan.total_minutes == 5.0 and jan.node_name("thon-1-a") == "Cụm a"
        only = load_month(s, SITE, Period(2027, 1), TZ, zone_id="thon-1")
        assert [r.item_id for r in only.records] == ["i1"]
        feb = load_month(s, SITE, Period(2027, 2), TZ)
        assert [r.item_id for r in feb.records] == ["i2"]
        assert load_month(s, "xa-khac", Period(2027, 1), TZ).records == []


def test_period_parsing_and_december() -> None:
    today = date(2027, 3, 9)
    assert parse_period(None, None, today) == Period(2027, 3)
    assert parse_period("2026", "12", today).next_first_day == date(2027, 1, 1)
    assert parse_period("2026", "13", today) == Period(2027, 3)
    assert parse_period("abc", "1", today) == Period(2027, 3)
    assert Period(2027, 1).label == "01/2027"


def test_a_bulletin_on_two_loudspeakers_of_a_thon_counts_once(database) -> None:  # type: ignore[no-untyped-def]
    seed_commune(database)
    start = datetime(2027, 3, 1, 0, 0, tzinfo=UTC)
    with database.session() as s:
        add_play(s, "thon-1-a", "thon-1", "b1", start, 120, category="announcement")
        add_play(s, "thon-1-b", "thon-1", "b1", start, 120, category="announcement")
        add_play(s, "thon-2-a", "thon-2", "b1", start, 120, category="announcement")
    with database.session() as s:
        report = load_month(s, SITE, Period(2027, 3), TZ)
        assert len(report.records) == 3  # one line per loudspeaker in the table
        assert report.by_zone == [("Thôn 1", 2.0), ("Thôn 2", 2.0)]
        assert report.by_category == [("announcement", 2.0)]
        assert report.total_minutes == 2.0 and report.item_count == 1
