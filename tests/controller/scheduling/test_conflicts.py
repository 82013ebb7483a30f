"""Tests for conflict detection and the reject / override / append resolutions."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from controller.scheduling.compiler import compile_plans
from controller.scheduling.conflicts import (
    ConflictRejected,
    append_shifts,
    find_conflicts,
    resolve,
)
from controller.scheduling.quiet_hours import QuietHours
from controller.scheduling.types import MediaRef, NodeSpec, ProgramSpec, Schedule

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2027, 1, 4, 0, 0, tzinfo=TZ)  # a Monday
NODES = [NodeSpec("a1", "a"), NodeSpec("a2", "a"), NodeSpec("b1", "b")]
NO_QUIET = QuietHours(default=(time(0, 0), time(0, 0)))


def holidays(key: str, year: int) -> date | None:
    return date(2027, 2, 6) if (key, year) == ("tet", 2027) else None


def program(pid: int, schedule: dict, seconds: int = 300, **kw: object) -> ProgramSpec:
    fields = {
        "id": pid, "title": f"Chương trình {pid}", "kind": "clip",
        "media": (MediaRef(pid, f"http://m/{pid}", "0" * 64, 10, seconds * 1000),),
        "zones": None, "priority_level": "normal", "rank": 0, "volume": 80, "repeat": 1,
        "repeat_gap_s": 0, "valid_from": None, "valid_to": None,
        "schedule": Schedule.from_dict(schedule),
    }  # fmt: skip
    fields.update(kw)
    return ProgramSpec(**fields)  # type: ignore[arg-type]


def conflicts(candidate, existing, window=timedelta(days=7)):
    return find_conflicts(candidate, existing, NODES, NOW, window, tz=TZ, holiday_resolver=holidays)


def plan(programs, node="a1"):
    result = compile_plans(programs, NODES, NOW, timedelta(days=1), TZ, holidays, NO_QUIET)
    return [(i.program_id, f"{i.start:%H:%M:%S}", f"{i.end:%H:%M:%S}") for i in result.plans[node]]


MORNING_NEWS = program(1, {"type": "weekly", "days": [0, 2], "time": "06:00"}, zones=frozenset("a"))
EVENING = program(2, {"type": "daily", "time": "18:00"})


def test_overlaps_are_listed_per_zone_and_occurrence() -> None:
    candidate = program(10, {"type": "daily", "time": "06:03"})
    found = conflicts(candidate, [MORNING_NEWS, EVENING])
    # Monday 4 and Wednesday 6 January, zone a only (the news does not play in zone b).
    assert [(c.program_id, c.zone, f"{c.start:%d %H:%M}", f"{c.end:%H:%M}") for c in found] == [
        (1, "a", "04 06:03", "06:05"),
        (1, "a", "06 06:03", "06:05"),
    ]
    first = found[0]
    assert first.nodes == ("a1", "a2")
    assert first.occurrence_key == "20270104T0603"
    assert first.winner == "other"  # same level and rank, the older program wins
    wire = first.to_dict()
    assert wire["start"] == "2027-01-04T06:03:00+07:00"
    assert wire["other_start"] == "2027-01-04T06:00:00+07:00"


def test_no_conflict_when_zones_differ_or_times_touch() -> None:
    other_zone = program(10, {"type": "daily", "time": "06:00"}, zones=frozenset("b"))
    assert conflicts(other_zone, [MORNING_NEWS]) == []
    right_after = program(11, {"type": "daily", "time": "06:05"})
    assert conflicts(right_after, [MORNING_NEWS]) == []


def test_an_edited_program_does_not_conflict_with_its_old_version() -> None:
    edited = program(1, {"type": "weekly", "days": [0], "time": "06:02"}, zones=frozenset("a"))
    assert conflicts(edited, [MORNING_NEWS]) == []


def test_holiday_and_once_programs_conflict_in_a_30_day_window() -> None:
    eve = program(20, {"type": "holiday", "holiday": "tet", "time": "20:00", "offset_days": -1})
    spot = program(21, {"type": "once", "at": "2027-02-05T20:04"})
    now = datetime(2027, 1, 20, tzinfo=TZ)
    found = find_conflicts(spot, [eve], NODES, now, tz=TZ, holiday_resolver=holidays)
    assert {(c.program_id, c.zone, f"{c.start:%Y-%m-%d %H:%M}") for c in found} == {
        (20, "a", "2027-02-05 20:04"),
        (20, "b", "2027-02-05 20:04"),
    }


def test_winner_reflects_level_rank_and_override() -> None:
    urgent = program(10, {"type": "daily", "time": "06:03"}, priority_level="priority")
    assert {c.winner for c in conflicts(urgent, [MORNING_NEWS])} == {"candidate"}
    ranked = program(11, {"type": "daily", "time": "06:03"}, rank=3)
    assert {c.winner for c in conflicts(ranked, [MORNING_NEWS])} == {"candidate"}


def test_reject_raises_with_the_conflicts_in_vietnamese() -> None:
    candidate = program(10, {"type": "daily", "time": "06:03"})
    with pytest.raises(ConflictRejected) as err:
        resolve(candidate, "reject", [MORNING_NEWS], NODES, NOW, tz=TZ)
    assert len(err.value.conflicts) == 9  # 5 Mondays + 4 Wednesdays before 3 Feb 00:00, zone a
    assert "trùng" in err.value.message_vi and "Chương trình 1" in err.value.message_vi


def test_reject_without_conflicts_returns_the_program() -> None:
    candidate = program(10, {"type": "daily", "time": "09:00"})
    result = resolve(candidate, "reject", [MORNING_NEWS], NODES, NOW, tz=TZ)
    assert result.program.on_conflict == "reject" and result.remaining == []


def test_override_wins_the_overlap_in_the_compiled_plan() -> None:
    candidate = program(10, {"type": "daily", "time": "06:03"})
    assert plan([MORNING_NEWS, candidate])[:1] == [(1, "06:00:00", "06:05:00")]
    result = resolve(candidate, "override", [MORNING_NEWS], NODES, NOW, tz=TZ)
    assert result.program.on_conflict == "override"
    assert result.remaining == []
    # The older news now yields: it is cut at 06:03 when the override program starts.
    assert plan([MORNING_NEWS, result.program])[:2] == [
        (1, "06:00:00", "06:03:00"),
        (10, "06:03:00", "06:08:00"),
    ]


def test_override_cannot_beat_a_higher_level() -> None:
    alarm = program(5, {"type": "daily", "time": "06:00"}, priority_level="emergency",
                    kind="emergency")  # fmt: skip
    candidate = program(10, {"type": "daily", "time": "06:03"})
    result = resolve(candidate, "override", [alarm], NODES, NOW, timedelta(days=2), tz=TZ)
    assert {c.program_id for c in result.remaining} == {5}
    assert len(result.remaining) == 2 * 2  # two days x zones a and b
    assert plan([alarm, result.program])[0][0] == 5


def test_append_moves_each_conflicting_occurrence_after_the_other() -> None:
    candidate = program(10, {"type": "daily", "time": "06:03"})
    result = resolve(candidate, "append", [MORNING_NEWS, EVENING], NODES, NOW, tz=TZ)
    shifts = dict(result.program.shifts)
    assert shifts["20270104T0603"] == 120  # Monday: after the news ends at 06:05
    assert "20270105T0603" not in shifts  # Tuesday: no news
    assert result.remaining == []
    assert result.program.on_conflict == "append"
    assert plan([MORNING_NEWS, EVENING, result.program])[:2] == [
        (1, "06:00:00", "06:05:00"),
        (10, "06:05:00", "06:10:00"),
    ]
    ids = compile_plans(
        [MORNING_NEWS, result.program], NODES, NOW, timedelta(days=1), TZ, holidays, NO_QUIET
    ).plans["a1"]
    assert ids[1].id == "p10-20270104T0603"  # the id keeps the original occurrence


def test_append_hops_over_back_to_back_programs_and_ignores_other_zones() -> None:
    second = program(3, {"type": "weekly", "days": [0], "time": "06:05"}, seconds=600)
    elsewhere = program(4, {"type": "daily", "time": "06:15"}, zones=frozenset("b"))
    candidate = program(10, {"type": "once", "at": "2027-01-04T06:01"}, zones=frozenset("a"))
    shifts = append_shifts(candidate, [MORNING_NEWS, second, elsewhere], NODES, NOW, tz=TZ)
    assert shifts == {"20270104T0601": 14 * 60}  # 06:01 -> 06:15, after 06:00-06:05-06:15


def test_append_rounds_fractional_ends_up_to_whole_seconds() -> None:
    odd = program(3, {"type": "once", "at": "2027-01-04T07:00"}, seconds=1)
    odd = ProgramSpec(**{**{f: getattr(odd, f) for f in odd.__dataclass_fields__},
                         "media": (MediaRef(3, "u", "s", 1, 1500),)})  # fmt: skip
    candidate = program(10, {"type": "once", "at": "2027-01-04T07:00"})
    assert append_shifts(candidate, [odd], NODES, NOW, tz=TZ) == {"20270104T0700": 2}


def test_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="on_conflict"):
        resolve(program(10, {"type": "daily", "time": "06:03"}), "merge", [], NODES, NOW, tz=TZ)
